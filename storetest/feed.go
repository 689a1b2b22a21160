package storetest

// The checks of rules E1-E3 and I1, for stores that are a Feed or keep
// Replays: one event per committed change and none for the rest, in
// commit order and, per contact, in version order, values blanked by a
// delete, cursors kept; an answer recorded with its write and a key
// that refuses a second write.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

func checkEvents(ctx context.Context, s cp.Store, tenant string) error {
	feed, ok := s.(cp.Feed)
	if !ok {
		return nil
	}
	opts := cp.Options{NewID: func() string { return "c1" }, RequestID: "req-1", Principal: "key-1"}
	if _, err := tenantProfile.Create(ctx, s, tenant, []byte(`{"email": "ev@example.com", "job_title": "Engineer"}`), opts); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	for _, body := range []string{`{"job_title": "Counsel"}`, `{"job_title": "Counsel"}`, `{"email": "not an email"}`} {
		tenantProfile.Update(ctx, s, tenant, "c1", []byte(body), opts) // the refusal is the point of the last
	}
	hist, err := feed.History(ctx, tenant, "c1")
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if got := types(hist); !slices.Equal(got, []cp.EventType{cp.EventCreated, cp.EventUpdated}) {
		return fmt.Errorf("events of a create, a change, a no-op and a refusal: %v, want created and updated", got)
	}
	ev := hist[1]
	if ev.Tenant != tenant || ev.ContactID != "c1" || ev.Version != 2 || ev.RequestID != "req-1" || ev.Principal != "key-1" || ev.ID == "" || ev.Time.IsZero() {
		return fmt.Errorf("the update's event: %+v", ev)
	}
	if len(ev.Changes) != 1 || ev.Changes[0].Name != "job_title" || string(ev.Changes[0].Old) != `"Engineer"` || string(ev.Changes[0].New) != `"Counsel"` {
		return fmt.Errorf("the update's changes: %+v, want job_title from \"Engineer\" to \"Counsel\"", ev.Changes)
	}
	if err := inFeed(ctx, feed, tenant, hist); err != nil {
		return err
	}
	if err := tenantProfile.Delete(ctx, s, tenant, "c1", opts); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if hist, err = feed.History(ctx, tenant, "c1"); err != nil {
		return fmt.Errorf("history after delete: %w", err)
	}
	if got := types(hist); !slices.Equal(got, []cp.EventType{cp.EventCreated, cp.EventUpdated, cp.EventDeleted}) {
		return fmt.Errorf("events after a delete: %v", got)
	}
	for _, ev := range hist {
		if len(ev.Changes) > 0 {
			return fmt.Errorf("a deleted contact's event %d still holds its values: %+v", ev.Seq, ev.Changes)
		}
	}
	return nil
}

