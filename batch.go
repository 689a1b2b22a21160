package contactpatch

// Batches (rules W2, W4): many inputs of one tenant read, updated,
// upserted by a unique field or archived in one call, one outcome each,
// in a bounded number of store calls whatever their number: a read of
// them all, a lookup of the unique keys for an upsert, and one WriteMany.
// Inputs that lost a race to another writer go round again, alone.

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Input is one input of a batch.
type Input struct {
	// ID names the contact: its id, or for an upsert the value of the
	// unique field.
	ID string
	// Body is the input's patch, as a PATCH body of the profile.
	Body []byte
	// IfMatch, if set, is the input's precondition, as Options.IfMatch is
	// for one contact.
	IfMatch string
}

// Outcome is what became of one input of a batch.
type Outcome struct {
	// Result holds the contact after the input: the one read, written, or
	// left as it was by a patch that changed nothing.
	Result Result
	// Created reports that an upsert created the contact.
	Created bool
	// Err is why the input failed, with field errors located in the
	// input's own body; nil when it succeeded.
	Err error
}

// BatchOptions are the options of one batch call.
type BatchOptions struct {
	// Options apply to every input; each Input carries its own IfMatch.
	Options
	// AllOrNothing writes nothing unless every input succeeds: the writes
	// are then one atomic step, and the inputs that did not fail get
	// ErrNotWritten. Without it, each input is written or not by itself.
	// A Store that is not a Batcher cannot write more than one input all
	// or nothing.
	AllOrNothing bool
}

// ErrNotWritten is 424 not_written: the outcome of a good input of an
// all-or-nothing batch in which another input failed.
var ErrNotWritten = StatusError{http.StatusFailedDependency, "not_written", "Not written: another input of the batch failed"}

// ErrDuplicateInput is 400 duplicate_input: an input naming a contact an
// earlier input of the batch names too.
var ErrDuplicateInput = StatusError{http.StatusBadRequest, "duplicate_input", "An earlier input of the batch names this contact"}

// errNotAtomic is what a Store that is not a Batcher answers an
// all-or-nothing batch of more than one write.
var errNotAtomic = errors.New("contactpatch: the store is not a Batcher, so it cannot write a batch all or nothing")

// ReadMany returns the tenant's contacts ids in one store call, an
// Outcome each in the order of ids: ErrNotFound for an unknown id, and
// for an archived contact unless archived is set.
func (p *Profile) ReadMany(ctx context.Context, s Store, tenant string, ids []string, archived bool) ([]Outcome, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	found, err := batcherOf(s).GetMany(ctx, tenant, ids)
	if err != nil {
		return nil, err
	}
	byID := indexByID(found)
	out := make([]Outcome, len(ids))
	for i, id := range ids {
		c, ok := byID[id]
		if !ok || c.Archived() && !archived {
			out[i].Err = ErrNotFound
			continue
		}
		out[i].Result = Result{Contact: *c, before: *c, prof: p}
	}
	return out, nil
}

// ReadManyBy returns the tenant's contacts whose unique field holds each
// of values (HubSpot's batch read with idProperty), in one lookup of the
// keys and one read, an Outcome each in the order of values: ErrNotFound
// for a value no contact holds, or one that the field's policy refuses,
// which no contact can hold. A value goes through the policy first, so
// Ada@Example.com finds ada@example.com.
func (p *Profile) ReadManyBy(ctx context.Context, s Store, tenant string, field Field, values []string, archived bool) ([]Outcome, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	if spec := p.spec(field); spec == nil || !spec.Unique {
		return nil, p.errorf("read by %s, which is not a unique field", field)
	}
	out := make([]Outcome, len(values))
	var keys []UniqueKey
	var at []int
	for i, v := range values {
		k, err := p.keyOf(ctx, field, v)
		if err != nil {
			out[i].Err = ErrNotFound
			continue
		}
		keys, at = append(keys, k), append(at, i)
	}
	owners, err := batcherOf(s).KeyOwners(ctx, tenant, keys)
	if err != nil {
		return nil, err
	}
	read, err := p.ReadMany(ctx, s, tenant, owners, archived)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		out[i] = read[j]
	}
	return out, nil
}

