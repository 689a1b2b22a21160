package contactpatch

// Optional, the tri-state value of a PATCH field: omitted, null or a
// value.

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Optional is a value of type T that a JSON object can leave out, set to
// null, or set to a value. The three states stay apart: the zero Optional is
// omitted, [Null] makes an explicit null, and [Value] holds a value.
//
// In a [Patch], omitted means "leave the field unchanged", null means "clear
// it" and a value means "set it" (rule R1). In a [Contact], a field with no
// value reads as omitted or null alike: both mean the field is empty, and
// Apply writes null when it clears one.
//
// Optional never allocates to be set or read, and two Optionals compare
// with == when T is comparable. Tag struct fields of this type with
// `json:",omitzero"` so that an omitted field is left out of the encoded
// object while an explicit null is kept.
type Optional[T any] struct {
	value T
	state presence
}

type presence uint8

const (
	omitted presence = iota
	null
	present
)

// Value returns an Optional that holds v.
func Value[T any](v T) Optional[T] {
	return Optional[T]{value: v, state: present}
}

// Null returns an Optional that is an explicit null.
func Null[T any]() Optional[T] {
	return Optional[T]{state: null}
}

// IsOmitted reports whether o was left out. It is true for the zero Optional.
func (o Optional[T]) IsOmitted() bool { return o.state == omitted }

// IsNull reports whether o is an explicit null.
func (o Optional[T]) IsNull() bool { return o.state == null }

// HasValue reports whether o holds a value; the value may be T's zero value,
// such as "" or false.
func (o Optional[T]) HasValue() bool { return o.state == present }

// Get returns the value and true when o holds a value, and T's zero value
// and false when it is omitted or null.
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == present }

// Or returns the value o holds, or def when o is omitted or null.
func (o Optional[T]) Or(def T) T {
	if o.state == present {
		return o.value
	}
	return def
}

// IsZero reports whether o is omitted, so that the `omitzero` struct tag
// option of encoding/json leaves omitted fields out and keeps nulls.
func (o Optional[T]) IsZero() bool { return o.state == omitted }

// String formats o for debugging: "omitted", "null", or the value as %v prints it.
func (o Optional[T]) String() string {
	switch o.state {
	case null:
		return "null"
	case present:
		return fmt.Sprint(o.value)
	}
	return "omitted"
}

// MarshalJSON encodes a value as T encodes, and null or omitted as null;
// omitted has no JSON form of its own, which is why fields should carry
// the `omitzero` tag option.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.state != present {
		return []byte("null"), nil
	}
	// Text, most of a contact, skips the reflection of encoding/json:
	// stores write and read every field of every contact.
	if s, ok := any(o.value).(string); ok && utf8.ValidString(s) {
		return wire.AppendString(nil, s), nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON sets o to null for the JSON literal null and otherwise
// decodes a value of type T. A key that is absent from the object never
// reaches UnmarshalJSON, so the field stays omitted.
func (o *Optional[T]) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*o = Null[T]()
		return nil
	}
	var v T
	if p, ok := any(&v).(*string); ok && len(data) > 0 && data[0] == '"' {
		s := wire.New(data, wire.Limits{})
		if text, err := s.Text(); err == nil && s.Pos() == len(data) {
			*p = text
			*o = Value(v)
			return nil
		}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*o = Value(v)
	return nil
}
