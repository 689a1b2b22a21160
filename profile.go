package contactpatch

// Schema and Profile: the description of one API, checked and compiled
// once by NewProfile into the indexes every call reads.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Schema describes one contact API: the wire name, nullability and policy
// of each field it accepts, what it does with unknown keys, its limits and
// how it renders a contact. [NewProfile] checks a Schema and compiles it
// into a [Profile].
type Schema struct {
	// Name identifies the profile in errors, such as "leadlex".
	Name string
	// Fields lists the fields the API accepts in request bodies. A Field
	// appears at most once.
	Fields []FieldSpec
	// UnknownKeys says what happens to a key that is not in Fields (rule R4).
	// The zero value rejects it.
	UnknownKeys UnknownKeys
	// Limits bounds sizes; zero fields take the documented defaults.
	Limits Limits
	// View says how [Profile.Render] shapes a contact in responses.
	View View

	// Envelope, if set, reads the fields from an object under this key
	// of the body, as {"properties": {...}}, rather than from the body
	// itself. A body without that object is refused with required.
	Envelope string
	// EnvelopeKeys lists the other keys a body with an Envelope may hold;
	// they are skipped. Any other key is unknown (UnknownKeys).
	EnvelopeKeys []string
	// StringForms also accepts a string for an extension field's value
	// that is not text, as
	// APIs whose properties are all strings do (rule H6): "42" for a
	// number, "true" for a boolean, "a;b" for a list of strings; with
	// EmptyAsNull, "" clears any of them.
	StringForms bool
	// EpochMillis also takes a date or date-time extension field as a
	// string of milliseconds since the Unix epoch ("1572480000000", rule
	// H9), as HubSpot's property documentation writes them: a date must
	// fall at midnight UTC. Responses keep the kind's own form.
	EpochMillis bool
	// StrictReadOnly refuses a read-only field whenever a body sends it,
	// even with the stored value (rule H15). The zero value accepts an
	// echo of the stored value, as clients send back what they read
	// (rule R5).
	StrictReadOnly bool

	// Errors renders the profile's errors ([Profile.RenderError]); nil
	// means RFC 9457 problem details ([ProblemJSON]).
	Errors ErrorView
}

// FieldSpec is one field of a Schema: a canonical field of the Contact
// (Field set), or an extension field of the profile's own (Kind set),
// whose value lives in Contact.Extensions under Name.
type FieldSpec struct {
	// Name is the JSON key in request bodies; keys match case-sensitively.
	Name string
	// Field is the canonical Contact field the key reads and writes.
	Field Field
	// Kind makes the field an extension field of this kind; Field must
	// then be left zero.
	Kind Kind
	// Policy checks, normalizes and merges a sent value. The zero Policy is
	// the field's plain one: single-line text replaced, tags replaced,
	// booleans set, custom fields merged with unknown names rejected.
	Policy Policy
	// Nullable lets null clear the field; otherwise null is rejected with
	// not_nullable (rule R1).
	Nullable bool
	// ReadOnly accepts the key only with the stored value, so that clients
	// can echo an object back (rule R5). The id and timestamp fields must
	// be read-only.
	ReadOnly bool
	// Lowercase stores text in lower case (rule G4).
	Lowercase bool
	// EmptyAsNull stores "" (after trimming) as null (rule C3).
	EmptyAsNull bool
	// MaxLen overrides the Limits length for this field, in characters.
	MaxLen int
	// Unique lets no two contacts of one store hold the same value, as
	// stored (rule G4: one email per organization). Profile.Update has the
	// store enforce it in the same atomic step as the write, so that of
	// two racing patches exactly one wins, per tenant (rule T3). Only
	// canonical text fields can be unique.
	Unique bool
	// Required refuses a new contact without a value for the field, with
	// required (rule W1); a Default satisfies it. A PATCH may still clear
	// the field if it is Nullable.
	Required bool
	// Default is the JSON text of the value a new contact takes when its
	// create body leaves the field out, such as `"lead"`; it goes through
	// the policy as a sent value would (rule W1). "" means none.
	Default string
	// Rule, if set, checks and normalizes a text value after the policy
	// has (rule R16). Its *RuleError joins the field errors with the
	// rule's own code; any other error fails the call as it is, since it
	// is the host's failure, not the client's.
	Rule Rule
}

// Rule is a check of the host's own on one text value: it returns the
// value to store, or a *RuleError ([Refuse]) that names what is wrong.
// ctx is the one Apply was given.
type Rule func(ctx context.Context, value string) (string, error)

// UnknownKeys says what a profile does with a key it does not know: in the
// body (Schema.UnknownKeys) or among custom-field names ([CustomFields]).
type UnknownKeys uint8

