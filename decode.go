package contactpatch

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// decoder is a strict, single-pass JSON scanner for one PATCH body. It
// reads the body straight into a Patch instead of building a generic tree,
// and rejects what encoding/json lets through: duplicate keys, invalid
// UTF-8, lone surrogates and trailing data.
//
// Methods return a non-nil *FieldError only for problems that stop the
// scan (syntax, encoding, limits); problems with one field's value are
// collected in errs and the scan goes on, so that one response can name
// every bad field.
type decoder struct {
	buf    []byte
	pos    int
	limits *Limits
	errs   errList
	field  string // the top-level key whose value is being read
	nest   int    // levels above the object read as fields (an envelope)
	src    string // the body as one string, once a value has needed it
}

// arenaMax is the largest body whose string values are cut from one copy
// of the body instead of each being copied on its own. Cutting saves an
// allocation per value, but every value then keeps the whole body alive;
// for bodies this small that costs less than the allocations it saves.
const arenaMax = 8 << 10

// errList collects field errors, keeping the first one for each field so
// that a rendered envelope never repeats a key.
type errList []FieldError

func (l *errList) add(field string, code Code, msg string) {
	for _, e := range *l {
		if e.Field == field {
			return
		}
	}
	*l = append(*l, FieldError{Field: field, Code: code, Message: msg})
}

// decode reads body into out. It reports the errors found and whether one
// of them stopped the scan, in which case out is incomplete.
func (p *Profile) decode(body []byte, out *Patch) (errs []FieldError, stopped bool) {
	if len(body) > p.limits.Body {
		msg := fmt.Sprintf("Body exceeds %d bytes", p.limits.Body)
		return []FieldError{{Field: bodyField, Code: CodeTooLarge, Message: msg}}, true
	}
	d := decoder{buf: body, limits: &p.limits}
	if stop := d.body(p, out); stop != nil {
		return []FieldError{*stop}, true
	}
	return d.errs, false
}

func (d *decoder) body(p *Profile, out *Patch) *FieldError {
	var seen fieldSet
	var unknown []string
	return d.document(func(key []byte) *FieldError {
		return d.member(p, key, &seen, &unknown, out)
	})
}

// document reads a whole input that must be one JSON object, calling
// member for each key of it.
func (d *decoder) document(member func(key []byte) *FieldError) *FieldError {
	d.ws()
	if d.pos == len(d.buf) {
		return d.syntax("empty body")
	}
	if d.buf[d.pos] != '{' {
		return d.syntax("the body must be a JSON object")
	}
	err := d.members(1, func(key []byte) *FieldError {
		stop := member(key)
		d.field = "" // what follows the value is the body's again
		return stop
	})
	if err != nil {
		return err
	}
	d.ws()
	if d.pos != len(d.buf) {
		return d.syntax("data after the JSON object")
	}
	return nil
}

// member reads the value of one top-level key.
func (d *decoder) member(p *Profile, key []byte, seen *fieldSet, unknown *[]string, out *Patch) *FieldError {
	i := p.lookup(key)
	if i < 0 {
		return d.unknownKey(p, string(key), unknown, out)
	}
	spec := &p.specs[i]
	d.field = spec.Name
	if seen.has(spec.Field) {
		d.errs.add(spec.Name, CodeDuplicateKey, "Duplicate key")
		return d.skip(1)
	}
	seen.add(spec.Field)
	return d.value(spec, out)
}

func (d *decoder) unknownKey(p *Profile, key string, seen *[]string, out *Patch) *FieldError {
	d.field = key
	switch {
	case slices.Contains(*seen, key):
		d.errs.add(key, CodeDuplicateKey, "Duplicate key")
	case p.unknown == RejectUnknown:
		d.errs.add(key, CodeUnknownField, "Unknown field")
	default:
		out.Ignored = append(out.Ignored, key)
	}
	*seen = append(*seen, key)
	return d.skip(1)
}

