package contactpatch

// The store a host implements, one write primitive for every change
// (rules R14, G4, T1), and the read-apply-compare-and-swap cycle of
// Update over it. MemoryStore, the store in memory, is in memory.go.

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// DefaultTenant is the tenant of a deployment that serves one
// organization, and the one a single-tenant database's contacts belong
// to once upgraded.
const DefaultTenant = "default"

// Store is the storage a host implements over its database. Every call
// names its tenant, and reaches only that tenant's contacts: another
// tenant's contact is, to every method, a contact that does not exist
// (rules T1, T2). Contact.Version is the compare-and-swap token: Apply
// raises it by one per change, so that two requests patching one contact
// never lose an update (rule R14).
//
// The storetest package checks that an implementation keeps these rules.
type Store interface {
	// Get returns the tenant's contact id, or an error matching
	// ErrNotFound.
	Get(ctx context.Context, tenant, id string) (Contact, error)
	// Write performs w in one atomic step: all of it, or nothing.
	Write(ctx context.Context, w Write) error
}

// EmailIndex is a Store that finds a tenant's contact by its email, for
// the fast pre-check of rule G4 and HubSpot's idProperty=email.
type EmailIndex interface {
	// EmailOwner returns the id of the tenant's contact whose email is
	// email, ignoring case (the lowest id if several are), or "" if none.
	EmailOwner(ctx context.Context, tenant, email string) (string, error)
}

// Batcher is a Store that reads and writes many of a tenant's contacts in
// a bounded number of round trips, whatever their number (rule W4). The
// batch methods of Profile use it when a Store has it, and one call per
// contact otherwise.
type Batcher interface {
	// GetMany returns the tenant's contacts among ids, in the order of
	// ids, leaving out the ones it does not hold.
	GetMany(ctx context.Context, tenant string, ids []string) ([]Contact, error)
	// KeyOwners returns the id of the tenant's contact that holds each
	// key, or "" for a key no contact holds.
	KeyOwners(ctx context.Context, tenant string, keys []UniqueKey) ([]string, error)
	// WriteMany performs ws, which all name one tenant, in order, each
	// as Write would, and returns each one's error (nil for a write
	// done). With atomic set, either every write is done or none is;
	// without it, each is done or not by itself. The second result is a
	// failure of the store itself, with nothing written.
	WriteMany(ctx context.Context, ws []Write, atomic bool) ([]error, error)
}

// sameTenant refuses a batch of writes naming more than one tenant.
func sameTenant(ws []Write) error {
	for _, w := range ws {
		if w.Tenant != ws[0].Tenant {
			return errors.New("contactpatch: one WriteMany names two tenants")
		}
	}
	return nil
}

// Op is what a Write does.
type Op uint8

const (
	// Swap replaces the contact with Contact.ID if its stored version is
	// still Write.Version: ErrNotFound for an unknown id,
	// ErrVersionMismatch for a moved version. Over SQL it is an UPDATE
	// ... WHERE tenant = $1 AND id = $2 AND version = $3 that must touch
	// one row.
	Swap Op = iota + 1
	// Insert stores a new contact: ErrExists if the tenant already has
	// one with its id.
	Insert
	// Delete erases the contact with Contact.ID and frees its unique keys
	// if its stored version is still Write.Version: ErrNotFound for an
	// unknown id, ErrVersionMismatch for a moved version (rule W3). Keys
	// and KeepKeys are ignored.
	Delete
)

// Valid reports whether o is one of the Ops.
func (o Op) Valid() bool { return o >= Swap && o <= Delete }

// Write is one change to a tenant's contacts, which a Store performs in
// one atomic step with the unique keys it carries.
type Write struct {
	Tenant  string
	Op      Op
	Contact Contact
	// Version is the version read, which a Swap compares with the stored
	// one.
	Version uint64
	// Keys are the contact's unique keys after the write (rule G4), which
	// replace the ones it held: a key another contact of the tenant holds
	// fails the whole write with a *ConflictError naming it. Two tenants
	// may hold one value (rule T3).
	Keys []UniqueKey
	// KeepKeys leaves a swapped contact's keys as they are, so that a
	// store may skip the keys' work: Update and the batches set it for a
	// patch that changed no unique field, which every patch of a profile
	// with none is. An Insert always records Keys.
	KeepKeys bool
	// Event is the change the write makes, which a Feed records in the
	// same atomic step, giving it its Seq (rule E1); nil records none.
	Event *Event
	// Replay is the answer to record with the write (rule I1): a
	// Replays store refuses the whole write with ErrReplayExists when
	// the tenant holds the key unexpired. nil records none.
	Replay *Replay
}

// UniqueKey is a value that at most one contact of a tenant may hold: a
// field the profile marks Unique, with the value the contact holds.
type UniqueKey struct {
	Field Field  // the canonical field
	Name  string // the profile's wire name, for the conflict error
	Value string // the value as stored
}

