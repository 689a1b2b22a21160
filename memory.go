package contactpatch

// MemoryStore: the Store in memory, with the SQL stores' semantics to the
// letter (unique keys in a table of their own, per tenant), so that a
// test against it says what PostgreSQL would.

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
)

// MemoryStore is a Store, EmailIndex, Batcher, Feed and Replays in memory, safe for concurrent
// use, for tests, examples and prototypes. The zero MemoryStore is empty
// and ready to use.
type MemoryStore struct {
	mu       sync.RWMutex
	contacts map[ref]Contact
	keys     map[keyRef]string // a unique key's holder
	held     map[ref][]keyRef  // the keys each contact holds
	feed     memoryFeed
}

// ref names one tenant's contact.
type ref struct{ tenant, id string }

// keyRef names one tenant's unique key.
type keyRef struct{ tenant, field, value string }

// Get returns a copy of the tenant's contact id, or ErrNotFound.
func (m *MemoryStore) Get(_ context.Context, tenant, id string) (Contact, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.contacts[ref{tenant, id}]
	if !ok {
		return Contact{}, ErrNotFound
	}
	c.detach()
	return c, nil
}

// Write performs w under one lock: of two racing writes giving two
// contacts one unique value, exactly one wins.
func (m *MemoryStore) Write(_ context.Context, w Write) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.feed.admit(w); err != nil {
		return err
	}
	if _, err := m.write(w); err != nil {
		return err
	}
	m.feed.commit(w)
	return nil
}

// undo puts back what one write replaced.
type undo struct {
	r      ref
	had    bool
	old    Contact
	oldKey []keyRef
}

// write performs w, returning what undoes it.
func (m *MemoryStore) write(w Write) (undo, error) {
	r := ref{w.Tenant, w.Contact.ID}
	cur, ok := m.contacts[r]
	switch {
	case !w.Op.Valid():
		return undo{}, errors.New("contactpatch: a Write with no Op")
	case w.Op == Insert && ok:
		return undo{}, ErrExists
	case w.Op != Insert && !ok:
		return undo{}, ErrNotFound
	case w.Op != Insert && cur.Version != w.Version:
		return undo{}, ErrVersionMismatch
	}
	u := undo{r: r, had: ok, old: cur, oldKey: m.held[r]}
	switch {
	case w.Op == Delete:
		m.takeKeys(r, nil)
		delete(m.held, r)
		delete(m.contacts, r)
		return u, nil
	case w.Op == Insert || !w.KeepKeys:
		if err := m.takeKeys(r, w.Keys); err != nil {
			return undo{}, err
		}
	}
	if m.contacts == nil {
		m.contacts = map[ref]Contact{}
	}
	c := w.Contact
	c.detach()
	m.contacts[r] = c
	return u, nil
}

// revert undoes one write.
func (m *MemoryStore) revert(u undo) {
	for _, k := range m.held[u.r] {
		delete(m.keys, k)
	}
	delete(m.held, u.r)
	delete(m.contacts, u.r)
	if !u.had {
		return
	}
	m.contacts[u.r] = u.old
	m.held[u.r] = u.oldKey
	for _, k := range u.oldKey {
		m.keys[k] = u.r.id
	}
}

// GetMany returns copies of the tenant's contacts among ids, in the order
// of ids, leaving out the ones it does not hold.
func (m *MemoryStore) GetMany(_ context.Context, tenant string, ids []string) ([]Contact, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Contact, 0, len(ids))
	for _, id := range ids {
		if c, ok := m.contacts[ref{tenant, id}]; ok {
			c.detach()
			out = append(out, c)
		}
	}
	return out, nil
}

// KeyOwners returns the id of the tenant's contact holding each key, ""
// for a key no contact holds.
func (m *MemoryStore) KeyOwners(_ context.Context, tenant string, keys []UniqueKey) ([]string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = m.keys[keyRef{tenant, k.Field.String(), k.Value}]
	}
	return out, nil
}

// WriteMany performs ws in order under one lock, each as Write does; with
// atomic set, a failed write undoes the ones before it.
func (m *MemoryStore) WriteMany(_ context.Context, ws []Write, atomic bool) ([]error, error) {
	if err := sameTenant(ws); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	errs := make([]error, len(ws))
	var done []undo
	for i, w := range ws {
		err := m.feed.admit(w)
		var u undo
		if err == nil {
			u, err = m.write(w)
		}
		if err == nil {
			if atomic {
				done = append(done, u)
			} else {
				m.feed.commit(w)
			}
			continue
		}
		errs[i] = err
		if atomic {
			for _, u := range slices.Backward(done) {
				m.revert(u)
			}
			return errs, nil
		}
	}
	if atomic {
		for _, w := range ws {
			m.feed.commit(w)
		}
	}
	return errs, nil
}

// takeKeys gives contact r exactly keys, or fails, changing nothing,
// with a conflict on the first key another contact holds.
func (m *MemoryStore) takeKeys(r ref, keys []UniqueKey) error {
	refs := make([]keyRef, len(keys))
	for i, k := range keys {
		refs[i] = keyRef{r.tenant, k.Field.String(), k.Value}
		if owner, ok := m.keys[refs[i]]; ok && owner != r.id {
			return &ConflictError{Field: k.Name, OwnerID: owner}
		}
	}
	for _, k := range m.held[r] {
		delete(m.keys, k)
	}
	if m.keys == nil {
		m.keys, m.held = map[keyRef]string{}, map[ref][]keyRef{}
	}
	for _, k := range refs {
		m.keys[k] = r.id
	}
	m.held[r] = refs
	return nil
}

// EmailOwner returns the id of the tenant's contact whose email equals
// email, ignoring case (the lowest id if several do), or "" if there is
// none. EmailOwnerIn makes it an Options.EmailOwner (rule G4).
func (m *MemoryStore) EmailOwner(_ context.Context, tenant, email string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	// Lower case on both sides, as the SQL stores' email column is.
	want := strings.ToLower(email)
	for _, id := range m.ids(tenant) {
		if e, ok := m.contacts[ref{tenant, id}].Email.Get(); ok && e != "" && strings.ToLower(e) == want {
			return id, nil
		}
	}
	return "", nil
}

// IDs returns the tenant's contact ids in sorted order.
func (m *MemoryStore) IDs(tenant string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.ids(tenant)
}

func (m *MemoryStore) ids(tenant string) []string {
	var out []string
	for r := range maps.Keys(m.contacts) {
		if r.tenant == tenant {
			out = append(out, r.id)
		}
	}
	slices.Sort(out)
	return out
}
