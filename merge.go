package contactpatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Options carries what Apply needs from the host for one call. The zero
// Options is ready to use.
type Options struct {
	// Now is the clock for UpdatedAt (SPEC R10); nil means time.Now. The
	// time is stored in UTC.
	Now func() time.Time
	// CustomFields lists the custom-field names of the contact's company
	// (SPEC C7); only these names are stored.
	CustomFields []string
	// EmailOwner, if set, returns the ID of the contact that already holds
	// an email address in the organization, or "" if none does (SPEC G4).
	// Apply calls it only when a patch changes the email, with the address
	// as it would be stored; an error it returns is returned wrapped.
	EmailOwner func(email string) (contactID string, err error)
	// IfMatch, if set, is the client's If-Match header: Apply fails with
	// ErrPreconditionFailed unless it is "*" or lists ETag(stored)
	// (SPEC R14).
	IfMatch string
}

// Result is what a successful Apply produced.
type Result struct {
	// Contact is the contact after the patch. It shares no slice or map
	// with the inputs of Apply. It equals the stored contact, Version and
	// UpdatedAt included, when nothing changed.
	Contact Contact
	// Warnings lists what Apply adjusted instead of rejecting (SPEC R8).
	Warnings []Warning

	before  Contact
	changed fieldSet
	prof    *Profile
}

// Change is one field that a patch changed. Old and New are nil for no
// value, else a string, []string, bool, map[string]json.RawMessage or
// time.Time, as the field holds.
type Change struct {
	Field Field  // canonical field
	Name  string // the profile's wire name, or the canonical one for a field it does not expose
	Old   any
	New   any
}

