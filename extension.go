package contactpatch

import (
	"bytes"
	"encoding/json"
	"math"
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
	// KindNumber is a JSON number, kept as the digits sent; a number too
	// large for a float64 is refused.
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

var kindNames = [numKinds]string{"", "text", "number", "boolean", "date", "date-time", "strings", "json"}

// String returns the kind's name: "text", "number", "boolean", "date",
// "date-time", "strings" or "json".
func (k Kind) String() string {
	if k == 0 || k >= numKinds {
		return "invalid_kind"
	}
	return kindNames[k]
}

// listSeparator joins a list written as one string (rule H6), as APIs
// whose multi-select values are strings write them.
const listSeparator = ";"

// isExtension reports whether the spec is an extension field.
func (spec *FieldSpec) isExtension() bool { return spec.Kind != 0 }

// extension reads the value of an extension field into out: its JSON type
// is checked here, its content by Apply.
func (d *decoder) extension(spec *FieldSpec, strForms bool, out *Patch) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		out.setExtension(spec.Name, Null[json.RawMessage]())
		return err
	}
	c := d.s.Peek()
	switch want := spec.Kind.jsonType(); {
	case spec.Kind == KindJSON:
	case c == '"' && (strForms || want == "a string"):
	case spec.Kind == KindNumber && (c == '-' || c >= '0' && c <= '9'):
	case spec.Kind == KindBool && (c == 't' || c == 'f'):
	case spec.Kind == KindStrings && c == '[':
	default:
		return d.wrongType(want)
	}
	if c == '[' && spec.Kind == KindStrings {
		// Read as tags are: each item's type is checked where it stands,
		// and an item of another type is kept as "" so that the indexes
		// of later items stay those of the body.
		var items Optional[[]string]
		err := d.tags(&items)
		out.setExtension(spec.Name, Value(json.RawMessage(appendStrings(nil, items.Or(nil)))))
		return err
	}
	start := d.s.Pos()
	if err := d.skip(); err != nil {
		return err
	}
	out.setExtension(spec.Name, Value(json.RawMessage(wire.Compact(d.s.Bytes(start)))))
	return nil
}

// jsonType names the JSON type the kind takes, for invalid_type.
func (k Kind) jsonType() string {
	switch k {
	case KindNumber:
		return "a number"
	case KindBool:
		return "a boolean"
	case KindStrings:
		return "an array of strings"
	case KindJSON:
		return "a JSON value"
	}
	return "a string"
}

func (p *Patch) setExtension(name string, v Optional[json.RawMessage]) {
	if p.Extensions == nil {
		p.Extensions = map[string]Optional[json.RawMessage]{}
	}
	p.Extensions[name] = v
}

// unchanged is what extValue returns for a value that leaves the stored
// one as it is: not nil, which would clear it.
var unchanged = json.RawMessage{}

// extValue checks a sent extension value and returns it as it is stored:
// compact JSON, or no value. Text goes through the field's policy as
// canonical text does; lists through the tag rules.
func (m *merge) extValue(spec *FieldSpec, raw json.RawMessage) (json.RawMessage, bool) {
	strForm, isString := unquote(raw)
	if isString && spec.Kind != KindText {
		if spec.Kind != KindJSON {
			strForm = strings.TrimSpace(strForm)
		}
		if strForm == "" && spec.EmptyAsNull {
			return nil, true // rule H2: "" clears a value of any kind
		}
	}
	fail := func(pr problem) (json.RawMessage, bool) { m.fail(spec, pr); return nil, false }
	switch spec.Kind {
	case KindText:
		if !isString {
			return fail(problem{code: CodeInvalidType, msg: "Must be a string"})
		}
		v, ok := m.textValue(spec, Value(strForm), m.next.extText(spec.Name))
		switch s, set := v.Get(); {
		case ok && set:
			return wire.AppendString(nil, s), true
		case ok && !v.IsNull():
			return unchanged, true // an append of "" to no text (L3)
		}
		return nil, ok
	case KindNumber:
		n := string(raw)
		if isString {
			n = strForm
		}
		if !validNumber(n) {
			return fail(problem{code: CodeInvalidFormat, msg: "Must be a number"})
		}
		return json.RawMessage(n), true
	case KindBool:
		b := string(raw)
		if isString {
			b = strForm
		}
		if b != "true" && b != "false" {
			return fail(problem{code: CodeInvalidType, msg: "Must be a boolean"})
		}
		return json.RawMessage(b), true
	case KindDate:
		if _, err := time.Parse(time.DateOnly, strForm); err != nil || !isString {
			return fail(problem{code: CodeInvalidFormat, msg: "Must be a date, YYYY-MM-DD"})
		}
		return wire.AppendString(nil, strForm), true
	case KindDateTime:
		t, err := time.Parse(time.RFC3339Nano, strForm)
		if err != nil || !isString {
			return fail(problem{code: CodeInvalidFormat, msg: "Must be an RFC 3339 timestamp"})
		}
		return wire.AppendString(nil, t.UTC().Format(time.RFC3339Nano)), true
	case KindStrings:
		list, ok := m.extList(spec, raw, strForm, isString)
		if !ok {
			return nil, false
		}
		return appendStrings(nil, list), true
	case KindJSON:
		if len(raw) > m.p.limits.CustomFieldValue {
			return fail(problem{code: CodeTooLong, msg: "Value exceeds " + strconv.Itoa(m.p.limits.CustomFieldValue) + " bytes", limit: m.p.limits.CustomFieldValue})
		}
		return raw, true
	}
	panic("contactpatch: no case for extension kind " + spec.Kind.String())
}

