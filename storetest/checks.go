package storetest

// The checks, one function a rule.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	cp "github.com/contactpatch/contactpatch"
)

func checkUnknown(ctx context.Context, s cp.Store, tenant string) error {
	_, err := s.Get(ctx, tenant, "nobody")
	return want("get", err, cp.ErrNotFound)
}

func checkInsertGet(ctx context.Context, s cp.Store, tenant string) error {
	c := cp.Contact{ID: "c1", FullName: cp.Value("Ada Lovelace"), Email: cp.Value("ada@example.com"),
		Notes: cp.Value("line one\nline two"), Tags: []string{"vip", "speaker"}, Version: 1}
	if err := insert(ctx, s, tenant, c, emailKey("ada@example.com")); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	got, err := s.Get(ctx, tenant, "c1")
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	if err := sameContact(got, c); err != nil {
		return err
	}
	// The caller's copy is its own: changing what Get returned changes
	// nothing stored.
	got.Tags[0] = "changed"
	again, _ := s.Get(ctx, tenant, "c1")
	if err := sameContact(again, c); err != nil {
		return fmt.Errorf("a read shares memory with the store: %w", err)
	}
	other := cp.Contact{ID: "c1", JobTitle: cp.Value("impostor"), Version: 1}
	if err := want("insert of a taken id", insert(ctx, s, tenant, other), cp.ErrExists); err != nil {
		return err
	}
	return holds(ctx, s, tenant, "c1", 1)
}

func checkSwap(ctx context.Context, s cp.Store, tenant string) error {
	c := cp.Contact{ID: "c1", Version: 1}
	if err := want("swap of an unknown id", swap(ctx, s, tenant, c, 0), cp.ErrNotFound); err != nil {
		return err
	}
	if err := insert(ctx, s, tenant, c); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	c.JobTitle, c.Version = cp.Value("CTO"), 2
	if err := swap(ctx, s, tenant, c, 1); err != nil {
		return fmt.Errorf("swap at the stored version: %w", err)
	}
	stale := c
	stale.JobTitle, stale.Version = cp.Value("stale"), 2
	if err := want("swap at a stale version", swap(ctx, s, tenant, stale, 1), cp.ErrVersionMismatch); err != nil {
		return err
	}
	got, err := s.Get(ctx, tenant, "c1")
	if err != nil {
		return err
	}
	return sameContact(got, c)
}

func checkKeys(ctx context.Context, s cp.Store, tenant string) error {
	a := cp.Contact{ID: "a", Email: cp.Value("x@example.com"), Version: 1}
	if err := insert(ctx, s, tenant, a, emailKey("x@example.com")); err != nil {
		return fmt.Errorf("insert a: %w", err)
	}
	b := cp.Contact{ID: "b", Email: cp.Value("x@example.com"), Version: 1}
	err := insert(ctx, s, tenant, b, emailKey("x@example.com"))
	if err := conflictWith(err, "a", "insert of b with a's key"); err != nil {
		return err
	}
	if _, err := s.Get(ctx, tenant, "b"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("a refused insert left b behind: %v", err)
	}
	b = cp.Contact{ID: "b", Email: cp.Value("y@example.com"), Version: 1}
	if err := insert(ctx, s, tenant, b, emailKey("y@example.com")); err != nil {
		return fmt.Errorf("insert b: %w", err)
	}
	taking := cp.Contact{ID: "b", Email: cp.Value("x@example.com"), Version: 2}
	err = swap(ctx, s, tenant, taking, 1, emailKey("x@example.com"))
	if err := conflictWith(err, "a", "swap of b to a's key"); err != nil {
		return err
	}
	if err := holds(ctx, s, tenant, "b", 1); err != nil {
		return fmt.Errorf("a refused swap wrote: %w", err)
	}
	// a gives its value up; b may then take it, and a its own back no more.
	if err := swap(ctx, s, tenant, cp.Contact{ID: "a", Version: 2}, 1); err != nil {
		return fmt.Errorf("swap of a to no key: %w", err)
	}
	if err := swap(ctx, s, tenant, taking, 1, emailKey("x@example.com")); err != nil {
		return fmt.Errorf("b taking a freed key: %w", err)
	}
	// b's old key is free too.
	c := cp.Contact{ID: "c", Email: cp.Value("y@example.com"), Version: 1}
	if err := insert(ctx, s, tenant, c, emailKey("y@example.com")); err != nil {
		return fmt.Errorf("insert of c with b's old key: %w", err)
	}
	return nil
}

// conflictWith reports err unless it is a conflict naming owner.
func conflictWith(err error, owner, what string) error {
	var ce *cp.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, cp.ErrConflict) {
		return fmt.Errorf("%s: got %v, want a *ConflictError", what, err)
	}
	if ce.OwnerID != owner || ce.Field != "email" {
		return fmt.Errorf("%s: the conflict names %s held by %q, want email held by %q", what, ce.Field, ce.OwnerID, owner)
	}
	return nil
}

func checkKeepKeys(ctx context.Context, s cp.Store, tenant string) error {
	a := cp.Contact{ID: "a", Email: cp.Value("k@example.com"), Version: 1}
	if err := insert(ctx, s, tenant, a, emailKey("k@example.com")); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	a.JobTitle, a.Version = cp.Value("CTO"), 2
	err := s.Write(ctx, cp.Write{Tenant: tenant, Op: cp.Swap, Contact: a, Version: 1, KeepKeys: true})
	if err != nil {
		return fmt.Errorf("swap keeping keys: %w", err)
	}
	err = insert(ctx, s, tenant, cp.Contact{ID: "b", Version: 1}, emailKey("k@example.com"))
	return conflictWith(err, "a", "a key kept by KeepKeys")
}

