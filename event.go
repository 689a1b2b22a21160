package contactpatch

// Change events and recorded answers (rules E1, E3, I1): what a write
// carries to its store so that the store keeps it in the write's own
// atomic step, and the optional store interfaces that read them back.
// A store records an event with every write that commits, and none with
// a write that fails, so that the feed holds exactly the changes made.

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
	"github.com/google/uuid"
)

// EventType says what kind of change an Event records.
type EventType string

// The kinds of change.
const (
	EventCreated  EventType = "contact.created"
	EventUpdated  EventType = "contact.updated"
	EventArchived EventType = "contact.archived"
	EventDeleted  EventType = "contact.deleted"
)

// Event is one committed change of one contact (rule E1). Profile's
// writes make it; the store gives it its Seq when it commits.
type Event struct {
	// Seq is the event's place in the store's feed, in commit order: the
	// cursor a reader resumes from. The write's own Event has none yet.
	Seq uint64 `json:"seq"`
	// ID is unique and stable, for receivers that deduplicate.
	ID        string    `json:"id"`
	Type      EventType `json:"type"`
	Tenant    string    `json:"tenant"`
	ContactID string    `json:"contact_id"`
	// Version is the contact's version after the change; versions of
	// one contact's events rise in Seq order.
	Version uint64        `json:"version"`
	Changes []FieldChange `json:"changes,omitempty"`
	// RequestID and Principal say which request, by which caller, made
	// the change (Options.RequestID, Options.Principal).
	RequestID string    `json:"request_id,omitempty"`
	Principal string    `json:"principal,omitempty"`
	Time      time.Time `json:"time"`
}

// FieldChange is one field of an Event: its wire name and its values
// before and after as JSON text in the canonical form (null for none).
type FieldChange struct {
	Name string          `json:"name"`
	Old  json.RawMessage `json:"old"`
	New  json.RawMessage `json:"new"`
}

// NewText is the new value as text, as APIs whose values are all strings
// show it (HubSpot's history and webhooks): a string as it is, "" for
// null, any other value as its JSON text.
func (c FieldChange) NewText() string {
	if s, ok := unquote(rawJSON(c.New)); ok {
		return s
	}
	if wire.IsNull(c.New) {
		return ""
	}
	return string(c.New)
}

// Feed is a Store that keeps the events of its writes (rules E1-E3):
// every Write that commits with an Event records it in the same atomic
// step, and a Delete blanks the values of the contact's earlier events,
// so that an erasure leaves no copy of the data behind.
type Feed interface {
	// Events returns up to limit events after the cursor, every tenant's,
	// in commit order.
	Events(ctx context.Context, after uint64, limit int) ([]Event, error)
	// History returns the events of the tenant's contact id, oldest
	// first.
	History(ctx context.Context, tenant, id string) ([]Event, error)
	// Cursor returns where the named reader stopped, 0 before it began;
	// SetCursor moves it. A reader that keeps its cursor in the store
	// resumes where it stopped after a crash.
	Cursor(ctx context.Context, name string) (uint64, error)
	SetCursor(ctx context.Context, name string, seq uint64) error
	// PruneEvents drops the events older than before, and returns how
	// many: the host's retention.
	PruneEvents(ctx context.Context, before time.Time) (int, error)
}

// Replay is the recorded answer to a write made under an Idempotency-Key
// (rule I1), which the store keeps with the write in the same atomic
// step, per tenant, until Expires.
type Replay struct {
	Key string
	// Fingerprint identifies the request: a retry with the same key and
	// another fingerprint is refused.
	Fingerprint string
	Status      int
	Header      http.Header
	Body        []byte
	Expires     time.Time
}

// Replays is a Store that keeps the answers of Writes that carry a
// Replay.
type Replays interface {
	// Replay returns the tenant's unexpired answer under key, or
	// ErrNotFound.
	Replay(ctx context.Context, tenant, key string) (Replay, error)
}

// ErrReplayExists is what a Store returns for a Write whose Replay key
// the tenant already holds unexpired: the whole write is refused, and
// the caller answers with the recorded answer instead.
var ErrReplayExists = errors.New("contactpatch: the idempotency key already holds an answer")

// eventOf is the event of a write that leaves c, changing what res
// lists (nil for none).
func (p *Profile) eventOf(typ EventType, tenant string, c *Contact, res *Result, opts *Options) *Event {
	ev := &Event{ID: uuid.NewString(), Type: typ, Tenant: tenant, ContactID: c.ID, Version: c.Version,
		RequestID: opts.RequestID, Principal: opts.Principal, Time: opts.now()}
	if res == nil {
		return ev
	}
	for _, ch := range res.Changes() {
		ev.Changes = append(ev.Changes, FieldChange{Name: ch.Name, Old: valueJSON(ch.Old), New: valueJSON(ch.New)})
	}
	return ev
}

// valueJSON is a value as Change reports it, as JSON text.
func valueJSON(v any) json.RawMessage {
	switch v := v.(type) {
	case nil:
		return json.RawMessage("null")
	case string:
		return wire.AppendString(nil, v)
	case json.RawMessage:
		return wire.Compact(v)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null")
	}
	return raw
}

// record gives w the event of its change and, when the host records
// answers, the answer to replay.
func (p *Profile) record(w *Write, typ EventType, res *Result, opts *Options) error {
	w.Event = p.eventOf(typ, w.Tenant, &w.Contact, res, opts)
	if opts.Answer == nil {
		return nil
	}
	r, err := opts.Answer(w.Contact)
	w.Replay = r
	return err
}

// eventType is the kind of change a swap's result makes.
func eventType(res *Result) EventType {
	if res.Contact.Archived() && !res.before.Archived() {
		return EventArchived
	}
	return EventUpdated
}