const (
	// RejectUnknown fails the request with unknown_field.
	RejectUnknown UnknownKeys = iota
	// IgnoreUnknown drops the key and reports a warning.
	IgnoreUnknown
)

// Limits bounds what a profile accepts. Each zero field takes the default
// shown beside it; a value over a limit is rejected, never truncated.
type Limits struct {
	Body             int // bytes in a request body; 1 MiB
	Depth            int // nesting of objects and arrays, the body itself being 1; 32
	Keys             int // keys in any one object; 256
	Text             int // characters in a single-line text field; 256
	LongText         int // characters in a multiline field, after an append; 65536
	URL              int // characters in a URL field; 2048
	Tags             int // tags on a contact; 100
	Tag              int // characters in one tag; 64
	CustomFields     int // custom fields on a contact; 100
	CustomFieldName  int // characters in a custom-field name; 64
	CustomFieldValue int // bytes of one custom field's compact JSON value; 4096
}

// maxEmail is the longest address rule R12 allows, whatever the limits say.
const maxEmail = 254

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.Body, 1<<20)
	def(&l.Depth, 32)
	def(&l.Keys, 256)
	def(&l.Text, 256)
	def(&l.LongText, 65536)
	def(&l.URL, 2048)
	def(&l.Tags, 100)
	def(&l.Tag, 64)
	def(&l.CustomFields, 100)
	def(&l.CustomFieldName, 64)
	def(&l.CustomFieldValue, 4096)
	return l
}

func (l Limits) negative() bool {
	return slices.ContainsFunc([]int{l.Body, l.Depth, l.Keys, l.Text, l.LongText, l.URL, l.Tags,
		l.Tag, l.CustomFields, l.CustomFieldName, l.CustomFieldValue}, func(v int) bool { return v < 0 })
}

// View says how a profile renders a contact (rules L6, G7, C9).
type View struct {
	// Envelope wraps the object as {"<Envelope>": {...}}; "" renders it bare.
	Envelope string
	// Fields lists the keys in the order they are written. Empty means
	// every field of the Schema, under the same names.
	Fields []ViewField
	// Empty says how a field with no value, or an empty one, is written.
	Empty EmptyStyle
	// TimeLayout formats timestamps, which are always written in UTC;
	// "" means time.RFC3339.
	TimeLayout string
}

// ViewField is one key of a rendered contact. It writes a canonical
// Field, an Extension field, a Literal JSON value, or, with Nested set,
// an object of other ViewFields.
type ViewField struct {
	Name  string
	Field Field
	// Extension names the extension field written, by its Schema name.
	Extension string
	// Literal is JSON text written as it stands, such as "false" for a
	// flag the library does not keep.
	Literal string
	// Nested writes an object of these fields under Name.
	Nested []ViewField
	// State writes a mark of the contact's life rather than a field
	// (rule W3).
	State State
	// Strings writes the value, or every value of Nested, as a JSON
	// string (rule H6): numbers and booleans as their JSON text, lists
	// joined with ";", objects as compact JSON.
	Strings bool
	// Always keeps the field in every sparse view (Profile.RenderOnly),
	// as an API returns a contact's id whatever fields are asked for.
	Always bool
}

// State is a mark of a contact's life that a ViewField writes.
type State uint8

const (
	// StateArchived writes true for an archived contact, else false.
	StateArchived State = iota + 1
	// StateArchivedAt writes when the contact was archived, in the
	// view's TimeLayout, and is left out for a live contact.
	StateArchivedAt
)

// EmptyStyle says how a View writes fields with no value or an empty one.
type EmptyStyle uint8

const (
	// EmptyAsStored writes null for no value and "" for an empty string.
	EmptyAsStored EmptyStyle = iota
	// EmptyOmitted leaves out fields with no value, "", no tags, no custom
	// fields or a zero timestamp.
	EmptyOmitted
	// EmptyNull writes null for a nullable field that has no value or is "";
	// fields that are not nullable are written as stored.
	EmptyNull
)

// Profile is a compiled [Schema]: safe for concurrent use, never modified
// after NewProfile returns it.
type Profile struct {
	compiled bool // false for a Profile not built by NewProfile
	// schema is the Schema as compiled: limits with their defaults, the
	// view filled in, the error view named, every text field's MaxLen
	// the limit it takes. Schema returns a copy of it.
	schema    Schema
	specs     []FieldSpec    // schema.Fields
	byLen     [][]int        // spec indexes by name length, for lookup
	byField   [numFields]int // index+1 into specs; 0 when the profile lacks the field
	derived   []int          // indexes of the specs whose policy derives them from other fields
	unique    []int          // indexes of the specs whose values are unique keys
	exts      []int          // indexes of the extension fields' specs, in Schema order; the i-th is i in extChanged
	extByName map[string]int // position among exts of each extension field's name
	nullable  fieldSet
	required  []int // indexes of the specs a new contact must have a value for
	defaults  Patch // what a create body that leaves them out gets

	envelopePointer string // the envelope's JSON Pointer, prefixed to every field's
}

