package contactpatch

// The life of a contact beyond PATCH (rules W1-W3): a create body checked
// with the profile's required fields, defaults and every policy, then
// inserted with its unique keys in one atomic write; archive, which keeps
// the data and hides it; and delete, which erases it and frees its keys.

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
	"github.com/google/uuid"
)

// maxNewIDs bounds the ids Create tries when Options.NewID hands it one
// the tenant holds already.
const maxNewIDs = 3

// Create checks body as a new contact of the tenant, with the profile's
// rules for one (rule W1): every policy, as for a PATCH, with the fields
// the body leaves out taking their FieldSpec.Default, and each Required
// field given a value. It stores the contact and its unique keys in one
// atomic write, so that a create that fails leaves nothing behind:
// a *ValidationError for an invalid body, a *ConflictError naming the
// contact that holds one of its unique values.
//
// The new contact has the id Options.NewID makes (a random UUID when
// nil), CreatedAt and UpdatedAt from Options.Now, and Version 1. Read-only
// fields sent in the body must match these, as R5 says for a PATCH.
func (p *Profile) Create(ctx context.Context, s Store, tenant string, body []byte, opts Options) (Result, error) {
	var patch Patch
	errs, err := p.decodeBody(body, &patch)
	if err != nil {
		return Result{}, err
	}
	for range maxNewIDs {
		res, err := p.newContact(ctx, &patch, &opts, errs)
		if err != nil {
			return Result{}, err
		}
		w := p.writeOf(tenant, Insert, res.Contact, 0)
		if err := p.record(&w, EventCreated, &res, &opts); err != nil {
			return Result{}, err
		}
		if err := p.write(ctx, s, w); !errors.Is(err, ErrExists) {
			if err != nil {
				return Result{}, err
			}
			return res, nil
		}
	}
	return Result{}, ErrExists
}

// newContact applies patch, with the defaults for what it leaves out, to
// a contact that has only an id and its creation time.
func (p *Profile) newContact(ctx context.Context, patch *Patch, opts *Options, errs []FieldError) (Result, error) {
	full := *patch
	full.Extensions = maps.Clone(patch.Extensions)
	full.fillFrom(&p.defaults)
	errs = p.missingRequired(&full, slices.Clone(errs))
	now := opts.now()
	base := Contact{ID: opts.newID(), CreatedAt: now}
	at := *opts
	at.Now, at.IfMatch = func() time.Time { return now }, ""
	var res Result
	if err := p.apply(ctx, &base, &full, &at, errs, &res); err != nil {
		return Result{}, err
	}
	res.Contact.Version, res.Contact.UpdatedAt = 1, now
	return res, nil
}

// missingRequired adds a required error for each Required field patch
// gives no value.
func (p *Profile) missingRequired(patch *Patch, errs []FieldError) []FieldError {
	for _, i := range p.required {
		spec := &p.specs[i]
		if !patch.gives(spec) {
			errs = append(errs, FieldError{Field: spec.Name, Pointer: p.envelopePointer + wire.Pointer(spec.Name),
				Code: CodeRequired, Message: "Required for a new contact"})
		}
	}
	return errs
}

// gives reports whether patch sets spec's field to a value: not left
// out, not null, and for text not blank.
func (p *Patch) gives(spec *FieldSpec) bool {
	if spec.isExtension() {
		v, ok := p.Extensions[spec.Name]
		return ok && v.HasValue() && !wire.IsNull(v.Or(nil))
	}
	f := spec.Field
	switch {
	case !p.sent().has(f) || p.isNull(f):
		return false
	case f.kind() == kindText:
		v, _ := p.text(f).Get()
		return strings.TrimSpace(v) != ""
	}
	return true
}

// fillFrom gives p the fields d sends and p leaves out.
func (p *Patch) fillFrom(d *Patch) {
	sent, defaults := p.sent(), d.sent()
	for f := FieldID; f < numFields; f++ {
		if !defaults.has(f) || sent.has(f) {
			continue
		}
		switch f.kind() {
		case kindText:
			*p.text(f) = *d.text(f)
		case kindTags:
			v := *d.tagsField(f)
			if list, ok := v.Get(); ok {
				v = Value(slices.Clone(list))
			}
			*p.tagsField(f) = v
		case kindBool:
			*p.boolField(f) = *d.boolField(f)
		case kindCustom:
			v := *d.customField(f)
			if m, ok := v.Get(); ok {
				v = Value(maps.Clone(m))
			}
			*p.customField(f) = v
		}
	}
	for name, v := range d.Extensions {
		if _, ok := p.Extensions[name]; !ok {
			p.setExtension(name, v)
		}
	}
}