// UpdateMany patches the tenant's contacts, each Input's body applied to
// the contact its ID names as Update applies one (rule W4).
func (p *Profile) UpdateMany(ctx context.Context, s Store, tenant string, in []Input, o BatchOptions) ([]Outcome, error) {
	bt, err := p.newBatch(ctx, s, tenant, in, o, true)
	if err != nil {
		return nil, err
	}
	return bt.run(bt.unique(func(i int) (string, error) { return in[i].ID, nil }), bt.updateStep)
}

// Upsert creates or patches the tenant's contact whose unique field
// holds value (rule W2), in one atomic write: with no such contact, body
// is checked as Create checks one, with the field set to value unless
// the body sets it; otherwise it patches that contact as Update does. Of
// racing upserts for one new value, exactly one creates the contact and
// the others patch it. field must be one the profile marks Unique.
func (p *Profile) Upsert(ctx context.Context, s Store, tenant string, field Field, value string, body []byte, opts Options) (Outcome, error) {
	out, err := p.UpsertMany(ctx, s, tenant, field, []Input{{ID: value, Body: body, IfMatch: opts.IfMatch}}, BatchOptions{Options: opts})
	if err != nil {
		return Outcome{}, err
	}
	return out[0], nil
}

// UpsertMany upserts each Input as Upsert does, its ID the value of field.
func (p *Profile) UpsertMany(ctx context.Context, s Store, tenant string, field Field, in []Input, o BatchOptions) ([]Outcome, error) {
	bt, err := p.newBatch(ctx, s, tenant, in, o, true)
	if err != nil {
		return nil, err
	}
	if spec := p.spec(field); spec == nil || !spec.Unique {
		return nil, p.errorf("upsert by %s, which is not a unique field", field)
	}
	bt.field, bt.keys, bt.owner = field, make([]UniqueKey, len(in)), make([]string, len(in))
	pending := bt.unique(func(i int) (string, error) {
		k, err := p.keyOf(ctx, field, in[i].ID)
		bt.keys[i] = k
		return k.Value, err
	})
	return bt.run(pending, bt.upsertStep)
}

// ArchiveMany archives the tenant's contacts, each as Archive does; the
// inputs' bodies are not read.
func (p *Profile) ArchiveMany(ctx context.Context, s Store, tenant string, in []Input, o BatchOptions) ([]Outcome, error) {
	bt, err := p.newBatch(ctx, s, tenant, in, o, false)
	if err != nil {
		return nil, err
	}
	return bt.run(bt.unique(func(i int) (string, error) { return in[i].ID, nil }), bt.archiveStep)
}

// batch is the state of one batch call.
type batch struct {
	p       *Profile
	ctx     context.Context
	b       Batcher
	tenant  string
	in      []Input
	o       BatchOptions
	out     []Outcome
	patches []Patch
	errs    [][]FieldError // each body's decoding errors, reported with Apply's

	field Field       // an upsert's unique field
	keys  []UniqueKey // each upsert input's key, as stored
	owner []string    // the holder of each upsert input's key, once known
}

func (p *Profile) newBatch(ctx context.Context, s Store, tenant string, in []Input, o BatchOptions, bodies bool) (*batch, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	bt := &batch{p: p, ctx: ctx, b: batcherOf(s), tenant: tenant, in: in, o: o, out: make([]Outcome, len(in))}
	if !bodies {
		return bt, nil
	}
	bt.patches, bt.errs = make([]Patch, len(in)), make([][]FieldError, len(in))
	for i := range in {
		bt.errs[i], bt.out[i].Err = p.decodeBody(in[i].Body, &bt.patches[i])
	}
	return bt, nil
}

