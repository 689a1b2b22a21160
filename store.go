package contactpatch

// The read-apply-compare-and-swap cycle over a host's Store (rule R14,
// and G4 with a UniqueStore), and MemoryStore, the Store in memory.

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Store is the storage a host implements over its database so that two
// requests patching one contact never lose an update (rule R14). Contact
// Version is the compare-and-swap token: Apply raises it by one per change.
type Store interface {
	// Get returns the stored contact, or an error matching ErrNotFound.
	Get(ctx context.Context, id string) (Contact, error)
	// CompareAndSwap stores c in place of the contact with c.ID if that
	// contact's Version is still version, and otherwise returns an error
	// matching ErrVersionMismatch without writing. Over SQL it is an
	// UPDATE ... WHERE id = $1 AND version = $2 that must touch one row.
	CompareAndSwap(ctx context.Context, c Contact, version uint64) error
}

// UniqueKey is a value that at most one contact of a store may hold: a
// field the profile marks Unique, with the value the new contact holds.
type UniqueKey struct {
	Field Field  // the canonical field
	Name  string // the profile's wire name, for the conflict error
	Value string // the value as stored
}

// UniqueStore is a Store that enforces unique keys in the same atomic step
// as its compare-and-swap (rule G4). Over SQL the keys are unique indexes,
// and a violation of one maps to the conflict error.
type UniqueStore interface {
	Store
	// CompareAndSwapUnique is CompareAndSwap that also refuses, writing
	// nothing, with a *ConflictError naming the key, when a contact other
	// than c holds one of the keys' values.
	CompareAndSwapUnique(ctx context.Context, c Contact, version uint64, keys []UniqueKey) error
}

// errNotUniqueStore is Update's error for a profile with unique fields
// over a store that cannot enforce them: a pre-check outside the write
// would let two racing patches both win.
var errNotUniqueStore = errors.New("contactpatch: the profile has unique fields, and the store is not a UniqueStore that can enforce them")

// ErrVersionMismatch is what a Store returns when another write got in
// between a read and a compare-and-swap. [Profile.Update] retries on it; it
// never reaches a client.
var ErrVersionMismatch = errors.New("contactpatch: stored version changed")

// MaxUpdateAttempts bounds the read-apply-compare-and-swap rounds of one
// Update: each lost round means another writer won, so only a contact
// written by more than this many writers at once, or a store whose
// compare-and-swap never matches, reaches it. Update then fails with
// ErrContended rather than spinning.
const MaxUpdateAttempts = 256

// ErrContended is Update's error after MaxUpdateAttempts lost rounds: 503,
// with code "contended"; the client may try again.
var ErrContended = StatusError{http.StatusServiceUnavailable, "contended", "The contact is changing too fast; try again"}

// Update runs the whole PATCH cycle against s: it decodes body once, then
// reads the contact, applies the patch and compare-and-swaps the result,
// reading again and reapplying whenever another writer got in first, up
// to MaxUpdateAttempts rounds. So concurrent patches all land, and
// concurrent note appends all survive. A patch that changes nothing is
// not written.
//
// With Options.IfMatch set, a write that lost the race fails with
// ErrPreconditionFailed instead of being retried, since the client's
// precondition no longer holds. Update stops when ctx is done.
func (p *Profile) Update(ctx context.Context, s Store, id string, body []byte, opts Options) (Result, error) {
	var patch Patch
	errs, err := p.decodeBody(body, &patch)
	if err != nil {
		return Result{}, err
	}
	for range MaxUpdateAttempts {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		stored, err := s.Get(ctx, id)
		if err != nil {
			return Result{}, err
		}
		var res Result
		if err := p.apply(ctx, &stored, &patch, &opts, slices.Clone(errs), &res); err != nil {
			return Result{}, err
		}
		if !res.Changed() {
			return res, nil
		}
		switch err := p.write(ctx, s, res.Contact, stored.Version); {
		case err == nil:
			return res, nil
		case !errors.Is(err, ErrVersionMismatch):
			return Result{}, err
		}
	}
	return Result{}, ErrContended
}