// compileCreate is NewProfile's part for rule W1: the required fields,
// and the defaults decoded once and checked with every policy, so that a
// default a policy refuses fails NewProfile rather than every create.
func (p *Profile) compileCreate() error {
	body := []byte{'{'}
	for i, spec := range p.specs {
		if spec.Required {
			p.required = append(p.required, i)
		}
		if spec.Default != "" {
			if len(body) > 1 {
				body = append(body, ',')
			}
			body = append(wire.AppendString(body, spec.Name), ':')
			body = append(body, spec.Default...)
		}
	}
	if len(body) == 1 {
		return nil
	}
	body = append(body, '}')
	if env := p.schema.Envelope; env != "" {
		body = append(append(append(wire.AppendString([]byte{'{'}, env), ':'), body...), '}')
	}
	if errs, _ := p.decode(body, &p.defaults); len(errs) > 0 {
		return p.errorf("defaults: %v", &ValidationError{Fields: errs})
	}
	var res Result
	if err := p.merge(context.Background(), &Contact{}, &p.defaults, &Options{}, nil, &res); err != nil {
		return p.errorf("defaults: %v", err)
	}
	return nil
}

// now is the clock of Options.Now, in UTC.
func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

// newID is the id of a new contact.
func (o *Options) newID() string {
	if o.NewID != nil {
		return o.NewID()
	}
	return uuid.NewString()
}

// Archive archives the tenant's contact id (rule W3): it keeps its data
// and its unique keys, and from then on Update, Upsert and the handler's
// reads treat it as missing. It returns the archived contact, with
// ArchivedAt set from Options.Now; archiving an archived contact changes
// nothing. Options.IfMatch is honoured as by Update.
func (p *Profile) Archive(ctx context.Context, s Store, tenant, id string, opts Options) (Contact, error) {
	out, err := p.ArchiveMany(ctx, s, tenant, []Input{{ID: id, IfMatch: opts.IfMatch}}, BatchOptions{Options: opts})
	if err != nil {
		return Contact{}, err
	}
	return out[0].Result.Contact, out[0].Err
}

// Delete erases the tenant's contact id, archived or not, and frees its
// unique keys, in one atomic write (rule W3). Options.IfMatch is honoured
// as by Update: a stale one fails with ErrPreconditionFailed.
func (p *Profile) Delete(ctx context.Context, s Store, tenant, id string, opts Options) error {
	if err := p.ready(); err != nil {
		return err
	}
	for range MaxUpdateAttempts {
		stored, err := s.Get(ctx, tenant, id)
		if err != nil {
			return err
		}
		if opts.IfMatch != "" && !MatchesIfMatch(opts.IfMatch, stored) {
			return ErrPreconditionFailed
		}
		w := Write{Tenant: tenant, Op: Delete, Contact: Contact{ID: id, Version: stored.Version + 1}, Version: stored.Version}
		if err := p.record(&w, EventDeleted, nil, &opts); err != nil {
			return err
		}
		err = s.Write(ctx, w)
		switch {
		case !errors.Is(err, ErrVersionMismatch):
			return err
		case opts.IfMatch != "":
			return ErrPreconditionFailed
		}
	}
	return ErrContended
}

// Archived reports whether c is archived.
func (c *Contact) Archived() bool { return !c.ArchivedAt.IsZero() }

// Check reports whether c, a contact given whole as a seed is, passes
// the profile's rules for a new contact (rule W1): each field it holds
// goes through its policy as Create's body would, and each Required field
// must hold a value. It returns Create's *ValidationError, and writes
// nothing; read-only fields and unique keys are the store's to judge.
func (p *Profile) Check(ctx context.Context, c Contact) error {
	if err := p.ready(); err != nil {
		return err
	}
	var patch Patch
	for i := range p.specs {
		spec := &p.specs[i]
		switch {
		case spec.ReadOnly:
		case spec.isExtension():
			if raw, ok := c.Extensions[spec.Name]; ok {
				patch.setExtension(spec.Name, Value(rawJSON(raw)))
			}
		default:
			patch.give(spec.Field, &c)
		}
	}
	created := c.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	_, err := p.newContact(ctx, &patch, &Options{NewID: func() string { return c.ID }, Now: func() time.Time { return created }}, nil)
	return err
}

// give sets field f of p to c's value, if c holds one.
func (p *Patch) give(f Field, c *Contact) {
	switch f.kind() {
	case kindText:
		if v, ok := c.text(f).Get(); ok {
			*p.text(f) = Value(v)
		}
	case kindTags:
		if v := *c.tagsField(f); v != nil {
			*p.tagsField(f) = Value(slices.Clone(v))
		}
	case kindBool:
		*p.boolField(f) = Value(*c.boolField(f))
	case kindCustom:
		if v := *c.customField(f); v != nil {
			*p.customField(f) = Value(maps.Clone(v))
		}
	case kindTime:
		if v := *c.timeField(f); !v.IsZero() {
			*p.timeField(f) = Value(v)
		}
	}
}
