package contactpatch

// Typed access to extension values for a host's own code: the value of an
// extension field read as a Go value and set from one, so that a host
// mapping a contact onto its own types never handles JSON text.

import (
	"encoding/json"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
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
	v, ok := readExtension(spec.Kind, raw)
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
	raw, reason := writeExtension(spec.Kind, any(val))
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
		return nil, &ExtensionError{Name: name, GoType: goTypeName[T](), Reason: "no extension field of that name in profile " + strconv.Quote(p.name)}
	}
	spec := &p.specs[p.exts[i]]
	var zero T
	if want := spec.Kind.goType(); reflect.TypeOf(zero) != want {
		return nil, &ExtensionError{Name: name, Kind: spec.Kind, GoType: goTypeName[T](),
			Reason: "a " + spec.Kind.String() + " field is a " + want.String() + ", not a " + goTypeName[T]()}
	}
	return spec, nil
}

func goTypeName[T ExtensionType]() string {
	var zero T
	return reflect.TypeOf(zero).String()
}

// goType is the Go type of a kind's values, as GetExtension returns them.
func (k Kind) goType() reflect.Type {
	switch k {
	case KindNumber:
		return reflect.TypeFor[float64]()
	case KindBool:
		return reflect.TypeFor[bool]()
	case KindDate, KindDateTime:
		return reflect.TypeFor[time.Time]()
	case KindStrings:
		return reflect.TypeFor[[]string]()
	case KindJSON:
		return reflect.TypeFor[json.RawMessage]()
	}
	return reflect.TypeFor[string]()
}

// readExtension reads a stored value of kind k as its Go value; false for
// a stored value that is not of the kind.
func readExtension(k Kind, raw json.RawMessage) (any, bool) {
	s, isString := unquote(raw)
	switch k {
	case KindText:
		return s, isString
	case KindNumber:
		f, err := strconv.ParseFloat(string(raw), 64)
		return f, err == nil && wire.IsNumber(string(raw))
	case KindBool:
		b, err := strconv.ParseBool(string(raw))
		return b, err == nil && (string(raw) == "true" || string(raw) == "false")
	case KindDate:
		t, err := time.Parse(time.DateOnly, s)
		return t, isString && err == nil
	case KindDateTime:
		t, err := time.Parse(time.RFC3339Nano, s)
		return t.UTC(), isString && err == nil
	case KindStrings:
		return wire.Strings(raw)
	}
	return json.RawMessage(slices.Clone(raw)), wire.Valid(raw)
}

// writeExtension encodes a Go value of kind k as Apply stores it, or says
// why it cannot be stored.
func writeExtension(k Kind, v any) (json.RawMessage, string) {
	switch v := v.(type) {
	case string:
		return wire.AppendString(nil, v), ""
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, "JSON has no number " + strconv.FormatFloat(v, 'g', -1, 64)
		}
		return strconv.AppendFloat(nil, v, 'g', -1, 64), ""
	case bool:
		return strconv.AppendBool(nil, v), ""
	case time.Time:
		if k == KindDate {
			return wire.AppendString(nil, v.Format(time.DateOnly)), ""
		}
		return wire.AppendString(nil, v.UTC().Format(time.RFC3339Nano)), ""
	case []string:
		return appendStrings(nil, onceEach(v)), ""
	case json.RawMessage:
		if !wire.Valid(v) {
			return nil, "not one valid JSON value"
		}
		return wire.Compact(v), ""
	}
	panic("contactpatch: no case for extension type " + reflect.TypeOf(v).String())
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
