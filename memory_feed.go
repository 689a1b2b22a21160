package contactpatch

// MemoryStore as a Feed and Replays (rules E1-E3, I1): the events and
// recorded answers of its writes, kept under the store's own lock, so
// that a write and its event are one step.

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// memoryFeed is the part of a MemoryStore its writes' events and
// answers live in; the store's lock guards it.
type memoryFeed struct {
	events  []Event
	seq     uint64
	cursors map[string]uint64
	replays map[replayRef]Replay
}

type replayRef struct{ tenant, key string }

// admit refuses a write whose answer's key the tenant holds unexpired.
func (f *memoryFeed) admit(w Write) error {
	if w.Replay == nil {
		return nil
	}
	if r, ok := f.replays[replayRef{w.Tenant, w.Replay.Key}]; ok && time.Now().Before(r.Expires) {
		return ErrReplayExists
	}
	return nil
}

// commit records what a write that committed carries.
func (f *memoryFeed) commit(w Write) {
	if w.Op == Delete {
		f.erase(w.Tenant, w.Contact.ID)
	}
	if w.Event != nil {
		f.seq++
		ev := *w.Event
		ev.Seq, ev.Changes = f.seq, slices.Clone(ev.Changes)
		f.events = append(f.events, ev)
	}
	if w.Replay != nil {
		if f.replays == nil {
			f.replays = map[replayRef]Replay{}
		}
		r := *w.Replay
		r.Body, r.Header = slices.Clone(r.Body), r.Header.Clone()
		f.replays[replayRef{w.Tenant, r.Key}] = r
	}
}

// erase blanks the values of a deleted contact's events.
func (f *memoryFeed) erase(tenant, id string) {
	for i := range f.events {
		if ev := &f.events[i]; ev.Tenant == tenant && ev.ContactID == id {
			ev.Changes = nil
		}
	}
}

// Events returns up to limit events after the cursor, in commit order.
func (m *MemoryStore) Events(_ context.Context, after uint64, limit int) ([]Event, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	evs := m.feed.events
	i, _ := slices.BinarySearchFunc(evs, after+1, func(e Event, seq uint64) int { return cmp.Compare(e.Seq, seq) })
	evs = evs[i:]
	if limit > 0 && len(evs) > limit {
		evs = evs[:limit]
	}
	return cloneEvents(evs), nil
}

// History returns the events of the tenant's contact id, oldest first.
func (m *MemoryStore) History(_ context.Context, tenant, id string) ([]Event, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Event
	for _, ev := range m.feed.events {
		if ev.Tenant == tenant && ev.ContactID == id {
			out = append(out, ev)
		}
	}
	return cloneEvents(out), nil
}

// Cursor returns where the named reader stopped.
func (m *MemoryStore) Cursor(_ context.Context, name string) (uint64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.feed.cursors[name], nil
}

// SetCursor moves the named reader's cursor.
func (m *MemoryStore) SetCursor(_ context.Context, name string, seq uint64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.feed.cursors == nil {
		m.feed.cursors = map[string]uint64{}
	}
	m.feed.cursors[name] = seq
	return nil
}

// PruneEvents drops the events older than before, and the expired
// answers.
func (m *MemoryStore) PruneEvents(_ context.Context, before time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.feed.events)
	m.feed.events = slices.DeleteFunc(m.feed.events, func(e Event) bool { return e.Time.Before(before) })
	now := time.Now()
	for k, r := range m.feed.replays {
		if !now.Before(r.Expires) {
			delete(m.feed.replays, k)
		}
	}
	return n - len(m.feed.events), nil
}

// Replay returns the tenant's unexpired answer under key.
func (m *MemoryStore) Replay(_ context.Context, tenant, key string) (Replay, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.feed.replays[replayRef{tenant, key}]
	if !ok || !time.Now().Before(r.Expires) {
		return Replay{}, ErrNotFound
	}
	r.Body, r.Header = slices.Clone(r.Body), r.Header.Clone()
	return r, nil
}

func cloneEvents(evs []Event) []Event {
	out := slices.Clone(evs)
	for i := range out {
		out[i].Changes = slices.Clone(out[i].Changes)
	}
	return out
}