// NewProfile checks s and compiles it. It reports a Schema that names a
// field twice, uses a wire name twice, gives a field a policy that does not
// fit it, leaves an id or timestamp field writable, makes an appended field
// nullable, or has negative limits.
func NewProfile(s Schema) (*Profile, error) {
	if s.Limits.negative() {
		return nil, (&Profile{schema: s}).errorf("negative limit")
	}
	s.Fields = slices.Clone(s.Fields)
	s.EnvelopeKeys = slices.Clone(s.EnvelopeKeys)
	s.Limits = s.Limits.withDefaults()
	if s.Errors == nil {
		s.Errors = ProblemJSON
	}
	p := &Profile{compiled: true, schema: s, specs: s.Fields, extByName: map[string]int{}}
	if s.Envelope != "" {
		p.envelopePointer = wire.Pointer(s.Envelope)
	}
	for i, spec := range p.specs {
		if err := p.checkSpec(spec); err != nil {
			return nil, err
		}
		for len(p.byLen) <= len(spec.Name) {
			p.byLen = append(p.byLen, nil)
		}
		p.byLen[len(spec.Name)] = append(p.byLen[len(spec.Name)], i)
		if spec.isExtension() {
			p.extByName[spec.Name] = len(p.exts)
			p.exts = append(p.exts, i)
			continue
		}
		p.byField[spec.Field] = i + 1
		if spec.Nullable {
			p.nullable.add(spec.Field)
		}
		if spec.Policy.derivedFrom() != 0 {
			p.derived = append(p.derived, i)
		}
		if spec.Unique {
			p.unique = append(p.unique, i)
		}
	}
	if s.Envelope != "" && slices.Contains(s.EnvelopeKeys, s.Envelope) {
		return nil, p.errorf("envelope key %q listed among the other keys", s.Envelope)
	}
	view := &p.schema.View
	if len(view.Fields) == 0 {
		for _, spec := range p.specs {
			vf := ViewField{Name: spec.Name, Field: spec.Field, Always: spec.Field == FieldID}
			if spec.isExtension() {
				vf.Extension = spec.Name
			}
			view.Fields = append(view.Fields, vf)
		}
	}
	view.Fields = cloneView(view.Fields)
	if view.TimeLayout == "" {
		view.TimeLayout = time.RFC3339
	}
	if err := p.checkView(view.Fields); err != nil {
		return nil, err
	}
	for i := range p.specs {
		if spec := &p.specs[i]; spec.textKind() == kindText && spec.MaxLen == 0 {
			spec.MaxLen = spec.Policy.impl().maxLen(&p.schema.Limits)
		}
	}
	if err := p.compileCreate(); err != nil {
		return nil, err
	}
	return p, nil
}

// cloneView copies view fields, nested ones included, so that the
// profile shares nothing with the Schema.
func cloneView(fields []ViewField) []ViewField {
	out := slices.Clone(fields)
	for i := range out {
		out[i].Nested = cloneView(out[i].Nested)
	}
	return out
}

// checkView refuses a view field that writes nothing or more than one
// thing, a name used twice in one object, and an extension or literal
// that does not exist or is not JSON.
func (p *Profile) checkView(fields []ViewField) error {
	seen := map[string]bool{}
	for _, vf := range fields {
		what := 0
		for _, set := range []bool{vf.Field != 0, vf.Extension != "", vf.Literal != "", vf.Nested != nil, vf.State != 0} {
			if set {
				what++
			}
		}
		switch {
		case vf.Name == "" || seen[vf.Name] || what != 1:
			return p.errorf("view field %q: no name, a repeated name, or not exactly one of Field, Extension, Literal, Nested and State", vf.Name)
		case vf.State > StateArchivedAt:
			return p.errorf("view field %q: invalid State %d", vf.Name, vf.State)
		case vf.Field != 0 && !vf.Field.valid():
			return p.errorf("view field %q: invalid Field %d", vf.Name, vf.Field)
		case vf.Extension != "" && p.extension(vf.Extension) < 0:
			return p.errorf("view field %q: no extension field %q", vf.Name, vf.Extension)
		case vf.Literal != "" && !wire.Valid([]byte(vf.Literal)):
			return p.errorf("view field %q: Literal is not JSON", vf.Name)
		}
		seen[vf.Name] = true
		if err := p.checkView(vf.Nested); err != nil {
			return err
		}
	}
	return nil
}