func checkIsolation(ctx context.Context, s cp.Store, tenant string) error {
	ta, tb := tenant+"-a", tenant+"-b"
	a := cp.Contact{ID: "c1", FullName: cp.Value("Of A"), Email: cp.Value("same@example.com"), Version: 1}
	b := cp.Contact{ID: "c1", FullName: cp.Value("Of B"), Email: cp.Value("same@example.com"), Version: 1}
	if err := insert(ctx, s, ta, a, emailKey("same@example.com")); err != nil {
		return fmt.Errorf("insert into A: %w", err)
	}
	if err := insert(ctx, s, tb, b, emailKey("same@example.com")); err != nil {
		return fmt.Errorf("insert of the same id and unique email into B: %w", err)
	}
	only := cp.Contact{ID: "only-b", Version: 1}
	if err := insert(ctx, s, tb, only); err != nil {
		return err
	}
	if _, err := s.Get(ctx, ta, "only-b"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("tenant A reads tenant B's contact: %v", err)
	}
	if err := want("A swapping B's contact", swap(ctx, s, ta, cp.Contact{ID: "only-b", Version: 2}, 1), cp.ErrNotFound); err != nil {
		return err
	}
	a.JobTitle, a.Version = cp.Value("changed in A"), 2
	if err := swap(ctx, s, ta, a, 1, emailKey("same@example.com")); err != nil {
		return fmt.Errorf("swap in A: %w", err)
	}
	gotB, err := s.Get(ctx, tb, "c1")
	if err != nil {
		return err
	}
	if err := sameContact(gotB, b); err != nil {
		return fmt.Errorf("a write in A changed B: %w", err)
	}
	// B freeing its key frees nothing in A.
	if err := swap(ctx, s, tb, cp.Contact{ID: "c1", Version: 2}, 1); err != nil {
		return err
	}
	err = insert(ctx, s, ta, cp.Contact{ID: "c2", Version: 1}, emailKey("same@example.com"))
	return conflictWith(err, "c1", "A's key after B freed its own")
}

func checkEmailIndex(ctx context.Context, s cp.Store, tenant string) error {
	idx, ok := s.(cp.EmailIndex)
	if !ok {
		return nil // a store without the lookup offers no pre-check
	}
	ta, tb := tenant+"-a", tenant+"-b"
	if err := insert(ctx, s, tb, cp.Contact{ID: "b1", Email: cp.Value("Who@Example.com"), Version: 1}); err != nil {
		return err
	}
	if owner, err := idx.EmailOwner(ctx, ta, "who@example.com"); err != nil || owner != "" {
		return fmt.Errorf("tenant A's lookup found tenant B's contact %q (%v)", owner, err)
	}
	if owner, err := idx.EmailOwner(ctx, tb, "WHO@example.COM"); err != nil || owner != "b1" {
		return fmt.Errorf("tenant B's lookup, in another case: %q (%v), want b1", owner, err)
	}
	return nil
}

// racers is how many writers race in the concurrency checks.
const racers = 8

// race runs racer 0 to racers-1 at once and waits for them all.
func race(racer func(i int)) {
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			racer(i)
		}()
	}
	wg.Wait()
}

func checkKeyRace(ctx context.Context, s cp.Store, tenant string) error {
	errs := make([]error, racers)
	race(func(i int) {
		c := cp.Contact{ID: fmt.Sprintf("r%d", i), Email: cp.Value("race@example.com"), Version: 1}
		errs[i] = insert(ctx, s, tenant, c, emailKey("race@example.com"))
	})
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, cp.ErrConflict):
			return fmt.Errorf("racer %d: %w", i, err)
		}
	}
	if won != 1 {
		return fmt.Errorf("%d of %d racing inserts took one unique email, want 1", won, racers)
	}
	return nil
}

// appendProfile appends notes: the profile the append check patches
// through.
var appendProfile = cp.MustProfile(cp.Schema{Name: "storetest", Fields: []cp.FieldSpec{
	{Name: "id", Field: cp.FieldID, ReadOnly: true},
	{Name: "notes", Field: cp.FieldNotes, Policy: cp.Append("\n")},
}})

func checkAppends(ctx context.Context, s cp.Store, tenant string) error {
	if err := insert(ctx, s, tenant, cp.Contact{ID: "c1"}); err != nil {
		return err
	}
	const perWriter = 10
	errs := make([]error, racers)
	race(func(w int) {
		for n := range perWriter {
			body := fmt.Sprintf(`{"notes": "w%d-n%d"}`, w, n)
			if _, err := appendProfile.Update(ctx, s, tenant, "c1", []byte(body), cp.Options{}); err != nil {
				errs[w] = err
				return
			}
		}
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	got, err := s.Get(ctx, tenant, "c1")
	if err != nil {
		return err
	}
	notes := strings.Split(got.Notes.Or(""), "\n")
	if len(notes) != racers*perWriter || got.Version != racers*perWriter {
		return fmt.Errorf("%d notes at version %d after %d appends", len(notes), got.Version, racers*perWriter)
	}
	return nil
}