func types(evs []cp.Event) []cp.EventType {
	out := make([]cp.EventType, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	return out
}

// inFeed checks that the feed, read from before the first of hist,
// lists hist's events of the tenant in the same order.
func inFeed(ctx context.Context, feed cp.Feed, tenant string, hist []cp.Event) error {
	var got []uint64
	for after := hist[0].Seq - 1; ; {
		page, err := feed.Events(ctx, after, 50)
		if err != nil {
			return fmt.Errorf("events: %w", err)
		}
		if len(page) == 0 {
			break
		}
		for _, ev := range page {
			if ev.Seq <= after {
				return fmt.Errorf("the feed went back from %d to %d", after, ev.Seq)
			}
			after = ev.Seq
			if ev.Tenant == tenant && ev.ContactID == hist[0].ContactID {
				got = append(got, ev.Seq)
			}
		}
	}
	var wantSeqs []uint64
	for _, ev := range hist {
		wantSeqs = append(wantSeqs, ev.Seq)
	}
	if !slices.Equal(got, wantSeqs) {
		return fmt.Errorf("the feed lists the contact's events %v, its history %v", got, wantSeqs)
	}
	return nil
}

func checkEventRace(ctx context.Context, s cp.Store, tenant string) error {
	feed, ok := s.(cp.Feed)
	if !ok {
		return nil
	}
	if err := insert(ctx, s, tenant, cp.Contact{ID: "c1", Version: 1}); err != nil {
		return err
	}
	errs := make([]error, racers)
	race(func(i int) {
		_, errs[i] = appendProfile.Update(ctx, s, tenant, "c1", fmt.Appendf(nil, `{"notes": "n%d"}`, i), cp.Options{})
	})
	if err := errors.Join(errs...); err != nil {
		return err
	}
	hist, err := feed.History(ctx, tenant, "c1")
	if err != nil {
		return err
	}
	if len(hist) != racers {
		return fmt.Errorf("%d racing appends left %d events", racers, len(hist))
	}
	for i, ev := range hist {
		if ev.Version != uint64(i+2) {
			return fmt.Errorf("event %d of the contact is at version %d, want %d: Seq order is not version order", i, ev.Version, i+2)
		}
	}
	return inFeed(ctx, feed, tenant, hist)
}

func checkBatchEvents(ctx context.Context, s cp.Store, tenant string) error {
	feed, ok := s.(cp.Feed)
	if !ok {
		return nil
	}
	var in []cp.Input
	for i := range 3 {
		id := fmt.Sprintf("c%d", i)
		if err := insert(ctx, s, tenant, cp.Contact{ID: id, Version: 1}); err != nil {
			return err
		}
		in = append(in, cp.Input{ID: id, Body: []byte(`{"job_title": "Counsel"}`)}, cp.Input{ID: "missing", Body: []byte(`{"job_title": "x"}`)})
	}
	in = in[:5] // three contacts, two inputs that fail, one of them twice named
	if _, err := tenantProfile.UpdateMany(ctx, s, tenant, in, cp.BatchOptions{}); err != nil {
		return err
	}
	for i := range 3 {
		hist, err := feed.History(ctx, tenant, fmt.Sprintf("c%d", i))
		if err != nil {
			return err
		}
		if got := types(hist); !slices.Equal(got, []cp.EventType{cp.EventUpdated}) {
			return fmt.Errorf("contact c%d of a batch has the events %v, want one update", i, got)
		}
	}
	return nil
}

func checkCursor(ctx context.Context, s cp.Store, tenant string) error {
	feed, ok := s.(cp.Feed)
	if !ok {
		return nil
	}
	name := tenant + "-reader"
	if seq, err := feed.Cursor(ctx, name); err != nil || seq != 0 {
		return fmt.Errorf("a new reader's cursor: %d, %v; want 0", seq, err)
	}
	for _, seq := range []uint64{7, 3} {
		if err := feed.SetCursor(ctx, name, seq); err != nil {
			return err
		}
		if got, err := feed.Cursor(ctx, name); err != nil || got != seq {
			return fmt.Errorf("cursor set to %d reads %d, %v", seq, got, err)
		}
	}
	return nil
}

func checkReplays(ctx context.Context, s cp.Store, tenant string) error {
	rs, ok := s.(cp.Replays)
	if !ok {
		return nil
	}
	if err := insert(ctx, s, tenant, cp.Contact{ID: "c1", Version: 1}); err != nil {
		return err
	}
	answer := func(key string, expires time.Time) *cp.Replay {
		return &cp.Replay{Key: key, Fingerprint: "f1", Status: 200, Header: http.Header{"Etag": {`"v2"`}}, Body: []byte(`{"id":"c1"}`), Expires: expires}
	}
	later := time.Now().Add(time.Hour)
	w := cp.Write{Tenant: tenant, Op: cp.Swap, Contact: cp.Contact{ID: "c1", Version: 2}, Version: 1, KeepKeys: true, Replay: answer("k1", later)}
	if err := s.Write(ctx, w); err != nil {
		return fmt.Errorf("a write with an answer: %w", err)
	}
	got, err := rs.Replay(ctx, tenant, "k1")
	if err != nil || got.Status != 200 || string(got.Body) != `{"id":"c1"}` || got.Header.Get("ETag") != `"v2"` || got.Fingerprint != "f1" {
		return fmt.Errorf("the recorded answer: %+v, %v", got, err)
	}
	w.Contact.Version, w.Version = 3, 2
	if err := s.Write(ctx, w); !errors.Is(err, cp.ErrReplayExists) {
		return fmt.Errorf("a second write under one key: got %v, want ErrReplayExists", err)
	}
	if err := holds(ctx, s, tenant, "c1", 2); err != nil {
		return fmt.Errorf("the refused second write: %w", err)
	}
	if _, err := rs.Replay(ctx, tenant+"-other", "k1"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("another tenant's key: got %v, want ErrNotFound", err)
	}
	// A key past its time is free again.
	w.Replay = answer("k2", time.Now().Add(-time.Second))
	if err := s.Write(ctx, w); err != nil {
		return err
	}
	if _, err := rs.Replay(ctx, tenant, "k2"); !errors.Is(err, cp.ErrNotFound) {
		return fmt.Errorf("an expired answer: got %v, want ErrNotFound", err)
	}
	w.Contact.Version, w.Version = 4, 3
	if err := s.Write(ctx, w); err != nil {
		return fmt.Errorf("a write under an expired key: %w", err)
	}
	return nil
}
