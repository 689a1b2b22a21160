package storetest

// The checks of rules W1-W4: delete frees keys, a create that conflicts
// leaves nothing, exactly one of racing upserts creates, and a Batcher's
// batches keep Write's rules input by input, or all or nothing.

import (
	"context"
	"errors"
	"fmt"

	cp "github.com/contactpatch/contactpatch"
)

func checkDelete(ctx context.Context, s cp.Store, tenant string) error {
	del := func(id string, version uint64) error {
		return s.Write(ctx, cp.Write{Tenant: tenant, Op: cp.Delete, Contact: cp.Contact{ID: id}, Version: version})
	}
	if err := want("delete of an unknown id", del("c1", 1), cp.ErrNotFound); err != nil {
		return err
	}
	if err := insert(ctx, s, tenant, cp.Contact{ID: "c1", Version: 2}, emailKey("gone@example.com")); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if err := want("delete at a stale version", del("c1", 1), cp.ErrVersionMismatch); err != nil {
		return err
	}
	if err := del("c1", 2); err != nil {
		return fmt.Errorf("delete at the stored version: %w", err)
	}
	if _, err := s.Get(ctx, tenant, "c1"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("get after delete: got %v, want ErrNotFound", err)
	}
	if err := insert(ctx, s, tenant, cp.Contact{ID: "c2", Version: 1}, emailKey("gone@example.com")); err != nil {
		return fmt.Errorf("the deleted contact's email is still held: %w", err)
	}
	return nil
}

func checkCreateConflict(ctx context.Context, s cp.Store, tenant string) error {
	opts := func(id string) cp.Options { return cp.Options{NewID: func() string { return id }} }
	if _, err := tenantProfile.Create(ctx, s, tenant, []byte(`{"email": "ada@example.com"}`), opts("c1")); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	_, err := tenantProfile.Create(ctx, s, tenant, []byte(`{"email": "ADA@example.com", "notes": "x"}`), opts("c2"))
	if err := conflictWith(err, "c1", "create of a held email"); err != nil {
		return err
	}
	if _, err := s.Get(ctx, tenant, "c2"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("a create that conflicted left its row: get gave %v", err)
	}
	// The first contact is still whole: its keys were not touched.
	if _, err := tenantProfile.Update(ctx, s, tenant, "c1", []byte(`{"notes": "still mine"}`), cp.Options{}); err != nil {
		return fmt.Errorf("patch after the conflict: %w", err)
	}
	if _, err := tenantProfile.Create(ctx, s, tenant, []byte(`{"email": "grace@example.com"}`), opts("c2")); err != nil {
		return fmt.Errorf("create with a free email after the conflict: %w", err)
	}
	return nil
}

func checkUpsertRace(ctx context.Context, s cp.Store, tenant string) error {
	outs := make([]cp.Outcome, racers)
	errs := make([]error, racers)
	race(func(i int) {
		body := fmt.Sprintf(`{"notes": "racer %d"}`, i)
		outs[i], errs[i] = tenantProfile.Upsert(ctx, s, tenant, cp.FieldEmail, "Race@Example.com", []byte(body), cp.Options{})
	})
	created, id := 0, ""
	for i := range racers {
		if err := errors.Join(errs[i], outs[i].Err); err != nil {
			return fmt.Errorf("upsert %d: %w", i, err)
		}
		if outs[i].Created {
			created++
		}
		switch got := outs[i].Result.Contact.ID; {
		case id == "":
			id = got
		case got != id:
			return fmt.Errorf("racing upserts of one email wrote two contacts, %s and %s", id, got)
		}
	}
	if created != 1 {
		return fmt.Errorf("%d of %d racing upserts created the contact, want 1", created, racers)
	}
	c, err := s.Get(ctx, tenant, id)
	if err != nil {
		return err
	}
	if c.Version != racers || c.Email.Or("") != "race@example.com" {
		return fmt.Errorf("after %d upserts the contact is at version %d with email %q", racers, c.Version, c.Email.Or(""))
	}
	return nil
}