// ErrVersionMismatch is what a Store returns when another write got in
// between a read and a compare-and-swap. [Profile.Update] retries on it; it
// never reaches a client.
var ErrVersionMismatch = errors.New("contactpatch: stored version changed")

// ErrExists is 409 exists: an Insert of an id the tenant already holds.
var ErrExists = StatusError{http.StatusConflict, "exists", "A contact with this id already exists"}

// MaxUpdateAttempts bounds the read-apply-compare-and-swap rounds of one
// Update: each lost round means another writer won, so only a contact
// written by more than this many writers at once, or a store whose
// compare-and-swap never matches, reaches it. Update then fails with
// ErrContended rather than spinning.
const MaxUpdateAttempts = 256

// ErrContended is Update's error after MaxUpdateAttempts lost rounds: 503,
// with code "contended"; the client may try again.
var ErrContended = StatusError{http.StatusServiceUnavailable, "contended", "The contact is changing too fast; try again"}

// Update runs the whole PATCH cycle of the tenant's contact id against s:
// it decodes body once, then reads the contact, applies the patch and
// compare-and-swaps the result, reading again and reapplying whenever
// another writer got in first, up to MaxUpdateAttempts rounds. So
// concurrent patches all land, and concurrent note appends all survive.
// A patch that changes nothing is not written.
//
// With Options.IfMatch set, a write that lost the race fails with
// ErrPreconditionFailed instead of being retried, since the client's
// precondition no longer holds. Update stops when ctx is done.
func (p *Profile) Update(ctx context.Context, s Store, tenant, id string, body []byte, opts Options) (Result, error) {
	var patch Patch
	errs, err := p.decodeBody(body, &patch)
	if err != nil {
		return Result{}, err
	}
	for range MaxUpdateAttempts {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		stored, err := s.Get(ctx, tenant, id)
		switch {
		case err != nil:
			return Result{}, err
		case stored.Archived():
			return Result{}, ErrNotFound
		}
		var res Result
		if err := p.apply(ctx, &stored, &patch, &opts, slices.Clone(errs), &res); err != nil {
			return Result{}, err
		}
		if !res.Changed() {
			return res, nil
		}
		w := p.swapOf(tenant, &res)
		if err := p.record(&w, eventType(&res), &res, &opts); err != nil {
			return Result{}, err
		}
		switch err := p.write(ctx, s, w); {
		case err == nil:
			return res, nil
		case !errors.Is(err, ErrVersionMismatch):
			return Result{}, err
		}
	}
	return Result{}, ErrContended
}

// Insert stores c as a new contact of the tenant, with the unique keys
// the profile gives it, in one atomic write: ErrExists when the id is
// taken, a *ConflictError when another contact of the tenant holds one of
// its keys. It does not validate c: it is for seeding and tests.
func (p *Profile) Insert(ctx context.Context, s Store, tenant string, c Contact) error {
	if err := p.ready(); err != nil {
		return err
	}
	return p.write(ctx, s, p.writeOf(tenant, Insert, c, 0))
}

// writeOf is the Write of c with the profile's unique keys.
func (p *Profile) writeOf(tenant string, op Op, c Contact, version uint64) Write {
	return Write{Tenant: tenant, Op: op, Contact: c, Version: version, Keys: p.UniqueKeys(c), KeepKeys: len(p.unique) == 0}
}

// swapOf is the compare-and-swap of a patch's result. It keeps the keys
// when the patch changed no unique field, so that the store has only the
// row to write.
func (p *Profile) swapOf(tenant string, res *Result) Write {
	w := p.writeOf(tenant, Swap, res.Contact, res.before.Version)
	for _, i := range p.unique {
		if res.changed.has(p.specs[i].Field) {
			return w
		}
	}
	w.KeepKeys = true
	return w
}

// write performs w, locating a conflict's field in the body.
func (p *Profile) write(ctx context.Context, s Store, w Write) error {
	return p.locate(s.Write(ctx, w))
}

// locate gives a store's conflict the pointer of its field in the body.
func (p *Profile) locate(err error) error {
	var ce *ConflictError
	if errors.As(err, &ce) && ce.Pointer == "" {
		ce.Pointer = p.envelopePointer + wire.Pointer(ce.Field)
	}
	return err
}

// UniqueKeys lists the values of c that the profile's Unique fields make
// unique keys, as Update hands them to a Store.
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

// EmailOwnerIn is an Options.EmailOwner that looks only inside tenant:
// what a multi-tenant host hands Update for rule G4's pre-check.
func EmailOwnerIn(s EmailIndex, tenant string) func(ctx context.Context, email string) (string, error) {
	return func(ctx context.Context, email string) (string, error) { return s.EmailOwner(ctx, tenant, email) }
}