// members reads the object that starts at d.pos, at nesting depth, calling
// member for each key with d.pos on the first byte of the value. The key
// slice may alias the input and is valid only during the call.
func (d *decoder) members(depth int, member func(key []byte) *FieldError) *FieldError {
	if depth+d.nest > d.limits.Depth {
		return d.stop(CodeTooDeep, fmt.Sprintf("Nested deeper than %d levels", d.limits.Depth))
	}
	d.pos++ // '{'
	d.ws()
	if d.peek() == '}' {
		d.pos++
		return nil
	}
	for n := 1; ; n++ {
		if n > d.limits.Keys {
			return d.stop(CodeTooMany, fmt.Sprintf("More than %d keys in one object", d.limits.Keys))
		}
		d.ws()
		if d.peek() != '"' {
			return d.syntax("expected a string key")
		}
		key, stop := d.str()
		if stop != nil {
			return stop
		}
		d.ws()
		if d.peek() != ':' {
			return d.syntax("expected ':' after a key")
		}
		d.pos++
		d.ws()
		if stop := member(key); stop != nil {
			return stop
		}
		if done, stop := d.next('}'); done || stop != nil {
			return stop
		}
	}
}

// elements reads the array that starts at d.pos, calling element for each
// item with d.pos on its first byte.
func (d *decoder) elements(depth int, element func(i int) *FieldError) *FieldError {
	if depth+d.nest > d.limits.Depth {
		return d.stop(CodeTooDeep, fmt.Sprintf("Nested deeper than %d levels", d.limits.Depth))
	}
	d.pos++ // '['
	d.ws()
	if d.peek() == ']' {
		d.pos++
		return nil
	}
	for i := 0; ; i++ {
		d.ws()
		if stop := element(i); stop != nil {
			return stop
		}
		if done, stop := d.next(']'); done || stop != nil {
			return stop
		}
	}
}

// next consumes the ',' between members or the closing byte.
func (d *decoder) next(closing byte) (done bool, stop *FieldError) {
	d.ws()
	switch d.peek() {
	case ',':
		d.pos++
		return false, nil
	case closing:
		d.pos++
		return true, nil
	}
	return true, d.syntax("expected ',' or '" + string(closing) + "'")
}

// value reads the value of a known field into out.
func (d *decoder) value(spec *FieldSpec, out *Patch) *FieldError {
	switch spec.Field.kind() {
	case kindText:
		return d.text(out.text(spec.Field))
	case kindID:
		return d.text(&out.ID)
	case kindTags:
		return d.tags(&out.Tags)
	case kindBool:
		return d.bool(&out.IsDND)
	case kindCustom:
		return d.custom(&out.CustomFields)
	}
	return d.time(out.timeField(spec.Field))
}

// wrongType records that the current field has the wrong JSON type and
// skips its value.
func (d *decoder) wrongType(field, want string) *FieldError {
	d.errs.add(field, CodeInvalidType, "Must be "+want)
	return d.skip(1)
}

func (d *decoder) null() (bool, *FieldError) {
	if d.peek() != 'n' {
		return false, nil
	}
	return true, d.literal("null")
}

func (d *decoder) text(dst *Optional[string]) *FieldError {
	if isNull, stop := d.null(); isNull || stop != nil {
		*dst = Null[string]()
		return stop
	}
	if d.peek() != '"' {
		return d.wrongType(d.field, "a string")
	}
	s, stop := d.strValue()
	*dst = Value(s)
	return stop
}

// strValue reads a string token as a Go string, cut from one copy of the
// body when the token has no escapes and the body is small.
func (d *decoder) strValue() (string, *FieldError) {
	start := d.pos + 1
	b, stop := d.str()
	switch {
	case stop != nil || len(b) == 0:
		return "", stop
	case &b[0] != &d.buf[start] || len(d.buf) > arenaMax: // escaped, or too big to share
		return string(b), nil
	}
	if d.src == "" {
		d.src = string(d.buf)
	}
	return d.src[start : start+len(b)], nil
}

func (d *decoder) tags(dst *Optional[[]string]) *FieldError {
	if isNull, stop := d.null(); isNull || stop != nil {
		*dst = Null[[]string]()
		return stop
	}
	if d.peek() != '[' {
		return d.wrongType(d.field, "an array of strings")
	}
	list := []string{} // not nil: [] is a value, not null
	stop := d.elements(2, func(i int) *FieldError {
		if d.peek() != '"' {
			d.errs.add(d.field+"["+strconv.Itoa(i)+"]", CodeInvalidType, "Must be a string")
			return d.skip(2)
		}
		s, stop := d.strValue()
		list = append(list, s)
		return stop
	})
	*dst = Value(list)
	return stop
}

func (d *decoder) bool(dst *Optional[bool]) *FieldError {
	if isNull, stop := d.null(); isNull || stop != nil {
		*dst = Null[bool]()
		return stop
	}
	switch d.peek() {
	case 't':
		*dst = Value(true)
		return d.literal("true")
	case 'f':
		*dst = Value(false)
		return d.literal("false")
	}
	return d.wrongType(d.field, "a boolean")
}