// MustProfile is like NewProfile but panics if s is not valid. It is meant
// for package-level profiles built from literal Schemas.
func MustProfile(s Schema) *Profile {
	p, err := NewProfile(s)
	if err != nil {
		panic(err)
	}
	return p
}

func (p *Profile) checkSpec(spec FieldSpec) error {
	switch {
	case spec.Name == "":
		return p.errorf("a field has no name")
	case spec.isExtension() && (spec.Field != 0 || spec.Kind >= numKinds):
		return p.errorf("field %q: an extension field has a valid Kind and no Field", spec.Name)
	case spec.isExtension() && (spec.Unique || (spec.Rule != nil && spec.Kind != KindText)):
		return p.errorf("field %q: an extension field cannot be unique, and only text takes a Rule", spec.Name)
	case !spec.isExtension() && !spec.Field.valid():
		return p.errorf("field %q: invalid Field %d", spec.Name, spec.Field)
	case !spec.isExtension() && p.byField[spec.Field] != 0:
		return p.errorf("field %q: %s appears twice", spec.Name, spec.Field)
	case spec.Rule != nil && spec.textKind() != kindText:
		return p.errorf("field %q: only a text field takes a Rule", spec.Name)
	}
	if p.lookup([]byte(spec.Name)) >= 0 {
		return p.errorf("field %q: name appears twice", spec.Name)
	}
	if why := spec.Policy.check(&spec); why != "" {
		return p.errorf("field %q: %s", spec.Name, why)
	}
	k := spec.textKind()
	switch {
	case !spec.isExtension() && (k == kindID || k == kindTime) && !spec.ReadOnly:
		return p.errorf("field %q: %s must be read-only", spec.Name, spec.Field)
	case spec.Policy.appends() && spec.Nullable:
		return p.errorf("field %q: an appended field cannot be nullable", spec.Name)
	case spec.Unique && (k != kindText || spec.Policy.appends()):
		return p.errorf("field %q: only a text field that is replaced can be unique", spec.Name)
	case spec.MaxLen < 0:
		return p.errorf("field %q: negative MaxLen", spec.Name)
	case spec.ReadOnly && (spec.Required || spec.Default != ""):
		return p.errorf("field %q: a read-only field cannot be required or have a default", spec.Name)
	}
	return nil
}

func (p *Profile) errorf(format string, args ...any) error {
	return errors.New("contactpatch: profile " + fmt.Sprintf("%q: ", p.schema.Name) + fmt.Sprintf(format, args...))
}

// Name returns the Schema's name.
func (p *Profile) Name() string { return p.schema.Name }

// Limits returns the profile's limits, defaults filled in.
func (p *Profile) Limits() Limits {
	if p.ready() != nil {
		return Limits{}.withDefaults()
	}
	return p.schema.Limits
}

// lookup returns the index of the spec named key, or -1. Names are
// bucketed by length, so a lookup compares a key with a name or two.
func (p *Profile) lookup(key []byte) int {
	if len(key) < len(p.byLen) {
		for _, i := range p.byLen[len(key)] {
			// The last byte first: names of a length often share a prefix.
			if n := p.specs[i].Name; n[len(n)-1] == key[len(key)-1] && n == string(key) {
				return i
			}
		}
	}
	return -1
}

// extension returns the position among the extension fields of the one
// named name, or -1.
func (p *Profile) extension(name string) int {
	if i, ok := p.extByName[name]; ok {
		return i
	}
	return -1
}

// spec returns the FieldSpec of f, or nil when the profile lacks f.
func (p *Profile) spec(f Field) *FieldSpec {
	if i := p.byField[f]; i != 0 {
		return &p.specs[i-1]
	}
	return nil
}

// wireName returns the profile's name for f, or the canonical name when the
// profile does not expose f.
func (p *Profile) wireName(f Field) string {
	if s := p.spec(f); s != nil {
		return s.Name
	}
	return f.String()
}

// errNotCompiled is what every method of a Profile that NewProfile did
// not build returns: a zero Profile has no fields and no limits, and
// would otherwise refuse every body as too large.
var errNotCompiled = errors.New("contactpatch: Profile used without NewProfile; build one with NewProfile or use Default")

func (p *Profile) ready() error {
	if p == nil || !p.compiled {
		return errNotCompiled
	}
	return nil
}