// checkBatches checks a Batcher's three methods; a store that is not one
// has nothing to check.
func checkBatches(ctx context.Context, s cp.Store, tenant string) error {
	b, ok := s.(cp.Batcher)
	if !ok {
		return nil
	}
	for _, id := range []string{"a", "b"} {
		if err := insert(ctx, s, tenant, cp.Contact{ID: id, Version: 1}, emailKey(id+"@example.com")); err != nil {
			return err
		}
	}
	got, err := b.GetMany(ctx, tenant, []string{"b", "nobody", "a"})
	if err != nil || len(got) != 2 || got[0].ID != "b" || got[1].ID != "a" {
		return fmt.Errorf("GetMany(b, nobody, a) gave %d contacts (%v), want b and a in that order", len(got), err)
	}
	owners, err := b.KeyOwners(ctx, tenant, []cp.UniqueKey{emailKey("a@example.com"), emailKey("x@example.com")})
	if err != nil || len(owners) != 2 || owners[0] != "a" || owners[1] != "" {
		return fmt.Errorf("KeyOwners gave %q (%v), want a and none", owners, err)
	}
	if err := checkWriteMany(ctx, b, tenant); err != nil {
		return err
	}
	if err := checkAtomicWriteMany(ctx, s, b, tenant); err != nil {
		return err
	}
	// Swaps that keep their keys, the common batch of patches.
	ws := []cp.Write{
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "b", Version: 2}, Version: 1, KeepKeys: true},
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "a", Version: 99}, Version: 98, KeepKeys: true},
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "nobody", Version: 2}, Version: 1, KeepKeys: true},
	}
	errs, err := b.WriteMany(ctx, ws, false)
	if err != nil || len(errs) != 3 || errs[0] != nil || !errors.Is(errs[1], cp.ErrVersionMismatch) || !errors.Is(errs[2], cp.ErrNotFound) {
		return fmt.Errorf("WriteMany of swaps keeping keys: %v (%v), want done, version mismatch, not found", errs, err)
	}
	return holds(ctx, s, tenant, "b", 2)
}

// checkWriteMany: each write of a batch by itself, in order, so that a
// key one write frees another may take.
func checkWriteMany(ctx context.Context, b cp.Batcher, tenant string) error {
	ws := []cp.Write{
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "a", Version: 2}, Version: 1, Keys: []cp.UniqueKey{emailKey("a2@example.com")}},
		{Tenant: tenant, Op: cp.Insert, Contact: cp.Contact{ID: "c", Version: 1}, Keys: []cp.UniqueKey{emailKey("a@example.com")}},
		{Tenant: tenant, Op: cp.Insert, Contact: cp.Contact{ID: "d", Version: 1}, Keys: []cp.UniqueKey{emailKey("b@example.com")}},
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "b", Version: 9}, Version: 8},
		{Tenant: tenant, Op: cp.Insert, Contact: cp.Contact{ID: "b", Version: 1}},
		{Tenant: tenant, Op: cp.Delete, Contact: cp.Contact{ID: "nobody"}, Version: 1},
	}
	errs, err := b.WriteMany(ctx, ws, false)
	if err != nil || len(errs) != len(ws) {
		return fmt.Errorf("WriteMany: %d errors for %d writes (%v)", len(errs), len(ws), err)
	}
	for i, target := range []error{nil, nil, cp.ErrConflict, cp.ErrVersionMismatch, cp.ErrExists, cp.ErrNotFound} {
		if target == nil && errs[i] != nil || target != nil && !errors.Is(errs[i], target) {
			return fmt.Errorf("write %d of the batch: got %v, want %v", i, errs[i], target)
		}
	}
	if err := conflictWith(errs[2], "b", "batch insert of a held email"); err != nil {
		return err
	}
	got, err := b.GetMany(ctx, tenant, []string{"a", "c", "d"})
	if err != nil || len(got) != 2 || got[0].Version != 2 || got[1].ID != "c" {
		return fmt.Errorf("after the batch: %d of a, c, d read (%v), want a at version 2 and c", len(got), err)
	}
	owners, err := b.KeyOwners(ctx, tenant, []cp.UniqueKey{emailKey("a@example.com"), emailKey("a2@example.com")})
	if err != nil || owners[0] != "c" || owners[1] != "a" {
		return fmt.Errorf("after the batch the keys are held by %q (%v), want c and a", owners, err)
	}
	return nil
}