// extList reads a list of strings, or under StringForms one string of
// items joined with ";", and checks it as tags are checked.
func (m *merge) extList(spec *FieldSpec, raw json.RawMessage, s string, isString bool) ([]string, bool) {
	list, ok := strings.Split(s, listSeparator), true
	if !isString {
		// The decoder checked each item; a Patch built in Go may hold anything.
		if list, ok = wire.Strings(raw); !ok {
			m.fail(spec, problem{code: CodeInvalidType, msg: "Must be an array of strings"})
			return nil, false
		}
	}
	before := len(m.found.errs)
	if m.p.stringForms {
		// The string form joins items with ";": an item holding one
		// could not be read back.
		for i, item := range list {
			if strings.Contains(item, listSeparator) {
				m.found.fail(spec.Name, wire.Pointer(spec.Name, strconv.Itoa(i)), problem{code: CodeInvalidFormat, msg: "An item cannot hold \";\", which separates items"})
			}
		}
	}
	out := spec.replaceTags(list, &m.p.limits, &m.found)
	return out, len(m.found.errs) == before
}

// appendStrings appends a JSON array of the strings.
func appendStrings(b []byte, list []string) []byte {
	b = append(b, '[')
	for i, t := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, t)
	}
	return append(b, ']')
}

// unquote returns the text of a JSON string value, and whether raw is one.
func unquote(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || raw[0] != '"' {
		return "", false
	}
	sc := wire.New(raw, wire.Limits{Depth: 1, Keys: 1})
	s, err := sc.Text()
	return s, err == nil
}

// validNumber reports whether s is a JSON number a float64 can hold.
func validNumber(s string) bool {
	if !wire.IsNumber(s) {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsInf(f, 0)
}

// extText returns an extension text field's stored value.
func (c *Contact) extText(name string) Optional[string] {
	raw, ok := c.Extensions[name]
	if !ok {
		return Optional[string]{}
	}
	s, _ := unquote(raw)
	return Value(s)
}

// extension applies a sent extension value: read-only echo, null, then
// the kind's checks.
func (m *merge) extension(i int, stored *Contact) {
	spec := &m.p.specs[m.p.exts[i]]
	sent := m.patch.Extensions[spec.Name]
	raw, isValue := sent.Get()
	var next json.RawMessage
	ok := true
	if isValue {
		next, ok = m.extValue(spec, raw)
	}
	switch {
	case !ok, next != nil && len(next) == 0: // refused, or unchanged
		return
	case spec.ReadOnly:
		if !spec.Kind.same(next, stored.Extensions[spec.Name]) {
			m.fail(spec, problem{code: CodeReadOnly, msg: "Read-only field: send the stored value or leave it out"})
		}
		return
	case next == nil && !spec.Nullable && (!isValue || !spec.EmptyAsNull):
		m.fail(spec, problem{code: CodeNotNullable, msg: spec.Policy.nullMessage()})
		return
	}
	cur, had := m.next.Extensions[spec.Name]
	if (next == nil && !had) || (next != nil && had && spec.Kind.same(next, cur)) {
		return
	}
	if !m.extsCopied {
		m.next.Extensions = cloneRaw(m.next.Extensions)
		m.extsCopied = true
	}
	if next == nil {
		delete(m.next.Extensions, spec.Name)
	} else {
		m.next.Extensions[spec.Name] = next
	}
	m.extChanged.add(i)
}

// same reports whether two stored values of a field of kind k are one
// value: numbers by their decimal value, so that 1.5 then 1.50 is no
// change; every other kind by its compact text, which is canonical.
func (k Kind) same(a, b json.RawMessage) bool {
	if k == KindNumber && len(a) > 0 && len(b) > 0 {
		return wire.SameNumber(string(a), string(b))
	}
	return bytes.Equal(a, b)
}

// cloneRaw copies a map of JSON values, values included.
func cloneRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m)+1)
	for k, v := range m {
		out[k] = bytes.Clone(v)
	}
	return out
}

// extensionValue is an extension field's value as Changes reports it: the
// compact JSON text, or nil for no value.
func (c *Contact) extensionValue(name string) any {
	if raw, ok := c.Extensions[name]; ok {
		return raw
	}
	return nil
}