// Warning is something Apply adjusted instead of rejecting: an enum value
// coerced, a custom field dropped, an unknown key ignored, repeated tags
// merged (SPEC R8).
type Warning struct {
	Field   string `json:"field"`
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

// Changed reports whether the patch changed the contact. When it did not
// (SPEC R7), the host can skip the write.
func (r *Result) Changed() bool { return r.changed != 0 }

// Changes lists the fields the patch changed, in Field order, with their
// old and new values (SPEC R8). Bookkeeping fields that every change moves
// (UpdatedAt, Version) are not listed.
func (r *Result) Changes() []Change {
	var out []Change
	for f := FieldID; f < numFields; f++ {
		if r.changed.has(f) {
			out = append(out, Change{Field: f, Name: r.prof.wireName(f), Old: r.before.value(f), New: r.Contact.value(f)})
		}
	}
	return out
}

// Apply merges patch into stored under the profile's rules and returns the
// new contact (SPEC R1, R2, R7-R10). It never modifies stored or patch, and
// on any error it returns no contact, so a failed patch changes nothing.
//
// A field the patch omits keeps its value. Every invalid field is reported
// in one *ValidationError; an email held by another contact gives a
// *ConflictError (after validation succeeds); a stale Options.IfMatch
// gives ErrPreconditionFailed before anything else is checked. When the
// patch changes something, UpdatedAt is set from Options.Now and Version
// goes up by one.
func (p *Profile) Apply(stored Contact, patch Patch, opts Options) (Result, error) {
	var res Result
	if err := p.apply(&stored, &patch, &opts, nil, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// ApplyJSON decodes body as [Profile.Decode] does and applies it as
// [Profile.Apply] does, reporting the errors of both steps together: a
// body with a wrongly typed tags array and an invalid email gets one error
// naming both. Broken syntax is reported alone.
func (p *Profile) ApplyJSON(stored Contact, body []byte, opts Options) (Result, error) {
	var patch Patch
	errs, stopped := p.decode(body, &patch)
	if stopped {
		return Result{}, &ValidationError{Fields: errs}
	}
	var res Result
	if err := p.apply(&stored, &patch, &opts, errs, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// merge holds the state of one Apply. It keeps a copy of the patch, not a
// pointer to it: the errors and warnings it appends go to the heap, and
// the compiler would move anything the struct points at there too. The
// stored contact, read only by the read-only check, is passed to it.
type merge struct {
	p       *Profile
	opts    Options
	patch   Patch
	sent    fieldSet // the fields patch sends
	next    Contact
	errs    errList
	warns   []Warning
	changed fieldSet
}

// apply fills res, which the caller owns so that the large Result is
// written once rather than copied back through every return.
func (p *Profile) apply(stored *Contact, patch *Patch, opts *Options, errs []FieldError, res *Result) error {
	if err := p.merge(stored, patch, opts, errs, res); err != nil {
		return err
	}
	// The owner lookup reads the result, not the merge state: handing the
	// host's function anything of that state would move stored and patch
	// to the heap.
	if res.changed.has(FieldEmail) && opts.EmailOwner != nil {
		return checkEmailOwner(opts.EmailOwner, res.Contact.Email, stored.ID, p.wireName(FieldEmail))
	}
	return nil
}

// merge applies the patch and runs every check but the email owner's.
func (p *Profile) merge(stored *Contact, patch *Patch, opts *Options, errs []FieldError, res *Result) error {
	if opts.IfMatch != "" && !etagMatches(opts.IfMatch, ETag(*stored)) {
		return ErrPreconditionFailed
	}
	m := merge{p: p, opts: *opts, patch: *patch, sent: patch.sent(), next: *stored, errs: errs}
	for f := FieldID; f < numFields; f++ {
		if m.sent.has(f) {
			m.field(f, stored)
		}
	}
	m.recomputeFullName()
	if len(m.errs) > 0 {
		return &ValidationError{Fields: m.errs}
	}
	for _, k := range patch.Ignored {
		m.warn(k, CodeIgnored, "Unknown field ignored")
	}
	if m.changed != 0 {
		m.next.UpdatedAt = m.now()
		m.next.Version++
	}
	res.Contact = m.next
	res.Contact.detach()
	res.before = *stored
	if m.changed.has(FieldTags) || m.changed.has(FieldCustomFields) {
		res.before.detach() // the caller may reuse these after Apply returns
	}
	res.Warnings, res.changed, res.prof = m.warns, m.changed, p
	return nil
}

func (m *merge) now() time.Time {
	if m.opts.Now != nil {
		return m.opts.Now().UTC()
	}
	return time.Now().UTC()
}

func (m *merge) fail(field string, code Code, msg string) { m.errs.add(field, code, msg) }

func (m *merge) warn(field string, code Code, msg string) {
	m.warns = append(m.warns, Warning{Field: field, Code: code, Message: msg})
}

// field applies the patch's value for f.
func (m *merge) field(f Field, stored *Contact) {
	spec := m.p.spec(f)
	switch {
	case spec == nil:
		m.fail(f.String(), CodeUnknownField, "Not a field of this API")
	case spec.ReadOnly:
		if !m.sameAsStored(f, stored) {
			m.fail(spec.Name, CodeReadOnly, "Read-only field: send the stored value or leave it out")
		}
	case m.isNull(f) && !spec.Nullable:
		msg := "Cannot be null"
		if spec.Policy.kind == policyAppend {
			msg = "Cannot be null: this field is append-only"
		}
		m.fail(spec.Name, CodeNotNullable, msg)
	default:
		switch f.kind() {
		case kindText:
			m.text(spec)
		case kindTags:
			m.tags(spec)
		case kindBool:
			if v := m.patch.IsDND.Or(false); v != m.next.IsDND {
				m.next.IsDND = v
				m.changed.add(f)
			}
		case kindCustom:
			m.customFields(spec)
		}
	}
}

func (m *merge) isNull(f Field) bool {
	switch f.kind() {
	case kindText:
		return m.patch.text(f).IsNull()
	case kindTags:
		return m.patch.Tags.IsNull()
	case kindBool:
		return m.patch.IsDND.IsNull()
	case kindCustom:
		return m.patch.CustomFields.IsNull()
	}
	return false
}

func (m *merge) setText(f Field, v Optional[string]) {
	if cur := m.next.text(f); !sameText(*cur, v) {
		*cur = v
		m.changed.add(f)
	}
}

func (m *merge) text(spec *FieldSpec) {
	f := spec.Field
	in := *m.patch.text(f)
	if in.IsNull() {
		m.setText(f, in)
		if spec.Policy.kind == policyName {
			m.setNameParts("", "", in)
		}
		return
	}
	s, _ := in.Get()
	v, ok := m.normalize(spec, s)
	if !ok {
		return
	}
	switch spec.Policy.kind {
	case policyAppend:
		m.appendText(spec, v.Or(""))
	case policyName:
		m.setText(f, v)
		first, last := SplitName(v.Or(""))
		m.setNameParts(first, last, v)
	default:
		m.setText(f, v)
	}
}

// normalize applies the text rules and the field's policy to a sent value
// and returns what to store; false means it recorded an error.
func (m *merge) normalize(spec *FieldSpec, s string) (Optional[string], bool) {
	pol := spec.Policy
	if pol.kind != policyPhoneAsIs && !pol.multiline() {
		s = strings.TrimSpace(s)
	}
	if pol.kind == policyName {
		s = collapseSpace(s)
	}
	if pr := checkChars(s, pol.multiline()); !pr.ok() {
		m.fail(spec.Name, pr.code, pr.msg)
		return Optional[string]{}, false
	}
	if spec.EmptyAsNull && s == "" {
		return Null[string](), true
	}
	if spec.Lowercase {
		s = strings.ToLower(s)
	}
	if max := m.p.maxLen(spec); pol.kind != policyAppend && tooLong(s, max) {
		m.fail(spec.Name, CodeTooLong, "Must be at most "+strconv.Itoa(max)+" characters")
		return Optional[string]{}, false
	}
	if pr := m.checkPolicy(spec, &s); !pr.ok() {
		m.fail(spec.Name, pr.code, pr.msg)
		return Optional[string]{}, false
	}
	return Value(s), true
}

// checkPolicy checks s against a format or enum policy, rewriting it where
// the policy normalizes or coerces.
func (m *merge) checkPolicy(spec *FieldSpec, s *string) problem {
	pol := spec.Policy
	switch pol.kind {
	case policyEmail:
		if !validEmail(*s) {
			return problem{CodeInvalidFormat, "Invalid email format"}
		}
	case policyPhoneLenient:
		if !validLenientPhone(*s) {
			return problem{CodeInvalidFormat, "Invalid phone format: use + and the country code"}
		}
	case policyPhoneE164:
		n, ok := e164(*s, pol.region)
		if !ok {
			return problem{CodeInvalidFormat, "Invalid phone number"}
		}
		*s = n
	case policyURL:
		if !validHTTPURL(*s) {
			return problem{CodeInvalidFormat, "Invalid URL format: use an absolute http or https URL"}
		}
	case policyOneOf, policyCoerce:
		if slices.Contains(pol.values, *s) {
			return problem{}
		}
		if pol.kind == policyOneOf {
			return problem{CodeInvalidEnum, "Must be one of: " + strings.Join(pol.values, ", ")}
		}
		m.warn(spec.Name, CodeCoerced, fmt.Sprintf("%q is not one of %s; stored %q", *s, strings.Join(pol.values, ", "), pol.def))
		*s = pol.def
	}
	return problem{}
}

// appendText extends the stored text (SPEC L3); an append that would pass
// the limit is refused, never truncated (SPEC R9).
func (m *merge) appendText(spec *FieldSpec, s string) {
	if s == "" {
		return
	}
	cur := m.next.text(spec.Field).Or("")
	if cur != "" {
		s = cur + spec.Policy.sep + s
	}
	if max := m.p.maxLen(spec); tooLong(s, max) {
		m.fail(spec.Name, CodeTooLong, "Would exceed "+strconv.Itoa(max)+" characters after appending")
		return
	}
	m.setText(spec.Field, Value(s))
}

// setNameParts sets the first and last name that a full name implies,
// unless the patch sends them itself: an explicit value wins (SPEC R11).
func (m *merge) setNameParts(first, last string, full Optional[string]) {
	parts := [2]struct {
		f Field
		v string
	}{{FieldFirstName, first}, {FieldLastName, last}}
	for _, part := range parts {
		if m.sent.has(part.f) {
			continue
		}
		if full.IsNull() {
			m.setText(part.f, full)
		} else {
			m.setText(part.f, Value(part.v))
		}
	}
}

// recomputeFullName rebuilds a parsed full name from first and last when a
// patch changed only those (SPEC R11).
func (m *merge) recomputeFullName() {
	spec := m.p.spec(FieldFullName)
	if spec == nil || spec.Policy.kind != policyName || m.sent.has(FieldFullName) ||
		!(m.changed.has(FieldFirstName) || m.changed.has(FieldLastName)) {
		return
	}
	first, fok := m.next.FirstName.Get()
	last, lok := m.next.LastName.Get()
	if !fok && !lok {
		m.setText(FieldFullName, Null[string]())
		return
	}
	m.setText(FieldFullName, Value(collapseSpace(first+" "+last)))
}

// tags replaces the tag list (SPEC G5, C5): each tag trimmed, none empty,
// repeats stored once.
func (m *merge) tags(spec *FieldSpec) {
	list, _ := m.patch.Tags.Get() // nil for null: clears
	lim := &m.p.limits
	if len(list) > lim.Tags {
		m.fail(spec.Name, CodeTooMany, "At most "+strconv.Itoa(lim.Tags)+" tags")
		return
	}
	out := make([]string, 0, len(list))
	for i, t := range list {
		t = strings.TrimSpace(t)
		name := spec.Name + "[" + strconv.Itoa(i) + "]"
		pr := checkChars(t, false)
		switch {
		case !pr.ok():
			m.fail(name, pr.code, pr.msg)
		case t == "":
			m.fail(name, CodeInvalidFormat, "Tag cannot be empty")
		case tooLong(t, lim.Tag):
			m.fail(name, CodeTooLong, "Must be at most "+strconv.Itoa(lim.Tag)+" characters")
		case slices.Contains(out, t):
			continue
		}
		out = append(out, t)
	}
	if len(out) < len(list) {
		m.warn(spec.Name, CodeDeduplicated, "Repeated tags were stored once")
	}
	if !slices.Equal(out, m.next.Tags) {
		m.next.Tags = out
		m.changed.add(FieldTags)
	}
}

// customFields merges the sent custom fields into the stored ones (SPEC C7).
func (m *merge) customFields(spec *FieldSpec) {
	in, ok := m.patch.CustomFields.Get()
	if !ok { // null: clears them all
		if len(m.next.CustomFields) > 0 {
			m.next.CustomFields = nil
			m.changed.add(FieldCustomFields)
		}
		return
	}
	lim := &m.p.limits
	next := maps.Clone(m.next.CustomFields)
	if next == nil {
		next = map[string]json.RawMessage{}
	}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		path := spec.Name + "." + name
		switch {
		case !slices.Contains(m.opts.CustomFields, name):
			if spec.Policy.unknown == IgnoreUnknown {
				m.warn(path, CodeDropped, "Not a custom field of this company; not stored")
			} else {
				m.fail(path, CodeUnknownField, "Not a custom field of this company")
			}
		case tooLong(name, lim.CustomFieldName):
			m.fail(path, CodeTooLong, "Custom field names are at most "+strconv.Itoa(lim.CustomFieldName)+" characters")
		case !json.Valid(in[name]):
			m.fail(path, CodeInvalidFormat, "Must be a JSON value")
		case isJSONNull(in[name]):
			delete(next, name)
		default:
			v := mergePatch(next[name], in[name])
			if len(v) > lim.CustomFieldValue {
				m.fail(path, CodeTooLong, "Value exceeds "+strconv.Itoa(lim.CustomFieldValue)+" bytes")
				continue
			}
			next[name] = v
		}
	}
	if len(next) > lim.CustomFields {
		m.fail(spec.Name, CodeTooMany, "At most "+strconv.Itoa(lim.CustomFields)+" custom fields")
		return
	}
	if !sameCustom(next, m.next.CustomFields) {
		m.next.CustomFields = next
		m.changed.add(FieldCustomFields)
	}
}

// tooLong reports whether s has more than max characters, counting them
// only when its length in bytes leaves a doubt.
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}

func sameCustom(a, b map[string]json.RawMessage) bool {
	return maps.EqualFunc(a, b, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) })
}

func isJSONNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// sameAsStored reports whether a read-only field was echoed with its stored
// value (SPEC R5). Ids that are both UUIDs compare as UUIDs, so case does
// not matter; timestamps compare as the profile renders them.
func (m *merge) sameAsStored(f Field, old *Contact) bool {
	switch f.kind() {
	case kindID:
		id := m.patch.ID.Or("")
		a, errA := uuid.Parse(id)
		b, errB := uuid.Parse(old.ID)
		if errA == nil && errB == nil {
			return a == b
		}
		return id == old.ID
	case kindTime:
		in, stored := m.patch.timeField(f), *old.timeField(f)
		t, ok := in.Get()
		if !ok || stored.IsZero() {
			return !ok && stored.IsZero()
		}
		return m.p.formatTime(t) == m.p.formatTime(stored)
	case kindText:
		return sameText(*m.patch.text(f), *old.text(f))
	case kindTags:
		return slices.Equal(m.patch.Tags.Or(nil), old.Tags)
	case kindBool:
		return m.patch.IsDND.Or(false) == old.IsDND
	}
	return sameCustom(m.patch.CustomFields.Or(nil), old.CustomFields)
}

// checkEmailOwner enforces SPEC G4 once the patch is otherwise valid and
// has changed the email.
func checkEmailOwner(lookup func(string) (string, error), email Optional[string], ownID, wire string) error {
	address, ok := email.Get()
	if !ok {
		return nil
	}
	owner, err := lookup(address)
	if err != nil {
		return fmt.Errorf("contactpatch: email owner lookup: %w", err)
	}
	if owner != "" && owner != ownID {
		return &ConflictError{Field: wire, OwnerID: owner}
	}
	return nil
}

// etagMatches reports whether an If-Match header value lists etag or is "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || t == etag {
			return true
		}
	}
	return false
}