func (d *decoder) time(dst *Optional[time.Time]) *FieldError {
	if isNull, stop := d.null(); isNull || stop != nil {
		*dst = Null[time.Time]()
		return stop
	}
	if d.peek() != '"' {
		return d.wrongType(d.field, "an RFC 3339 timestamp string")
	}
	s, stop := d.str()
	if stop != nil {
		return stop
	}
	t, err := time.Parse(time.RFC3339, string(s))
	if err != nil {
		d.errs.add(d.field, CodeInvalidFormat, "Must be an RFC 3339 timestamp")
		return nil
	}
	*dst = Value(t)
	return nil
}

// custom reads an object of custom fields, keeping each value as compact
// JSON text.
func (d *decoder) custom(dst *Optional[map[string]json.RawMessage]) *FieldError {
	if isNull, stop := d.null(); isNull || stop != nil {
		*dst = Null[map[string]json.RawMessage]()
		return stop
	}
	if d.peek() != '{' {
		return d.wrongType(d.field, "an object")
	}
	m := map[string]json.RawMessage{}
	stop := d.members(2, func(key []byte) *FieldError {
		name := string(key)
		start := d.pos
		if stop := d.skip(2); stop != nil {
			return stop
		}
		if _, dup := m[name]; dup {
			d.errs.add(d.field+"."+name, CodeDuplicateKey, "Duplicate key")
		}
		m[name] = compact(d.buf[start:d.pos])
		return nil
	})
	*dst = Value(m)
	return stop
}

// skip validates and passes over one value inside a container at depth,
// still checking nested objects for duplicate keys.
func (d *decoder) skip(depth int) *FieldError {
	switch c := d.peek(); c {
	case '{':
		var keys [][]byte
		return d.members(depth+1, func(key []byte) *FieldError {
			for _, k := range keys {
				if bytes.Equal(k, key) {
					d.errs.add(d.field+"."+string(key), CodeDuplicateKey, "Duplicate key")
				}
			}
			keys = append(keys, key)
			return d.skip(depth + 1)
		})
	case '[':
		return d.elements(depth+1, func(int) *FieldError { return d.skip(depth + 1) })
	case '"':
		_, stop := d.str()
		return stop
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	}
	return d.number()
}

// str reads a string token and returns its decoded bytes, which alias the
// input when the token has no escapes.
func (d *decoder) str() ([]byte, *FieldError) {
	d.pos++ // '"'
	start := d.pos
	for d.pos+8 <= len(d.buf) && plainWord(binary.LittleEndian.Uint64(d.buf[d.pos:])) {
		d.pos += 8 // the common bytes, eight at a time
	}
	for d.pos < len(d.buf) && plain[d.buf[d.pos]] {
		d.pos++
	}
	for d.pos < len(d.buf) {
		switch c := d.buf[d.pos]; {
		case c == '"':
			d.pos++
			return d.buf[start : d.pos-1], nil
		case c == '\\':
			return d.escaped(append([]byte(nil), d.buf[start:d.pos]...))
		case c < 0x20:
			return nil, d.syntax("control character in a string")
		case c < utf8.RuneSelf:
			d.pos++
		default:
			if stop := d.rune(); stop != nil {
				return nil, stop
			}
		}
	}
	return nil, d.syntax("unterminated string")
}

// rune passes over one multi-byte UTF-8 sequence, rejecting invalid ones.
func (d *decoder) rune() *FieldError {
	r, size := utf8.DecodeRune(d.buf[d.pos:])
	if r == utf8.RuneError && size == 1 {
		return d.stop(CodeInvalidUTF8, "Invalid UTF-8")
	}
	d.pos += size
	return nil
}

// escaped finishes a string that holds escapes, appending to out.
func (d *decoder) escaped(out []byte) ([]byte, *FieldError) {
	for d.pos < len(d.buf) {
		c := d.buf[d.pos]
		switch {
		case c == '"':
			d.pos++
			return out, nil
		case c == '\\':
			var stop *FieldError
			if out, stop = d.escape(out); stop != nil {
				return nil, stop
			}
		case c < 0x20:
			return nil, d.syntax("control character in a string")
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.pos++
		default:
			start := d.pos
			if stop := d.rune(); stop != nil {
				return nil, stop
			}
			out = append(out, d.buf[start:d.pos]...)
		}
	}
	return nil, d.syntax("unterminated string")
}

