package contactpatch

// Apply (rules R1, R2, R7-R10): a decoded patch merged into a stored
// contact, field by field in Field order, through each field's policy,
// then the fields derived from others, all or nothing.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/contactpatch/contactpatch/internal/etag"
	"github.com/contactpatch/contactpatch/internal/wire"
)

// Options carries what Apply needs from the host for one call. The zero
// Options is ready to use.
type Options struct {
	// Now is the clock for UpdatedAt (rule R10); nil means time.Now. The
	// time is stored in UTC.
	Now func() time.Time
	// CustomFields lists the custom-field names of the contact's company
	// (rule C7); only these names are stored.
	CustomFields []string
	// EmailOwner, if set, returns the ID of the contact that already holds
	// an email address in the organization, or "" if none does (rule G4).
	// Apply calls it only when a patch changes the email, with the address
	// as it would be stored and the context Apply was given; an error it
	// returns is returned wrapped.
	EmailOwner func(ctx context.Context, email string) (contactID string, err error)
	// IfMatch, if set, is the client's If-Match header, its repeated
	// lines joined with commas: Apply fails with ErrPreconditionFailed
	// unless it is "*" alone or lists ETag(stored), compared strongly as
	// RFC 9110 compares (rule R14).
	IfMatch string
	// NewID makes the id of a contact that Create or Upsert creates; nil
	// makes a random UUID in lower case.
	NewID func() string
	// RequestID and Principal are recorded on the event of each change
	// (rule E1): the request that made it and the caller's key id.
	RequestID, Principal string
	// Answer, if set, returns the answer to a single write (Update,
	// Create, Archive, Delete) that leaves the contact c, which the
	// store records with the write in the same atomic step (rule I1);
	// contacthttp sets it for a request with an Idempotency-Key. A
	// write that changes nothing records no answer. Batches of more
	// than one input ignore it.
	Answer func(c Contact) (*Replay, error)
}

// Result is what a successful Apply produced.
type Result struct {
	// Contact is the contact after the patch. It shares no slice or map
	// with the inputs of Apply. It equals the stored contact, Version and
	// UpdatedAt included, when nothing changed.
	Contact Contact
	// Warnings lists what Apply adjusted instead of rejecting (rule R8).
	Warnings []Warning

	before     Contact
	changed    fieldSet
	extChanged extSet // i: the profile's i-th extension field
	prof       *Profile
}

// Change is one field that a patch changed. Old and New are nil for no
// value, else a string, []string, bool, map[string]json.RawMessage or
// time.Time, as the field holds; for an extension field, the compact JSON
// text of its value as a json.RawMessage.
type Change struct {
	Field Field  // canonical field; 0 for an extension field
	Name  string // the profile's wire name, or the canonical one for a field it does not expose
	Old   any
	New   any
}

