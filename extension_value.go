package contactpatch

// Typed access to extension values for a host's own code: the value of an
// extension field read as a Go value and set from one, so that a host
// mapping a contact onto its own types never handles JSON text.

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"time"
)

// ExtensionType is a Go type an extension value is read as and set from:
// string for [KindText], float64 for [KindNumber], bool for [KindBool],
// time.Time for [KindDate] and [KindDateTime], []string for
// [KindStrings], and json.RawMessage for [KindJSON].
type ExtensionType interface {
	string | float64 | bool | time.Time | []string | json.RawMessage
}

// ExtensionError reports typed access to an extension value that cannot
// be made: no such extension field, a Go type that is not the field's, or
// a stored value that is not of the field's kind.
type ExtensionError struct {
	Name   string // the field's wire name
	Kind   Kind   // the field's kind; 0 when the profile has no such field
	GoType string // the Go type asked for, such as "float64"
	Reason string // what went wrong, for people
}

// Error names the field, its kind and the type asked for.
func (e *ExtensionError) Error() string {
	return "contactpatch: extension " + strconv.Quote(e.Name) + ": " + e.Reason
}

// GetExtension returns the value of the extension field name of c as a T,
// which must be the field's [ExtensionType]: a date reads as midnight UTC
// of its day. A field with no value stored is the zero Optional.
func GetExtension[T ExtensionType](p *Profile, c Contact, name string) (Optional[T], error) {
	var out Optional[T]
	spec, err := extensionFor[T](p, name)
	if err != nil {
		return out, err
	}
	raw, ok := c.Extensions[name]
	if !ok {
		return out, nil
	}
	v, ok := spec.Kind.impl().read(raw)
	if !ok {
		return out, &ExtensionError{Name: name, Kind: spec.Kind, GoType: goTypeName[T](),
			Reason: "the stored value " + strconv.Quote(string(raw)) + " is not a " + spec.Kind.String() + " value"}
	}
	return Value(v.(T)), nil
}

// SetExtension stores v as the value of the extension field name of c, in
// the form Apply stores a client's value (compact JSON, a date-time in
// UTC, a list without repeats); the zero Optional or null removes the
// value. T must be the field's [ExtensionType]. It gives c a map of its
// own, so a contact c was copied from is not changed. The field's policy
// and Rule are not run: they judge a client's values, and this is the
// host's own code writing.
func SetExtension[T ExtensionType](p *Profile, c *Contact, name string, v Optional[T]) error {
	spec, err := extensionFor[T](p, name)
	if err != nil {
		return err
	}
	exts := maps.Clone(c.Extensions)
	val, ok := v.Get()
	if !ok {
		delete(exts, name)
		c.Extensions = exts
		return nil
	}
	raw, reason := spec.Kind.impl().write(any(val))
	if reason != "" {
		return &ExtensionError{Name: name, Kind: spec.Kind, GoType: goTypeName[T](), Reason: reason}
	}
	if exts == nil {
		exts = map[string]json.RawMessage{}
	}
	exts[name] = raw
	c.Extensions = exts
	return nil
}

// extensionFor finds the extension field name and checks that T is its
// Go type.
func extensionFor[T ExtensionType](p *Profile, name string) (*FieldSpec, error) {
	i := p.extension(name)
	if i < 0 {
		return nil, &ExtensionError{Name: name, GoType: goTypeName[T](), Reason: "no extension field of that name in profile " + strconv.Quote(p.schema.Name)}
	}
	spec := &p.specs[p.exts[i]]
	var zero T
	if want := spec.Kind.impl().goType(); reflect.TypeOf(zero) != want {
		return nil, &ExtensionError{Name: name, Kind: spec.Kind, GoType: goTypeName[T](),
			Reason: "a " + spec.Kind.String() + " field is a " + want.String() + ", not a " + goTypeName[T]()}
	}
	return spec, nil
}

func goTypeName[T ExtensionType]() string {
	var zero T
	return reflect.TypeOf(zero).String()
}

// onceEach keeps the first of each repeated item, as a list is stored.
func onceEach(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