// plain marks the bytes a string token holds as they are: printable ASCII
// but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainWord reports whether all eight bytes of w are plain: no quote, no
// backslash, nothing below 0x20 and nothing above 0x7f. It tests them at
// once with the classic "has a zero byte" and "has a byte less than n"
// tricks, which are exact about whether such a byte exists.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - ones) &^ v & highs }
	below := (w - ones*0x20) &^ w & highs
	return (below | hasZero(w^(ones*'"')) | hasZero(w^(ones*'\\')) | w&highs) == 0
}

var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape decodes the escape at d.pos; a \u escape must not leave a lone
// surrogate, which has no UTF-8 form.
func (d *decoder) escape(out []byte) ([]byte, *FieldError) {
	if d.pos+1 >= len(d.buf) {
		return nil, d.syntax("unterminated string")
	}
	e := d.buf[d.pos+1]
	d.pos += 2
	if e != 'u' {
		if simpleEscapes[e] == 0 {
			return nil, d.syntax("invalid escape")
		}
		return append(out, simpleEscapes[e]), nil
	}
	r, stop := d.hex4()
	if stop != nil {
		return nil, stop
	}
	if utf16.IsSurrogate(r) {
		low := rune(-1)
		if r < 0xDC00 && bytes.HasPrefix(d.buf[d.pos:], []byte(`\u`)) {
			d.pos += 2
			if low, stop = d.hex4(); stop != nil {
				return nil, stop
			}
		}
		if r = utf16.DecodeRune(r, low); r == utf8.RuneError {
			return nil, d.stop(CodeInvalidUTF8, "Lone UTF-16 surrogate in a \\u escape")
		}
	}
	return utf8.AppendRune(out, r), nil
}

func (d *decoder) hex4() (rune, *FieldError) {
	if d.pos+4 > len(d.buf) {
		return 0, d.syntax("short \\u escape")
	}
	v, err := strconv.ParseUint(string(d.buf[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		return 0, d.syntax("invalid \\u escape")
	}
	d.pos += 4
	return rune(v), nil
}

// number checks a number token against the JSON grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) number() *FieldError {
	if d.peek() == '-' {
		d.pos++
	}
	switch c := d.peek(); {
	case c == '0':
		d.pos++
	case c >= '1' && c <= '9':
		d.digits()
	default:
		return d.syntax("invalid value")
	}
	if d.peek() == '.' {
		d.pos++
		if d.digits() == 0 {
			return d.syntax("invalid number")
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.pos++
		if c := d.peek(); c == '+' || c == '-' {
			d.pos++
		}
		if d.digits() == 0 {
			return d.syntax("invalid number")
		}
	}
	return nil
}

func (d *decoder) digits() int {
	start := d.pos
	for d.pos < len(d.buf) && d.buf[d.pos] >= '0' && d.buf[d.pos] <= '9' {
		d.pos++
	}
	return d.pos - start
}

func (d *decoder) literal(word string) *FieldError {
	if !bytes.HasPrefix(d.buf[d.pos:], []byte(word)) {
		return d.syntax("invalid value")
	}
	d.pos += len(word)
	return nil
}

func (d *decoder) ws() {
	for d.pos < len(d.buf) {
		switch d.buf[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the byte at d.pos, or 0 at the end of the body.
func (d *decoder) peek() byte {
	if d.pos < len(d.buf) {
		return d.buf[d.pos]
	}
	return 0
}

func (d *decoder) syntax(what string) *FieldError {
	if d.pos >= len(d.buf) {
		what = "unexpected end of body"
	}
	return d.stop(CodeMalformedJSON, fmt.Sprintf("Malformed JSON: %s at byte %d", what, d.pos))
}

// stop builds a scan-stopping error, naming the field being read if any.
func (d *decoder) stop(code Code, msg string) *FieldError {
	field := d.field
	if field == "" {
		field = bodyField
	}
	return &FieldError{Field: field, Code: code, Message: msg}
}

// compact copies a valid JSON value without insignificant whitespace.
func compact(raw []byte) json.RawMessage {
	out := make([]byte, 0, len(raw))
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString && c == '\\':
			out = append(out, c, raw[i+1])
			i++
			continue
		case c == '"':
			inString = !inString
		case !inString && (c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			continue
		}
		out = append(out, c)
	}
	return out
}