// checkAtomicWriteMany: all or nothing.
func checkAtomicWriteMany(ctx context.Context, s cp.Store, b cp.Batcher, tenant string) error {
	ws := []cp.Write{
		{Tenant: tenant, Op: cp.Insert, Contact: cp.Contact{ID: "e", Version: 1}, Keys: []cp.UniqueKey{emailKey("e@example.com")}},
		{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "a", Version: 3}, Version: 2, Keys: []cp.UniqueKey{emailKey("a3@example.com")}},
		{Tenant: tenant, Op: cp.Insert, Contact: cp.Contact{ID: "f", Version: 1}, Keys: []cp.UniqueKey{emailKey("b@example.com")}},
	}
	errs, err := b.WriteMany(ctx, ws, true)
	if err != nil || len(errs) != len(ws) || !errors.Is(errs[2], cp.ErrConflict) {
		return fmt.Errorf("atomic WriteMany with a held key: %v (%v), want a conflict for the third", errs, err)
	}
	if _, err := s.Get(ctx, tenant, "e"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("a failed atomic batch left its first insert: get gave %v", err)
	}
	if err := holds(ctx, s, tenant, "a", 2); err != nil {
		return fmt.Errorf("a failed atomic batch left its swap: %w", err)
	}
	owners, err := b.KeyOwners(ctx, tenant, []cp.UniqueKey{emailKey("e@example.com"), emailKey("a2@example.com"), emailKey("a3@example.com")})
	if err != nil || owners[0] != "" || owners[1] != "a" || owners[2] != "" {
		return fmt.Errorf("a failed atomic batch changed keys: holders %q (%v)", owners, err)
	}
	ws[2].Keys = nil
	errs, err = b.WriteMany(ctx, ws, true)
	if err != nil || errors.Join(errs...) != nil {
		return fmt.Errorf("atomic WriteMany of good writes: %v (%v)", errs, err)
	}
	return holds(ctx, s, tenant, "f", 1)
}

// checkProfileBatches runs the Profile's batch calls over the store,
// Batcher or not: per-input outcomes, and all or nothing.
func checkProfileBatches(ctx context.Context, s cp.Store, tenant string) error {
	for _, id := range []string{"a", "b"} {
		if err := tenantProfile.Insert(ctx, s, tenant, cp.Contact{ID: id, Email: cp.Value(id + "@example.com"), Version: 1}); err != nil {
			return err
		}
	}
	in := []cp.Input{
		{ID: "a", Body: []byte(`{"notes": "one"}`)},
		{ID: "b", Body: []byte(`{"email": "not an email"}`)},
		{ID: "nobody", Body: []byte(`{"notes": "x"}`)},
		{ID: "a", Body: []byte(`{"notes": "twice"}`)},
	}
	out, err := tenantProfile.UpdateMany(ctx, s, tenant, in, cp.BatchOptions{})
	if err != nil {
		return fmt.Errorf("UpdateMany: %w", err)
	}
	for i, target := range []error{nil, cp.ErrValidation, cp.ErrNotFound, cp.ErrDuplicateInput} {
		if target == nil && out[i].Err != nil || target != nil && !errors.Is(out[i].Err, target) {
			return fmt.Errorf("input %d: got %v, want %v", i, out[i].Err, target)
		}
	}
	if err := holds(ctx, s, tenant, "a", 2); err != nil {
		return err
	}
	if _, ok := s.(cp.Batcher); !ok {
		return nil // only a Batcher writes a batch all or nothing
	}
	atomicIn := []cp.Input{{ID: "a", Body: []byte(`{"notes": "two"}`)}, {ID: "b", Body: []byte(`{"email": "a@example.com"}`)}}
	out, err = tenantProfile.UpdateMany(ctx, s, tenant, atomicIn, cp.BatchOptions{AllOrNothing: true})
	if err != nil {
		return fmt.Errorf("UpdateMany all or nothing: %w", err)
	}
	if !errors.Is(out[0].Err, cp.ErrNotWritten) || !errors.Is(out[1].Err, cp.ErrConflict) {
		return fmt.Errorf("all or nothing with a held email: got %v and %v, want not written and a conflict", out[0].Err, out[1].Err)
	}
	return holds(ctx, s, tenant, "a", 2)
}