// unique returns the inputs still to do: those that decoded, whose key
// is good, and that no earlier input names too.
func (bt *batch) unique(key func(i int) (string, error)) []int {
	var pending []int
	seen := map[string]bool{}
	for i := range bt.in {
		if bt.out[i].Err != nil {
			continue
		}
		k, err := key(i)
		switch {
		case err != nil:
			bt.out[i].Err = err
		case seen[k]:
			bt.out[i].Err = ErrDuplicateInput
		default:
			seen[k] = true
			pending = append(pending, i)
		}
	}
	return pending
}

// run does step for the pending inputs, then again for those that lost a
// race to another writer, up to MaxUpdateAttempts rounds.
func (bt *batch) run(pending []int, step func([]int) ([]int, error)) ([]Outcome, error) {
	for range MaxUpdateAttempts {
		if len(pending) == 0 {
			break
		}
		if err := bt.ctx.Err(); err != nil {
			return nil, err
		}
		for _, i := range pending {
			bt.out[i] = Outcome{}
		}
		lost, err := step(pending)
		if err != nil {
			return nil, err
		}
		pending = lost
	}
	for _, i := range pending {
		bt.out[i].Err = ErrContended
	}
	if bt.o.AllOrNothing && slices.ContainsFunc(bt.out, func(o Outcome) bool { return o.Err != nil }) {
		for i := range bt.out {
			if bt.out[i].Err == nil {
				bt.out[i] = Outcome{Err: ErrNotWritten}
			}
		}
	}
	return bt.out, nil
}

// staged are the writes of one round, and the input of each; an input's
// outcome is set as it is staged, and replaced if its write fails.
type staged struct {
	writes []Write
	inputs []int
}

func (bt *batch) stage(n int) *staged {
	return &staged{writes: make([]Write, 0, n), inputs: make([]int, 0, n)}
}

// add stages input i's write w, with the outcome it has once done and
// the event of its change.
func (st *staged) add(bt *batch, i int, w Write, o Outcome) {
	typ := EventCreated
	if w.Op == Swap {
		typ = eventType(&o.Result)
	}
	opts := bt.o.Options
	if len(bt.in) > 1 {
		opts.Answer = nil // an answer is one write's
	}
	if err := bt.p.record(&w, typ, &o.Result, &opts); err != nil {
		bt.out[i] = Outcome{Err: err}
		return
	}
	st.writes, st.inputs = append(st.writes, w), append(st.inputs, i)
	bt.out[i] = o
}

// commit performs the writes of one round and returns the inputs that
// lost a race. An all-or-nothing batch with a failed input writes none.
func (bt *batch) commit(pending []int, ws *staged) ([]int, error) {
	atomic := bt.o.AllOrNothing
	if atomic && slices.ContainsFunc(pending, func(i int) bool { return bt.out[i].Err != nil }) || len(ws.writes) == 0 {
		return nil, nil
	}
	errs, err := bt.b.WriteMany(bt.ctx, ws.writes, atomic)
	if err != nil {
		return nil, err
	}
	var lost []int
	for j, e := range errs {
		i := ws.inputs[j]
		switch {
		case e == nil:
		case bt.lostRace(i, ws.writes[j], e):
			lost = append(lost, i)
		default:
			bt.out[i] = Outcome{Err: bt.p.locate(e)}
		}
	}
	if atomic && len(lost) > 0 {
		if slices.ContainsFunc(pending, func(i int) bool { return bt.out[i].Err != nil }) {
			return nil, nil // a real failure: nothing was written, and nothing will be
		}
		return pending, nil // the whole batch goes round again
	}
	return lost, nil
}

// lostRace reports whether input i's write failed only because another
// writer got in first, so that its next round may succeed. An input with
// a precondition fails instead, as Update does.
func (bt *batch) lostRace(i int, w Write, err error) bool {
	var ce *ConflictError
	switch {
	case errors.Is(err, ErrVersionMismatch) && bt.in[i].IfMatch != "":
		bt.out[i] = Outcome{Err: ErrPreconditionFailed}
		return false
	case errors.Is(err, ErrVersionMismatch), w.Op == Insert && errors.Is(err, ErrExists):
		return true
	case w.Op == Insert && bt.field != 0 && errors.As(err, &ce) && ce.Field == bt.p.wireName(bt.field) && ce.OwnerID != "":
		bt.owner[i] = ce.OwnerID // another upsert created it first: patch that one
		return true
	}
	return false
}