// write compare-and-swaps c, with its unique keys when the profile has
// any.
func (p *Profile) write(ctx context.Context, s Store, c Contact, version uint64) error {
	if len(p.unique) == 0 {
		return s.CompareAndSwap(ctx, c, version)
	}
	us, ok := s.(UniqueStore)
	if !ok {
		return errNotUniqueStore
	}
	err := us.CompareAndSwapUnique(ctx, c, version, p.UniqueKeys(c))
	var ce *ConflictError
	if errors.As(err, &ce) && ce.Pointer == "" {
		ce.Pointer = p.envelopePointer + wire.Pointer(ce.Field)
	}
	return err
}

// UniqueKeys lists the values of c that the profile's Unique fields make
// unique keys, as Update hands them to a UniqueStore: what a store seeded
// outside Update records for a contact.
func (p *Profile) UniqueKeys(c Contact) []UniqueKey {
	if p.ready() != nil {
		return nil
	}
	var keys []UniqueKey
	for _, i := range p.unique {
		spec := &p.specs[i]
		if v, ok := c.text(spec.Field).Get(); ok && v != "" {
			keys = append(keys, UniqueKey{Field: spec.Field, Name: spec.Name, Value: v})
		}
	}
	return keys
}

// MemoryStore is a Store in memory, safe for concurrent use, for tests,
// examples and prototypes. The zero MemoryStore is empty and ready to use.
type MemoryStore struct {
	mu       sync.RWMutex
	contacts map[string]Contact
}

// Get returns a copy of the contact with the given id, or ErrNotFound.
func (m *MemoryStore) Get(_ context.Context, id string) (Contact, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.contacts[id]
	if !ok {
		return Contact{}, ErrNotFound
	}
	c.detach()
	return c, nil
}

// CompareAndSwap stores a copy of c if the stored contact with c.ID has
// the given version; it returns ErrNotFound for an unknown id and
// ErrVersionMismatch for a stale version.
func (m *MemoryStore) CompareAndSwap(_ context.Context, c Contact, version uint64) error {
	return m.swap(c, version, nil)
}

// CompareAndSwapUnique is CompareAndSwap that also refuses, under the
// same lock, a contact whose unique keys another stored contact holds:
// of two racing writes giving two contacts one email, exactly one wins.
func (m *MemoryStore) CompareAndSwapUnique(_ context.Context, c Contact, version uint64, keys []UniqueKey) error {
	return m.swap(c, version, keys)
}

func (m *MemoryStore) swap(c Contact, version uint64, keys []UniqueKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.contacts[c.ID]
	switch {
	case !ok:
		return ErrNotFound
	case cur.Version != version:
		return ErrVersionMismatch
	}
	for _, k := range keys {
		for id, other := range m.contacts {
			if v, ok := other.text(k.Field).Get(); ok && id != c.ID && v == k.Value {
				return &ConflictError{Field: k.Name, OwnerID: id}
			}
		}
	}
	c.detach()
	m.contacts[c.ID] = c
	return nil
}

// Put stores a copy of c, replacing any contact with its ID, whatever its
// version. It is for seeding a store.
func (m *MemoryStore) Put(c Contact) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.contacts == nil {
		m.contacts = map[string]Contact{}
	}
	c.detach()
	m.contacts[c.ID] = c
}

// EmailOwner returns the ID of a stored contact whose email equals email,
// ignoring case, or "" if there is none. It fits Options.EmailOwner
// (rule G4).
func (m *MemoryStore) EmailOwner(_ context.Context, email string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, id := range slices.Sorted(maps.Keys(m.contacts)) {
		if e, ok := m.contacts[id].Email.Get(); ok && strings.EqualFold(e, email) {
			return id, nil
		}
	}
	return "", nil
}

// IDs returns the stored ids in sorted order.
func (m *MemoryStore) IDs() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Sorted(maps.Keys(m.contacts))
}
