package contactpatch

// The kinds of extension fields, one small type each, carrying all a
// kind does: which JSON values it takes, how a sent value is checked and
// stored, how two stored values compare, how it reads as a Go value and
// is written from one, its string form (rule H6), and how it describes
// itself to the API's clients. A new kind is a constant and a type here.

import (
	"bytes"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Kind is the type of an extension field: a field a profile declares
// beyond the canonical ones, whose value lives in Contact.Extensions as
// compact JSON text.
type Kind uint8

// The kinds of extension fields. An enumeration is KindText with a OneOf
// or OneOfOr policy.
const (
	// KindText is a string; every text policy fits it.
	KindText Kind = iota + 1
	// KindNumber is a JSON number, kept as the digits sent and compared
	// by its value; a number too large for a float64 is refused.
	KindNumber
	// KindBool is true or false.
	KindBool
	// KindDate is a calendar date, "2026-03-01".
	KindDate
	// KindDateTime is an RFC 3339 timestamp, stored in UTC.
	KindDateTime
	// KindStrings is a list of strings, replaced whole and checked as
	// tags are: trimmed, none empty, repeats stored once.
	KindStrings
	// KindJSON is any JSON value, replaced whole, at most
	// Limits.CustomFieldValue bytes of compact JSON.
	KindJSON
	numKinds
)

// kinds holds what each Kind does.
var kinds = [numKinds]valueKind{
	KindText:     textValues{},
	KindNumber:   numberValues{},
	KindBool:     boolValues{},
	KindDate:     dateValues{},
	KindDateTime: dateTimeValues{},
	KindStrings:  stringsValues{},
	KindJSON:     jsonValues{},
}

// valueKind is what each kind's type implements.
type valueKind interface {
	name() string
	jsonType() string   // the JSON type it takes, for invalid_type: "a number"
	starts(c byte) bool // whether a value beginning with c is of the kind
	stringValued() bool // its values are JSON strings
	// check judges a sent value (raw, or s when it came as a string) and
	// returns it as stored, or the problem that refuses it. Text and lists
	// are judged by the field's policy and the tag rules instead, as the
	// canonical text and tags are (extension.go).
	check(raw rawJSON, s string, isString bool, l *Limits) (rawJSON, *refusal)
	same(a, b rawJSON) bool           // two stored values are one
	goType() reflect.Type             // what GetExtension returns
	read(raw rawJSON) (any, bool)     // a stored value as its Go value
	write(v any) (rawJSON, string)    // a Go value as stored, or why it cannot be
	fromString(s string) rawJSON      // the value of a string form, or nil
	renderForm() stringForm           // how the value is written as a string
	schema() map[string]any           // the JSON Schema of a stored value
	sentSchema() map[string]any       // the JSON Schema of a value a body sends
	stringFormSchema() map[string]any // the JSON Schema of its string form; nil when it is a string
	describe() string                 // what a sent value becomes, in words
}

// impl is the kind's behaviour; nil for an invalid kind.
func (k Kind) impl() valueKind {
	if k == 0 || k >= numKinds {
		return nil
	}
	return kinds[k]
}

// String returns the kind's name: "text", "number", "boolean", "date",
// "date-time", "strings" or "json".
func (k Kind) String() string {
	if k.impl() == nil {
		return "invalid_kind"
	}
	return k.impl().name()
}

// JSONSchema returns the JSON Schema 2020-12 of a stored value of the
// kind, as a response holds it; a new map each time.
func (k Kind) JSONSchema() map[string]any {
	if k.impl() == nil {
		return map[string]any{}
	}
	return k.impl().schema()
}

// BodySchema returns the JSON Schema 2020-12 of a value of the kind as a
// PATCH body may send it (a date with white space around it, which is
// trimmed); a new map each time.
func (k Kind) BodySchema() map[string]any {
	if k.impl() == nil {
		return map[string]any{}
	}
	return k.impl().sentSchema()
}

// StringFormSchema returns the JSON Schema of the kind's string form
// (Schema.StringForms: "42", "true", "a;b"), or nil for a kind whose
// values are strings already.
func (k Kind) StringFormSchema() map[string]any {
	if k.impl() == nil {
		return nil
	}
	return k.impl().stringFormSchema()
}

// Description says in words what a sent value of the kind becomes, as
// the reference pages say it.
func (k Kind) Description() string {
	if k.impl() == nil {
		return ""
	}
	return k.impl().describe()
}

// same reports whether two stored values of a field of kind k are one.
func (k Kind) same(a, b rawJSON) bool { return k.impl().same(a, b) }

// compactValues is what a kind does unless it says otherwise: values
// compared by their compact text, which is canonical, and no string form
// of their own. Each kind embeds it, or stringValues.
type compactValues struct{}

func (compactValues) same(a, b rawJSON) bool           { return bytes.Equal(a, b) }
func (compactValues) stringValued() bool               { return false }
func (compactValues) fromString(string) rawJSON        { return nil }
func (compactValues) renderForm() stringForm           { return plainForm }
func (compactValues) stringFormSchema() map[string]any { return nil }

// stringValues are kinds whose values are JSON strings.
type stringValues struct{ compactValues }

func (stringValues) jsonType() string   { return "a string" }
func (stringValues) starts(c byte) bool { return c == '"' }
func (stringValues) stringValued() bool { return true }

type textValues struct{ stringValues }

func (textValues) name() string                 { return "text" }
func (textValues) goType() reflect.Type         { return reflect.TypeFor[string]() }
func (k textValues) sentSchema() map[string]any { return k.schema() }
func (textValues) schema() map[string]any       { return map[string]any{"type": "string"} }
func (textValues) describe() string             { return "text, trimmed, replaced" }
func (textValues) read(raw rawJSON) (any, bool) { return unquote(raw) }
func (textValues) write(v any) (rawJSON, string) {
	return wire.AppendString(nil, v.(string)), ""
}

// check is not asked: text is judged by the field's policy.
func (textValues) check(rawJSON, string, bool, *Limits) (rawJSON, *refusal) {
	return nil, nil
}

type numberValues struct{ compactValues }

func (numberValues) name() string                 { return "number" }
func (numberValues) jsonType() string             { return "a number" }
func (numberValues) starts(c byte) bool           { return c == '-' || c >= '0' && c <= '9' }
func (numberValues) goType() reflect.Type         { return reflect.TypeFor[float64]() }
func (k numberValues) sentSchema() map[string]any { return k.schema() }
func (numberValues) schema() map[string]any {
	return map[string]any{"type": "number"}
}
func (numberValues) stringFormSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^\s*(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)?\s*$`}
}
func (numberValues) describe() string { return "a number, kept as sent" }

func (numberValues) check(raw rawJSON, s string, isString bool, _ *Limits) (rawJSON, *refusal) {
	n := string(raw)
	if isString {
		n = s
	}
	if !validNumber(n) {
		return nil, &refusal{code: CodeInvalidFormat, msg: "Must be a number"}
	}
	return rawJSON(n), nil
}

// same compares numbers by their decimal value, so that 1.5 then 1.50
// is no change.
func (numberValues) same(a, b rawJSON) bool {
	if len(a) == 0 || len(b) == 0 {
		return bytes.Equal(a, b)
	}
	return wire.SameNumber(string(a), string(b))
}

func (numberValues) read(raw rawJSON) (any, bool) {
	f, err := strconv.ParseFloat(string(raw), 64)
	return f, err == nil && wire.IsNumber(string(raw))
}

func (numberValues) write(v any) (rawJSON, string) {
	f := v.(float64)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, "JSON has no number " + strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), ""
}

func (numberValues) fromString(s string) rawJSON {
	if validNumber(s) {
		return rawJSON(s)
	}
	return nil
}

type boolValues struct{ compactValues }

func (boolValues) name() string                 { return "boolean" }
func (boolValues) jsonType() string             { return "a boolean" }
func (boolValues) starts(c byte) bool           { return c == 't' || c == 'f' }
func (boolValues) goType() reflect.Type         { return reflect.TypeFor[bool]() }
func (k boolValues) sentSchema() map[string]any { return k.schema() }
func (boolValues) schema() map[string]any       { return map[string]any{"type": "boolean"} }
func (boolValues) stringFormSchema() map[string]any {
	return map[string]any{"type": "string", "pattern": `^\s*(true|false)?\s*$`}
}
func (boolValues) describe() string { return "true or false" }

func (boolValues) check(raw rawJSON, s string, isString bool, _ *Limits) (rawJSON, *refusal) {
	b := string(raw)
	if isString {
		b = s
	}
	if b != "true" && b != "false" {
		return nil, &refusal{code: CodeInvalidType, msg: "Must be a boolean"}
	}
	return rawJSON(b), nil
}

func (boolValues) read(raw rawJSON) (any, bool) {
	s := string(raw)
	return s == "true", s == "true" || s == "false"
}

func (boolValues) write(v any) (rawJSON, string) {
	return strconv.AppendBool(nil, v.(bool)), ""
}

func (boolValues) fromString(s string) rawJSON {
	if s == "true" || s == "false" {
		return rawJSON(s)
	}
	return nil
}

type dateValues struct{ stringValues }

func (dateValues) name() string         { return "date" }
func (dateValues) goType() reflect.Type { return reflect.TypeFor[time.Time]() }
func (dateValues) schema() map[string]any {
	return map[string]any{"type": "string", "format": "date"}
}
func (dateValues) sentSchema() map[string]any {
	return map[string]any{"type": "string", "format": "date", "pattern": `^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$`}
}
func (dateValues) describe() string { return "a date, YYYY-MM-DD" }

func (dateValues) check(_ rawJSON, s string, isString bool, _ *Limits) (rawJSON, *refusal) {
	if _, err := time.Parse(time.DateOnly, s); err != nil || !isString {
		return nil, &refusal{code: CodeInvalidFormat, msg: "Must be a date, YYYY-MM-DD"}
	}
	return wire.AppendString(nil, s), nil
}

// read gives midnight UTC of the day.
func (dateValues) read(raw rawJSON) (any, bool) {
	s, isString := unquote(raw)
	t, err := time.Parse(time.DateOnly, s)
	return t, isString && err == nil
}

func (dateValues) write(v any) (rawJSON, string) {
	return wire.AppendString(nil, v.(time.Time).Format(time.DateOnly)), ""
}

type dateTimeValues struct{ stringValues }

func (dateTimeValues) name() string                 { return "date-time" }
func (dateTimeValues) goType() reflect.Type         { return reflect.TypeFor[time.Time]() }
func (k dateTimeValues) sentSchema() map[string]any { return k.schema() }
func (dateTimeValues) schema() map[string]any {
	return map[string]any{"type": "string", "format": "date-time"}
}
func (dateTimeValues) describe() string { return "an RFC 3339 timestamp, stored in UTC" }

func (dateTimeValues) check(_ rawJSON, s string, isString bool, _ *Limits) (rawJSON, *refusal) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !isString {
		return nil, &refusal{code: CodeInvalidFormat, msg: "Must be an RFC 3339 timestamp"}
	}
	return wire.AppendString(nil, t.UTC().Format(time.RFC3339Nano)), nil
}

func (dateTimeValues) read(raw rawJSON) (any, bool) {
	s, isString := unquote(raw)
	t, err := time.Parse(time.RFC3339Nano, s)
	return t.UTC(), isString && err == nil
}

func (dateTimeValues) write(v any) (rawJSON, string) {
	return wire.AppendString(nil, v.(time.Time).UTC().Format(time.RFC3339Nano)), ""
}

type stringsValues struct{ compactValues }

func (stringsValues) name() string                 { return "strings" }
func (stringsValues) jsonType() string             { return "an array of strings" }
func (stringsValues) starts(c byte) bool           { return c == '[' }
func (stringsValues) goType() reflect.Type         { return reflect.TypeFor[[]string]() }
func (stringsValues) renderForm() stringForm       { return listForm }
func (k stringsValues) sentSchema() map[string]any { return k.schema() }
func (stringsValues) schema() map[string]any {
	return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
}
func (stringsValues) stringFormSchema() map[string]any { return map[string]any{"type": "string"} }
func (stringsValues) describe() string {
	return "replaces the whole list; items trimmed, none empty, repeats stored once"
}

// check is not asked: lists are judged by the tag rules.
func (stringsValues) check(rawJSON, string, bool, *Limits) (rawJSON, *refusal) {
	return nil, nil
}

func (stringsValues) read(raw rawJSON) (any, bool) { return wire.Strings(raw) }

func (stringsValues) write(v any) (rawJSON, string) {
	return appendStrings(nil, onceEach(v.([]string))), ""
}

func (stringsValues) fromString(s string) rawJSON {
	return appendStrings(nil, strings.Split(s, listSeparator))
}

type jsonValues struct{ compactValues }

func (jsonValues) name() string                 { return "json" }
func (jsonValues) jsonType() string             { return "a JSON value" }
func (jsonValues) starts(byte) bool             { return true }
func (jsonValues) goType() reflect.Type         { return reflect.TypeFor[rawJSON]() }
func (jsonValues) renderForm() stringForm       { return jsonForm }
func (k jsonValues) sentSchema() map[string]any { return k.schema() }
func (jsonValues) schema() map[string]any       { return map[string]any{} }
func (jsonValues) describe() string             { return "any JSON value, replaced whole" }

func (jsonValues) check(raw rawJSON, _ string, _ bool, l *Limits) (rawJSON, *refusal) {
	if max := l.CustomFieldValue; len(raw) > max {
		return nil, &refusal{code: CodeTooLong, msg: "Value exceeds " + strconv.Itoa(max) + " bytes", limit: max}
	}
	return raw, nil
}

func (jsonValues) read(raw rawJSON) (any, bool) {
	return rawJSON(bytes.Clone(raw)), wire.Valid(raw)
}

func (jsonValues) write(v any) (rawJSON, string) {
	raw := v.(rawJSON)
	if !wire.Valid(raw) {
		return nil, "not one valid JSON value"
	}
	return wire.Compact(raw), ""
}

func (jsonValues) fromString(s string) rawJSON {
	if wire.Valid([]byte(s)) {
		return wire.Compact([]byte(s))
	}
	return nil
}

// fromEpochMillis reads a date or date-time sent as milliseconds since
// the Unix epoch, a string of digits (rule H9), as the kind's own form:
// a date must fall at midnight UTC. Any other string is left as it is.
func fromEpochMillis(k Kind, s string) (string, *refusal) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return s, nil
	}
	ms, err := strconv.ParseInt(s, 10, 64)
	t := time.UnixMilli(ms).UTC()
	switch {
	case err != nil || t.Year() > 9999:
		return "", &refusal{code: CodeInvalidFormat, msg: "A timestamp in milliseconds past the year 9999"}
	case k == KindDateTime:
		return t.Format(time.RFC3339Nano), nil
	case !t.Equal(t.Truncate(24 * time.Hour)):
		return "", &refusal{code: CodeInvalidFormat, msg: "A date in milliseconds must be at midnight UTC"}
	}
	return t.Format(time.DateOnly), nil
}