// applyTo applies input i's patch to stored, as Update would.
func (bt *batch) applyTo(i int, stored *Contact) (Result, error) {
	opts := bt.o.Options
	opts.IfMatch = bt.in[i].IfMatch
	var res Result
	err := bt.p.apply(bt.ctx, stored, &bt.patches[i], &opts, slices.Clone(bt.errs[i]), &res)
	return res, err
}

// read reads the contacts ids names, by id.
func (bt *batch) read(ids []string) (map[string]*Contact, error) {
	found, err := bt.b.GetMany(bt.ctx, bt.tenant, ids)
	return indexByID(found), err
}

func (bt *batch) updateStep(pending []int) ([]int, error) {
	byID, err := bt.read(bt.ids(pending, func(i int) string { return bt.in[i].ID }))
	if err != nil {
		return nil, err
	}
	ws := bt.stage(len(pending))
	for _, i := range pending {
		bt.patch(ws, i, byID, bt.in[i].ID)
	}
	return bt.commit(pending, ws)
}

// patch applies input i to the contact id of byID, staging its write
// if it changed the contact.
func (bt *batch) patch(ws *staged, i int, byID map[string]*Contact, id string) {
	c, ok := byID[id]
	if !ok || c.Archived() {
		bt.out[i].Err = ErrNotFound
		return
	}
	res, err := bt.applyTo(i, c)
	switch {
	case err != nil:
		bt.out[i].Err = err
	case !res.Changed():
		bt.out[i].Result = res
	default:
		ws.add(bt, i, bt.p.swapOf(bt.tenant, &res), Outcome{Result: res})
	}
}

func (bt *batch) upsertStep(pending []int) ([]int, error) {
	if err := bt.findOwners(pending); err != nil {
		return nil, err
	}
	byID, err := bt.read(bt.ids(pending, func(i int) string { return bt.owner[i] }))
	if err != nil {
		return nil, err
	}
	ws := bt.stage(len(pending))
	var lost []int
	for _, i := range pending {
		owner := bt.owner[i]
		if owner == "" {
			bt.create(ws, i)
			continue
		}
		switch c, ok := byID[owner]; {
		case !ok: // erased since the lookup
			bt.owner[i] = ""
			lost = append(lost, i)
			continue
		case c.Archived():
			bt.out[i].Err = bt.p.locate(&ConflictError{Field: bt.p.wireName(bt.field), OwnerID: owner})
			continue
		}
		bt.patch(ws, i, byID, owner)
	}
	more, err := bt.commit(pending, ws)
	return append(lost, more...), err
}

// findOwners looks up, in one store call, who holds the keys of the
// pending inputs whose holder is not known yet.
func (bt *batch) findOwners(pending []int) error {
	var ask []int
	for _, i := range pending {
		if bt.owner[i] == "" {
			ask = append(ask, i)
		}
	}
	if len(ask) == 0 {
		return nil
	}
	keys := make([]UniqueKey, len(ask))
	for j, i := range ask {
		keys[j] = bt.keys[i]
	}
	owners, err := bt.b.KeyOwners(bt.ctx, bt.tenant, keys)
	if err != nil {
		return err
	}
	for j, i := range ask {
		bt.owner[i] = owners[j]
	}
	return nil
}

// create stages input i's new contact, with its key unless its body sets
// the field.
func (bt *batch) create(ws *staged, i int) {
	patch := bt.patches[i]
	if !patch.sent().has(bt.field) {
		*patch.text(bt.field) = Value(bt.keys[i].Value)
	}
	opts := bt.o.Options
	opts.EmailOwner = nil // the key table answers for this contact's keys
	res, err := bt.p.newContact(bt.ctx, &patch, &opts, bt.errs[i])
	if err != nil {
		bt.out[i].Err = err
		return
	}
	ws.add(bt, i, bt.p.writeOf(bt.tenant, Insert, res.Contact, 0), Outcome{Result: res, Created: true})
}

