// Package storetest checks that a contactpatch.Store keeps the rules
// every store must keep (T6): reads and compare-and-swaps, inserts,
// unique keys per tenant, tenant isolation, and concurrency (of racing
// writers for one unique value exactly one wins, and no append is lost),
// deletes, creates and upserts (W1-W3), batches (W4), and, for a store
// that is a Feed or keeps Replays, change events and recorded answers
// (E1-E3, I1).
// As testing/fstest.TestFS does for file systems, TestStore runs every
// check and returns what failed, so that a host runs it against its own
// store:
//
//	func TestMyStore(t *testing.T) {
//		if err := storetest.TestStore(context.Background(), myStore); err != nil {
//			t.Fatal(err)
//		}
//	}
//
// The checks write only under tenants whose names start with
// "storetest-" and a random suffix, so one store, even a shared
// database, may run them again and again.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	cp "github.com/contactpatch/contactpatch"
)

// check is one rule the suite checks, under a tenant prefix of its own.
type check struct {
	name string
	run  func(ctx context.Context, s cp.Store, tenant string) error
}

var checks = []check{
	{"get of an unknown id", checkUnknown},
	{"insert, then get", checkInsertGet},
	{"compare-and-swap", checkSwap},
	{"unique keys", checkKeys},
	{"keys kept or replaced", checkKeepKeys},
	{"tenant isolation", checkIsolation},
	{"email lookup per tenant", checkEmailIndex},
	{"one winner of a race for a key", checkKeyRace},
	{"no lost append", checkAppends},
	{"two tenants never observe each other", checkTenantsApart},
	{"delete frees the keys", checkDelete},
	{"a create that conflicts leaves nothing", checkCreateConflict},
	{"one creator of racing upserts", checkUpsertRace},
	{"a Batcher's batches", checkBatches},
	{"batches of inputs", checkProfileBatches},
	{"one event per committed change", checkEvents},
	{"events of racing writers in version order", checkEventRace},
	{"one event per input of a batch", checkBatchEvents},
	{"a reader's cursor", checkCursor},
	{"an answer recorded with its write", checkReplays},
}

// TestStore runs every check against s and returns the failures joined,
// each naming its check, or nil when s keeps every rule.
func TestStore(ctx context.Context, s cp.Store) error {
	run := randomSuffix()
	var errs []error
	for i, c := range checks {
		tenant := fmt.Sprintf("storetest-%s-%d", run, i)
		if err := c.run(ctx, s, tenant); err != nil {
			errs = append(errs, fmt.Errorf("storetest: %s: %w", c.name, err))
		}
	}
	return errors.Join(errs...)
}

func randomSuffix() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// insert is a Write that inserts c with keys.
func insert(ctx context.Context, s cp.Store, tenant string, c cp.Contact, keys ...cp.UniqueKey) error {
	return s.Write(ctx, cp.Write{Tenant: tenant, Op: cp.Insert, Contact: c, Keys: keys})
}

// swap is a Write that compare-and-swaps c against version with keys.
func swap(ctx context.Context, s cp.Store, tenant string, c cp.Contact, version uint64, keys ...cp.UniqueKey) error {
	return s.Write(ctx, cp.Write{Tenant: tenant, Op: cp.Swap, Contact: c, Version: version, Keys: keys})
}

// emailKey is the unique key of an email.
func emailKey(v string) cp.UniqueKey {
	return cp.UniqueKey{Field: cp.FieldEmail, Name: "email", Value: v}
}

// want reports err unless it matches target.
func want(what string, err, target error) error {
	if !errors.Is(err, target) {
		return fmt.Errorf("%s: got %v, want %v", what, err, target)
	}
	return nil
}

// holds reports whether the tenant's contact id is there at version.
func holds(ctx context.Context, s cp.Store, tenant, id string, version uint64) error {
	c, err := s.Get(ctx, tenant, id)
	if err != nil {
		return fmt.Errorf("get %s/%s: %w", tenant, id, err)
	}
	if c.Version != version {
		return fmt.Errorf("%s/%s is at version %d, want %d", tenant, id, c.Version, version)
	}
	return nil
}

// sameContact reports whether two contacts read the same, through the
// JSON form hosts store.
func sameContact(got, wantC cp.Contact) error {
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(wantC)
	if string(g) != string(w) {
		return fmt.Errorf("read back %s, want %s", g, w)
	}
	return nil
}
