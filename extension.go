package contactpatch

// Extension fields on their way through decode and Apply (rule R17):
// what the kinds (kinds.go) do not do alone, where text meets the
// policies and lists the tag rules.

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// listSeparator joins a list written as one string (rule H6), as APIs
// whose multi-select values are strings write them.
const listSeparator = ";"

// isExtension reports whether the spec is an extension field.
func (spec *FieldSpec) isExtension() bool { return spec.Kind != 0 }

// extension reads the value of an extension field into out: its JSON type
// is checked here, its content by Apply.
func (d *decoder) extension(spec *FieldSpec, strForms bool, out *Patch) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		out.setExtension(spec.Name, Null[rawJSON]())
		return err
	}
	c := d.s.Peek()
	if k := spec.Kind.impl(); !k.starts(c) && !(c == '"' && strForms) {
		return d.wrongType(k.jsonType())
	}
	if c == '[' && spec.Kind == KindStrings {
		// Read as tags are: each item's type is checked where it stands,
		// and an item of another type is kept as "" so that the indexes
		// of later items stay those of the body.
		var items Optional[[]string]
		err := d.tags(&items)
		out.setExtension(spec.Name, Value(rawJSON(appendStrings(nil, items.Or(nil)))))
		return err
	}
	start := d.s.Pos()
	if err := d.skip(); err != nil {
		return err
	}
	out.setExtension(spec.Name, Value(rawJSON(wire.Compact(d.s.Bytes(start)))))
	return nil
}

func (p *Patch) setExtension(name string, v Optional[rawJSON]) {
	if p.Extensions == nil {
		p.Extensions = map[string]Optional[rawJSON]{}
	}
	p.Extensions[name] = v
}

// unchanged is what extValue returns for a value that leaves the stored
// one as it is: not nil, which would clear it.
var unchanged = rawJSON{}

// extValue checks a sent extension value and returns it as it is stored:
// compact JSON, or no value. Text goes through the field's policy as
// canonical text does; lists through the tag rules.
func (m *merge) extValue(spec *FieldSpec, raw rawJSON) (rawJSON, bool) {
	strForm, isString := unquote(raw)
	if isString && spec.Kind != KindText {
		if spec.Kind != KindJSON {
			strForm = strings.TrimSpace(strForm)
		}
		if strForm == "" && spec.EmptyAsNull {
			return nil, true // rule H2: "" clears a value of any kind
		}
	}
	switch spec.Kind {
	case KindText:
		return m.extText(spec, strForm, isString)
	case KindStrings:
		list, ok := m.extList(spec, raw, strForm, isString)
		switch {
		case !ok:
			return nil, false
		case len(list) == 0 && m.p.schema.StringForms:
			// Written as a string, an empty list is "", which reads back
			// as no value: so it is stored as none (rule H6).
			return nil, true
		}
		return appendStrings(nil, list), true
	}
	if m.p.schema.EpochMillis && isString && (spec.Kind == KindDate || spec.Kind == KindDateTime) {
		var pr *refusal
		if strForm, pr = fromEpochMillis(spec.Kind, strForm); !pr.ok() {
			m.fail(spec, pr)
			return nil, false
		}
	}
	v, pr := spec.Kind.impl().check(raw, strForm, isString, &m.p.schema.Limits)
	if !pr.ok() {
		m.fail(spec, pr)
		return nil, false
	}
	return v, true
}

// extText runs extension text through the field's policy, as canonical
// text is run.
func (m *merge) extText(spec *FieldSpec, s string, isString bool) (rawJSON, bool) {
	if !isString {
		m.fail(spec, &refusal{code: CodeInvalidType, msg: "Must be a string"})
		return nil, false
	}
	v, ok := m.textValue(spec, Value(s), false, m.next.extText(spec.Name))
	switch s, set := v.Get(); {
	case ok && set:
		return wire.AppendString(nil, s), true
	case ok && !v.IsNull():
		return unchanged, true // an append of "" to no text (L3)
	}
	return nil, ok
}

// extList reads a list of strings, or under StringForms one string of
// items joined with ";", and checks it as tags are checked.
func (m *merge) extList(spec *FieldSpec, raw rawJSON, s string, isString bool) ([]string, bool) {
	list, ok := strings.Split(s, listSeparator), true
	if !isString {
		// The decoder checked each item; a Patch built in Go may hold anything.
		if list, ok = wire.Strings(raw); !ok {
			m.fail(spec, &refusal{code: CodeInvalidType, msg: "Must be an array of strings"})
			return nil, false
		}
	}
	before := len(m.found.errs)
	if m.p.schema.StringForms {
		// The string form joins items with ";": an item holding one
		// could not be read back.
		for i, item := range list {
			if strings.Contains(item, listSeparator) {
				m.found.fail(spec.Name, wire.Pointer(spec.Name, strconv.Itoa(i)), &refusal{code: CodeInvalidFormat, msg: "An item cannot hold \";\", which separates items"})
			}
		}
	}
	out := spec.replaceTags(list, &m.p.schema.Limits, &m.found)
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
func unquote(raw rawJSON) (string, bool) {
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
	var next rawJSON
	ok := true
	if isValue {
		next, ok = m.extValue(spec, raw)
	}
	unchanged := next != nil && len(next) == 0
	switch {
	case !ok: // refused
		return
	case spec.ReadOnly:
		m.readOnly(spec, unchanged || spec.Kind.same(next, stored.Extensions[spec.Name]))
		return
	case unchanged:
		return
	case next == nil && !spec.Nullable && (!isValue || !spec.EmptyAsNull):
		m.fail(spec, &refusal{code: CodeNotNullable, msg: spec.Policy.nullMessage()})
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

// cloneRaw copies a map of JSON values, values included.
func cloneRaw(m map[string]rawJSON) map[string]rawJSON {
	out := make(map[string]rawJSON, len(m)+1)
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