func (bt *batch) archiveStep(pending []int) ([]int, error) {
	byID, err := bt.read(bt.ids(pending, func(i int) string { return bt.in[i].ID }))
	if err != nil {
		return nil, err
	}
	now := bt.o.now()
	ws := bt.stage(len(pending))
	for _, i := range pending {
		c, ok := byID[bt.in[i].ID]
		switch {
		case !ok:
			bt.out[i].Err = ErrNotFound
		case bt.in[i].IfMatch != "" && !MatchesIfMatch(bt.in[i].IfMatch, *c):
			bt.out[i].Err = ErrPreconditionFailed
		case c.Archived():
			bt.out[i].Result = Result{Contact: *c, before: *c, prof: bt.p}
		default:
			next := *c
			next.detach()
			next.ArchivedAt, next.UpdatedAt = now, now
			next.Version++
			w := Write{Tenant: bt.tenant, Op: Swap, Contact: next, Version: c.Version, KeepKeys: true}
			ws.add(bt, i, w, Outcome{Result: Result{Contact: next, before: *c, prof: bt.p}})
		}
	}
	return bt.commit(pending, ws)
}

// ids lists the non-empty ids of the pending inputs.
func (bt *batch) ids(pending []int, id func(int) string) []string {
	out := make([]string, 0, len(pending))
	for _, i := range pending {
		if v := id(i); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// keyOf is the unique key a value of field is stored as: value through
// the field's policy, as a create would store it.
func (p *Profile) keyOf(ctx context.Context, field Field, value string) (UniqueKey, error) {
	var patch Patch
	*patch.text(field) = Value(value)
	var res Result
	if err := p.merge(ctx, &Contact{}, &patch, &Options{}, nil, &res); err != nil {
		return UniqueKey{}, err
	}
	for _, k := range p.UniqueKeys(res.Contact) {
		if k.Field == field {
			return k, nil
		}
	}
	spec := p.spec(field)
	return UniqueKey{}, &ValidationError{Fields: []FieldError{{Field: spec.Name, Pointer: p.envelopePointer + wire.Pointer(spec.Name),
		Code: CodeRequired, Message: "An upsert needs a value of its unique field"}}}
}

func indexByID(cs []Contact) map[string]*Contact {
	m := make(map[string]*Contact, len(cs))
	for i := range cs {
		m[cs[i].ID] = &cs[i]
	}
	return m
}

// batcherOf is s as a Batcher: itself, or one call per contact.
func batcherOf(s Store) Batcher {
	if b, ok := s.(Batcher); ok {
		return b
	}
	return oneByOne{s}
}

// oneByOne is a Batcher over a Store that is not one.
type oneByOne struct{ s Store }

func (o oneByOne) GetMany(ctx context.Context, tenant string, ids []string) ([]Contact, error) {
	var out []Contact
	for _, id := range ids {
		c, err := o.s.Get(ctx, tenant, id)
		switch {
		case err == nil:
			out = append(out, c)
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
	}
	return out, nil
}

// KeyOwners finds emails through an EmailIndex, and leaves other keys to
// the insert that meets them, whose conflict names the holder.
func (o oneByOne) KeyOwners(ctx context.Context, tenant string, keys []UniqueKey) ([]string, error) {
	out := make([]string, len(keys))
	ix, ok := o.s.(EmailIndex)
	for i, k := range keys {
		if ok && k.Field == FieldEmail {
			owner, err := ix.EmailOwner(ctx, tenant, k.Value)
			if err != nil {
				return nil, err
			}
			out[i] = owner
		}
	}
	return out, nil
}

func (o oneByOne) WriteMany(ctx context.Context, ws []Write, atomic bool) ([]error, error) {
	if atomic && len(ws) > 1 {
		return nil, errNotAtomic
	}
	errs := make([]error, len(ws))
	for i, w := range ws {
		errs[i] = o.s.Write(ctx, w)
	}
	return errs, nil
}
