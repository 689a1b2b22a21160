package contactpatch

import (
	"errors"
	"fmt"
	"slices"
	"time"
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
}

// FieldSpec is one field of a Schema.
type FieldSpec struct {
	// Name is the JSON key in request bodies; keys match case-sensitively.
	Name string
	// Field is the canonical Contact field the key reads and writes.
	Field Field
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
	// two racing patches exactly one wins; the store must be a
	// UniqueStore. Only text fields can be unique.
	Unique bool
}

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

// ViewField is one key of a rendered contact.
type ViewField struct {
	Name  string
	Field Field
}

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
	name     string
	specs    []FieldSpec
	byLen    [][]int        // spec indexes by name length, for lookup
	byField  [numFields]int // index+1 into specs; 0 when the profile lacks the field
	derived  []int          // indexes of the specs whose policy derives them from other fields
	unique   []int          // indexes of the specs whose values are unique keys
	nullable fieldSet
	unknown  UnknownKeys
	limits   Limits
	view     View
}

// NewProfile checks s and compiles it. It reports a Schema that names a
// field twice, uses a wire name twice, gives a field a policy that does not
// fit it, leaves an id or timestamp field writable, makes an appended field
// nullable, or has negative limits.
func NewProfile(s Schema) (*Profile, error) {
	p := &Profile{
		compiled: true,
		name:     s.Name,
		specs:    slices.Clone(s.Fields),
		unknown:  s.UnknownKeys,
		limits:   s.Limits.withDefaults(),
		view:     s.View,
	}
	if s.Limits.negative() {
		return nil, p.errorf("negative limit")
	}
	for i, spec := range p.specs {
		if err := p.checkSpec(spec); err != nil {
			return nil, err
		}
		for len(p.byLen) <= len(spec.Name) {
			p.byLen = append(p.byLen, nil)
		}
		p.byLen[len(spec.Name)] = append(p.byLen[len(spec.Name)], i)
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
	if len(p.view.Fields) == 0 {
		for _, spec := range p.specs {
			p.view.Fields = append(p.view.Fields, ViewField{spec.Name, spec.Field})
		}
	}
	p.view.Fields = slices.Clone(p.view.Fields)
	if p.view.TimeLayout == "" {
		p.view.TimeLayout = time.RFC3339
	}
	seen := map[string]bool{}
	for _, vf := range p.view.Fields {
		if !vf.Field.valid() || vf.Name == "" || seen[vf.Name] {
			return nil, p.errorf("view field %q: invalid or repeated", vf.Name)
		}
		seen[vf.Name] = true
	}
	return p, nil
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
	case !spec.Field.valid():
		return p.errorf("field %q: invalid Field %d", spec.Name, spec.Field)
	case p.byField[spec.Field] != 0:
		return p.errorf("field %q: %s appears twice", spec.Name, spec.Field)
	}
	if p.lookup([]byte(spec.Name)) >= 0 {
		return p.errorf("field %q: name appears twice", spec.Name)
	}
	if why := spec.Policy.check(spec.Field); why != "" {
		return p.errorf("field %q: %s", spec.Name, why)
	}
	k := spec.Field.kind()
	switch {
	case (k == kindID || k == kindTime) && !spec.ReadOnly:
		return p.errorf("field %q: %s must be read-only", spec.Name, spec.Field)
	case spec.Policy.appends() && spec.Nullable:
		return p.errorf("field %q: an appended field cannot be nullable", spec.Name)
	case spec.Unique && (k != kindText || spec.Policy.appends()):
		return p.errorf("field %q: only a text field that is replaced can be unique", spec.Name)
	case spec.MaxLen < 0:
		return p.errorf("field %q: negative MaxLen", spec.Name)
	}
	return nil
}

func (p *Profile) errorf(format string, args ...any) error {
	return errors.New("contactpatch: profile " + fmt.Sprintf("%q: ", p.name) + fmt.Sprintf(format, args...))
}

// Name returns the Schema's name.
func (p *Profile) Name() string { return p.name }

// lookup returns the index of the spec named key, or -1. Names are
// bucketed by length, so a lookup compares a key with a name or two.
func (p *Profile) lookup(key []byte) int {
	if len(key) < len(p.byLen) {
		for _, i := range p.byLen[len(key)] {
			if p.specs[i].Name == string(key) {
				return i
			}
		}
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