// Warning is something Apply adjusted instead of rejecting: an enum value
// coerced, a custom field dropped, an unknown key ignored, repeated tags
// merged (rule R8). Field and Pointer locate it as they locate a
// [FieldError].
type Warning struct {
	Field   string `json:"field"`
	Pointer string `json:"pointer"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Changed reports whether the patch changed the contact. When it did not
// (rule R7), the host can skip the write.
func (r *Result) Changed() bool { return r.changed != 0 || !r.extChanged.empty() }

// Changes lists the fields the patch changed, in Field order, with their
// old and new values (rule R8). Bookkeeping fields that every change moves
// (UpdatedAt, Version) are not listed.
func (r *Result) Changes() []Change {
	var out []Change
	for f := FieldID; f < numFields; f++ {
		if r.changed.has(f) {
			out = append(out, Change{Field: f, Name: r.prof.wireName(f), Old: r.before.value(f), New: r.Contact.value(f)})
		}
	}
	for i, j := range r.prof.exts {
		if spec := &r.prof.specs[j]; r.extChanged.has(i) {
			out = append(out, Change{Name: spec.Name, Old: r.before.extensionValue(spec.Name), New: r.Contact.extensionValue(spec.Name)})
		}
	}
	return out
}

// Apply merges patch into stored under the profile's rules and returns the
// new contact (rules R1, R2, R7-R10). It never modifies stored or patch,
// and on any error it returns no contact, so a failed patch changes
// nothing.
//
// A field the patch omits keeps its value. Every invalid field is reported
// in one *ValidationError; an email held by another contact gives a
// *ConflictError (after validation succeeds); a stale Options.IfMatch
// gives ErrPreconditionFailed before anything else is checked. When the
// patch changes something, UpdatedAt is set from Options.Now and Version
// goes up by one. ctx reaches the host's hooks, such as Options.EmailOwner.
func (p *Profile) Apply(ctx context.Context, stored Contact, patch Patch, opts Options) (Result, error) {
	if err := p.ready(); err != nil {
		return Result{}, err
	}
	patch.printable = 0 // the values are the caller's, unchecked
	var res Result
	if err := p.apply(ctx, &stored, &patch, &opts, nil, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// ApplyJSON decodes body as [Profile.Decode] does and applies it as
// [Profile.Apply] does, reporting the errors of both steps together: a
// body with a wrongly typed tags array and an invalid email gets one error
// naming both. Broken syntax is reported alone.
func (p *Profile) ApplyJSON(ctx context.Context, stored Contact, body []byte, opts Options) (Result, error) {
	var patch Patch
	errs, err := p.decodeBody(body, &patch)
	if err != nil {
		return Result{}, err
	}
	var res Result
	if err := p.apply(ctx, &stored, &patch, &opts, errs, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// decodeBody decodes body into patch for ApplyJSON and Update: the field
// errors to report together with Apply's, or the error that stops the
// call (a profile not compiled, broken syntax).
func (p *Profile) decodeBody(body []byte, patch *Patch) ([]FieldError, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	errs, stopped := p.decode(body, patch)
	if stopped {
		return nil, &ValidationError{Fields: errs}
	}
	return errs, nil
}

// merge holds the state of one Apply. It keeps a copy of the patch, not a
// pointer to it: the errors and warnings it appends go to the heap, and
// the compiler would move anything the struct points at there too. The
// stored contact, read only by the read-only check, is passed to it.
type merge struct {
	ctx        context.Context
	p          *Profile
	opts       Options
	patch      Patch
	sent       fieldSet // the fields patch sends
	next       Contact
	found      findings
	changed    fieldSet
	extChanged extSet
	extsCopied bool  // next.Extensions is a copy of the stored map
	hostErr    error // the first error of a Rule that is not a RuleError
}

// apply fills res, which the caller owns so that the large Result is
// written once rather than copied back through every return.
func (p *Profile) apply(ctx context.Context, stored *Contact, patch *Patch, opts *Options, errs []FieldError, res *Result) error {
	if err := p.merge(ctx, stored, patch, opts, errs, res); err != nil {
		return err
	}
	// The owner lookup reads the result, not the merge state: handing the
	// host's function anything of that state would move stored and patch
	// to the heap.
	if res.changed.has(FieldEmail) && opts.EmailOwner != nil {
		return checkEmailOwner(ctx, opts.EmailOwner, res.Contact.Email, stored.ID, p.wireName(FieldEmail), p.envelopePointer)
	}
	return nil
}

// merge applies the patch and runs every check but the email owner's:
// the precondition first, then each sent field in Field order, then the
// fields derived from others; any error leaves res untouched.
func (p *Profile) merge(ctx context.Context, stored *Contact, patch *Patch, opts *Options, errs []FieldError, res *Result) error {
	if opts.IfMatch != "" && !etag.Matches(opts.IfMatch, ETag(*stored), false) {
		return ErrPreconditionFailed
	}
	m := merge{ctx: ctx, p: p, opts: *opts, patch: *patch, sent: patch.sent(), next: *stored}
	m.found.errs, m.found.prefix = errs, p.envelopePointer
	for f := FieldID; f < numFields; f++ {
		if m.sent.has(f) {
			m.field(f, stored)
		}
	}
	if len(patch.Extensions) > 0 {
		m.extensions(stored)
	}
	m.derive()
	if m.hostErr != nil {
		return m.hostErr
	}
	if len(m.found.errs) > 0 {
		return &ValidationError{Fields: m.found.errs}
	}
	for _, k := range patch.Ignored {
		m.found.warn(k, wire.Pointer(k), CodeIgnored, "Unknown field ignored")
	}
	if m.changed != 0 || !m.extChanged.empty() {
		m.next.UpdatedAt = m.now()
		m.next.Version++
	}
	res.Contact = m.next
	res.Contact.detach()
	res.before = *stored
	if m.changed.has(FieldTags) || m.changed.has(FieldCustomFields) || !m.extChanged.empty() {
		res.before.detach() // the caller may reuse these after Apply returns
	}
	res.Warnings, res.changed, res.extChanged, res.prof = m.found.warns, m.changed, m.extChanged, p
	return nil
}

func (m *merge) now() time.Time { return m.opts.now() }

// field applies the patch's value for f: the profile must expose f, a
// read-only field must echo the stored value (R5), null must be allowed
// (R1), and the value goes through the field's policy.
func (m *merge) field(f Field, stored *Contact) {
	spec := m.p.spec(f)
	switch {
	case spec == nil:
		m.found.fail(f.String(), wire.Pointer(f.String()), &refusal{code: CodeUnknownField, msg: "Not a field of this API"})
	case spec.ReadOnly:
		m.readOnly(spec, m.p.echoes(&m.patch, stored, f))
	case m.patch.isNull(f) && !spec.Nullable:
		m.fail(spec, &refusal{code: CodeNotNullable, msg: spec.Policy.nullMessage()})
	default:
		switch f.kind() {
		case kindText:
			m.text(spec)
		case kindTags:
			list, _ := m.patch.tagsField(f).Get() // null clears: an empty list
			m.setTags(f, spec.replaceTags(list, &m.p.schema.Limits, &m.found))
		case kindBool:
			if v := m.patch.boolField(f).Or(false); v != *m.next.boolField(f) {
				*m.next.boolField(f) = v
				m.changed.add(f)
			}
		case kindCustom:
			m.customFields(spec)
		default:
			panic("contactpatch: merge has no case for " + f.String())
		}
	}
}

func (m *merge) fail(spec *FieldSpec, pr *refusal) {
	m.found.fail(spec.Name, wire.Pointer(spec.Name), pr)
}

// text runs a sent text value through its policy, stores it, then sets
// what the value implies elsewhere.
func (m *merge) text(spec *FieldSpec) {
	f := spec.Field
	v, ok := m.textValue(spec, *m.patch.text(f), m.patch.printable.has(f), *m.next.text(f))
	if !ok {
		return
	}
	m.setText(f, v)
	if spec.Policy.derivedFrom() != 0 {
		m.setImplied(spec.Policy.implies(v))
	}
}

// setImplied sets what a value implies in other fields: only fields the
// profile has, and an explicit value in the patch wins.
func (m *merge) setImplied(imp implied) {
	for i := range imp.parts[:imp.n] {
		part := &imp.parts[i]
		if (part.always || m.p.spec(part.f) != nil) && !m.sent.has(part.f) {
			m.setText(part.f, part.v)
		}
	}
}

// textValue is what a sent text value stores: normalized by the policy,
// checked by the field's Rule, merged with the stored value; printable
// says the decoder found it printable ASCII. It reports false, having
// recorded why, when the value is refused.
func (m *merge) textValue(spec *FieldSpec, v Optional[string], printable bool, stored Optional[string]) (Optional[string], bool) {
	s, ok := v.Get()
	if !ok {
		return v, true
	}
	v, pr, coerced := spec.normalize(s, printable, &m.p.schema.Limits)
	if !pr.ok() {
		m.fail(spec, pr)
		return v, false
	}
	if coerced != "" {
		m.found.warn(spec.Name, wire.Pointer(spec.Name), CodeCoerced, coerced)
	}
	if spec.Rule != nil {
		if v, ok = m.rule(spec, v); !ok {
			return v, false
		}
	}
	if v, pr = spec.merge(stored, v, &m.p.schema.Limits); !pr.ok() {
		m.fail(spec, pr)
		return v, false
	}
	return v, true
}

// rule runs the field's Rule on a normalized value (rule R16).
func (m *merge) rule(spec *FieldSpec, v Optional[string]) (Optional[string], bool) {
	s, ok := v.Get()
	if !ok {
		return v, true
	}
	out, err := spec.Rule(m.ctx, s)
	var re *RuleError
	switch {
	case err == nil:
		return Value(out), true
	case errors.As(err, &re):
		m.fail(spec, &refusal{code: re.Code, msg: re.Message})
	case m.hostErr == nil:
		m.hostErr = fmt.Errorf("contactpatch: rule of %q: %w", spec.Name, err)
	}
	return v, false
}

// extensions applies the sent extension fields in Schema order, after
// refusing names the profile has no extension field for (a Patch built in
// Go may hold any).
func (m *merge) extensions(stored *Contact) {
	for _, name := range slices.Sorted(maps.Keys(m.patch.Extensions)) {
		if m.p.extension(name) < 0 {
			m.found.fail(name, wire.Pointer(name), &refusal{code: CodeUnknownField, msg: "Not a field of this API"})
		}
	}
	for i, j := range m.p.exts {
		if _, sent := m.patch.Extensions[m.p.specs[j].Name]; sent {
			m.extension(i, stored)
		}
	}
}

// derive rebuilds each field whose policy derives it from others, when
// the patch changed those and did not send the field itself.
func (m *merge) derive() {
	for _, i := range m.p.derived {
		spec := &m.p.specs[i]
		if !m.sent.has(spec.Field) && m.changed&spec.Policy.derivedFrom() != 0 {
			m.setText(spec.Field, spec.Policy.derive(m.next))
		}
	}
}

func (m *merge) setText(f Field, v Optional[string]) {
	if cur := m.next.text(f); !sameText(*cur, v) {
		*cur = v
		m.changed.add(f)
	}
}

func (m *merge) setTags(f Field, list []string) {
	if cur := m.next.tagsField(f); !slices.Equal(list, *cur) {
		*cur = list
		m.changed.add(f)
	}
}

// customFields merges the sent custom fields, or clears them all on null.
func (m *merge) customFields(spec *FieldSpec) {
	f := spec.Field
	cur := m.next.customField(f)
	var next map[string]rawJSON
	if in, ok := m.patch.customField(f).Get(); ok {
		next = spec.mergeCustom(*cur, in, m.opts.CustomFields, &m.p.schema.Limits, &m.found)
	}
	if !sameCustom(next, *cur) {
		*cur = next
		m.changed.add(f)
	}
}

// checkEmailOwner enforces rule G4 once the patch is otherwise valid and
// has changed the email.
func checkEmailOwner(ctx context.Context, lookup func(context.Context, string) (string, error), email Optional[string], ownID, name, prefix string) error {
	address, ok := email.Get()
	if !ok {
		return nil
	}
	owner, err := lookup(ctx, address)
	if err != nil {
		return fmt.Errorf("contactpatch: email owner lookup: %w", err)
	}
	if owner != "" && owner != ownID {
		return &ConflictError{Field: name, OwnerID: owner, Pointer: prefix + wire.Pointer(name)}
	}
	return nil
}
