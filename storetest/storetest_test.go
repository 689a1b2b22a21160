package storetest_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/storetest"
)

// T6: MemoryStore keeps every rule.
func TestMemoryStore(t *testing.T) {
	if err := storetest.TestStore(context.Background(), new(cp.MemoryStore)); err != nil {
		t.Fatal(err)
	}
}

// plainStore is a store with only the two methods every store has: the
// Profile's batches and upserts then go one call per contact, and must
// keep the same rules.
type plainStore struct{ m cp.MemoryStore }

func (s *plainStore) Get(ctx context.Context, tenant, id string) (cp.Contact, error) {
	return s.m.Get(ctx, tenant, id)
}

func (s *plainStore) Write(ctx context.Context, w cp.Write) error { return s.m.Write(ctx, w) }

// T6, W1-W4: a store that is neither a Batcher nor an EmailIndex keeps
// every rule too.
func TestPlainStore(t *testing.T) {
	if err := storetest.TestStore(context.Background(), new(plainStore)); err != nil {
		t.Fatal(err)
	}
}

// leakyStore reads as a query that forgot the tenant in its WHERE
// does: a contact missing from the caller's tenant is looked for in
// every tenant it has written.
type leakyStore struct {
	cp.MemoryStore
	mu      sync.Mutex
	tenants []string
}

func (s *leakyStore) Get(ctx context.Context, tenant, id string) (cp.Contact, error) {
	c, err := s.MemoryStore.Get(ctx, tenant, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, other := range s.tenants {
		if err == nil {
			break
		}
		c, err = s.MemoryStore.Get(ctx, other, id)
	}
	return c, err
}

func (s *leakyStore) Write(ctx context.Context, w cp.Write) error {
	s.mu.Lock()
	s.tenants = append(s.tenants, w.Tenant)
	s.mu.Unlock()
	return s.MemoryStore.Write(ctx, w)
}

// keylessStore forgets unique keys.
type keylessStore struct{ cp.MemoryStore }

func (s *keylessStore) Write(ctx context.Context, w cp.Write) error {
	w.Keys = nil
	return s.MemoryStore.Write(ctx, w)
}

// globalKeysStore holds unique keys across all tenants, as a key table
// without the tenant in its primary key would.
type globalKeysStore struct {
	cp.MemoryStore
	mu    sync.Mutex
	owner map[string]string // value -> tenant/id
}

func (s *globalKeysStore) Write(ctx context.Context, w cp.Write) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	me := w.Tenant + "/" + w.Contact.ID
	for _, k := range w.Keys {
		if o, ok := s.owner[k.Value]; ok && o != me {
			return &cp.ConflictError{Field: k.Name, OwnerID: o}
		}
	}
	if err := s.MemoryStore.Write(ctx, w); err != nil {
		return err
	}
	if w.KeepKeys && w.Op == cp.Swap {
		return nil
	}
	if s.owner == nil {
		s.owner = map[string]string{}
	}
	for v, o := range s.owner {
		if o == me {
			delete(s.owner, v)
		}
	}
	for _, k := range w.Keys {
		s.owner[k.Value] = me
	}
	return nil
}

// The suite can fail: a store without isolation, and one without
// uniqueness, are each caught by the checks of that rule.
func TestBrokenStoresFail(t *testing.T) {
	for name, c := range map[string]struct {
		s    cp.Store
		want []string
	}{
		"isolation removed":   {&leakyStore{}, []string{"tenant isolation"}},
		"uniqueness removed":  {&keylessStore{}, []string{"unique keys", "keys kept or replaced", "one winner of a race for a key"}},
		"keys not per tenant": {&globalKeysStore{}, []string{"tenant isolation", "two tenants never observe each other"}},
	} {
		err := storetest.TestStore(context.Background(), c.s)
		if err == nil {
			t.Errorf("%s: the suite passed", name)
			continue
		}
		t.Logf("%s:\n%v", name, err)
		for _, check := range c.want {
			if !strings.Contains(err.Error(), "storetest: "+check+":") {
				t.Errorf("%s: no failure of %q in:\n%v", name, check, err)
			}
		}
	}
}
