package contactpatch

// Decoding a PATCH body (rules R3, R4): one pass of the strict scanner
// over the body, each known key's value read into its place in a Patch,
// unknown keys refused or ignored as the profile says.

import (
	"slices"
	"strconv"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// decoder binds the values of one JSON document to canonical fields as
// the wire scanner reads them, never building a generic tree (rule R3).
// It records what is wrong with a well-formed value and lets the scan go
// on, so that one response can name every bad field; only what stops the
// scanner (syntax, encoding, limits) ends it early.
type decoder struct {
	s     wire.Scanner
	errs  errList
	field string // the wire name of the field whose value is being read
}

func newDecoder(buf []byte, l *Limits) decoder {
	return decoder{s: wire.New(buf, wire.Limits{Depth: l.Depth, Keys: l.Keys})}
}

// decode reads a PATCH body into out. It reports the errors found and
// whether one of them stopped the scan, in which case out is incomplete.
func (p *Profile) decode(body []byte, out *Patch) (errs []FieldError, stopped bool) {
	if len(body) > p.schema.Limits.Body {
		msg := "Body exceeds " + strconv.Itoa(p.schema.Limits.Body) + " bytes"
		return []FieldError{{Field: bodyField, Code: CodeTooLarge, Message: msg}}, true
	}
	d := newDecoder(body, &p.schema.Limits)
	var seen fieldSet
	var unknown []string
	fields := func(key []byte) *wire.Error {
		if stop := d.member(p, key, &seen, &unknown, out); stop != nil {
			return stop
		}
		d.field = "" // what follows the value is the body's again
		return nil
	}
	var err *wire.Error
	opened := false
	if p.schema.Envelope == "" {
		err = d.s.Document(fields)
	} else {
		err = d.s.Document(func(key []byte) *wire.Error {
			stop := d.bodyEnvelope(p, key, &opened, fields)
			if stop == nil {
				d.field = ""
			}
			return stop
		})
	}
	switch {
	case err != nil:
		return []FieldError{d.stopped(err)}, true
	case p.schema.Envelope != "" && !opened:
		d.errs.add(FieldError{Field: p.schema.Envelope, Pointer: p.envelopePointer, Code: CodeRequired,
			Message: "The body must hold the fields in a \"" + p.schema.Envelope + "\" object"})
	}
	return d.errs, false
}

// bodyEnvelope reads one top-level key of a body whose fields are in an
// envelope object: the envelope, once; a key the profile allows beside
// it, skipped; any other key is unknown.
func (d *decoder) bodyEnvelope(p *Profile, key []byte, opened *bool, fields func([]byte) *wire.Error) *wire.Error {
	d.field = string(key)
	switch {
	case string(key) != p.schema.Envelope:
		if !slices.Contains(p.schema.EnvelopeKeys, string(key)) {
			d.fail(CodeUnknownField, "Unknown field: the fields go in the \""+p.schema.Envelope+"\" object")
		}
		return d.skip()
	case *opened:
		d.fail(CodeDuplicateKey, "Duplicate key")
		return d.skip()
	case d.s.Peek() != '{':
		*opened = true
		return d.wrongType("an object of fields")
	}
	*opened = true
	return d.s.Object(fields)
}

// member reads the value of one key of the fields' object.
func (d *decoder) member(p *Profile, key []byte, seen *fieldSet, unknown *[]string, out *Patch) *wire.Error {
	i := p.lookup(key)
	if i < 0 {
		return d.unknownKey(p, string(key), unknown, out)
	}
	spec := &p.specs[i]
	d.field = spec.Name
	if spec.isExtension() {
		if _, dup := out.Extensions[spec.Name]; dup {
			d.fail(CodeDuplicateKey, "Duplicate key")
			return d.skip()
		}
		return d.extension(spec, p.schema.StringForms, out)
	}
	if seen.has(spec.Field) {
		d.fail(CodeDuplicateKey, "Duplicate key")
		return d.skip()
	}
	seen.add(spec.Field)
	return d.value(spec.Field, out)
}

func (d *decoder) unknownKey(p *Profile, key string, seen *[]string, out *Patch) *wire.Error {
	d.field = key
	switch {
	case slices.Contains(*seen, key):
		d.fail(CodeDuplicateKey, "Duplicate key")
	case p.schema.UnknownKeys == RejectUnknown:
		d.fail(CodeUnknownField, "Unknown field")
	default:
		out.Ignored = append(out.Ignored, key)
	}
	*seen = append(*seen, key)
	return d.skip()
}

// value reads the value of f into its place in out.
func (d *decoder) value(f Field, out *Patch) *wire.Error {
	switch f.kind() {
	case kindText, kindID:
		dst := out.stringField(f)
		err := d.text(dst)
		if dst.HasValue() && d.s.Printable() { // a value read: the last token was its string
			out.printable.add(f)
		}
		return err
	case kindTags:
		return d.tags(out.tagsField(f))
	case kindBool:
		return d.bool(out.boolField(f))
	case kindCustom:
		return d.custom(out.customField(f))
	case kindTime:
		return d.time(out.timeField(f))
	}
	panic("contactpatch: decoder has no case for " + f.String())
}

// stringField is where a text or id field lives in the Patch, where both
// are Optional[string] (only the Contact stores an id as a plain string).
func (p *Patch) stringField(f Field) *Optional[string] {
	if f.kind() == kindID {
		return p.idField(f)
	}
	return p.text(f)
}

// fail records a problem with the value at the scanner's position.
func (d *decoder) fail(code Code, msg string) {
	d.errs.add(FieldError{Field: d.field, Pointer: d.s.Pointer(), Code: code, Message: msg})
}

// wrongType records that the value has the wrong JSON type and skips it.
func (d *decoder) wrongType(want string) *wire.Error {
	d.fail(CodeInvalidType, "Must be "+want)
	return d.skip()
}

// skip passes over a value the decoder does not bind, recording the
// duplicate keys found inside it.
func (d *decoder) skip() *wire.Error {
	err := d.s.Skip()
	for _, ptr := range d.s.Duplicates() {
		d.errs.add(FieldError{Field: d.field, Pointer: ptr, Code: CodeDuplicateKey, Message: "Duplicate key"})
	}
	return err
}

// stopped turns what stopped the scanner into the field error that
// reports it, naming the field being read, if any.
func (d *decoder) stopped(err *wire.Error) FieldError {
	field := d.field
	if field == "" {
		field = bodyField
	}
	return FieldError{Field: field, Pointer: err.Pointer, Code: Code(err.Kind.Code()), Message: err.Message}
}

func (d *decoder) text(dst *Optional[string]) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		*dst = Null[string]()
		return err
	}
	if d.s.Peek() != '"' {
		return d.wrongType("a string")
	}
	s, err := d.s.Text()
	*dst = Value(s)
	return err
}

func (d *decoder) tags(dst *Optional[[]string]) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		*dst = Null[[]string]()
		return err
	}
	if d.s.Peek() != '[' {
		return d.wrongType("an array of strings")
	}
	list := []string{} // not nil: [] is a value, not null
	err := d.s.Array(func(int) *wire.Error {
		if d.s.Peek() != '"' {
			list = append(list, "") // keeps later indexes those of the body
			return d.wrongType("a string")
		}
		s, err := d.s.Text()
		list = append(list, s)
		return err
	})
	*dst = Value(list)
	return err
}

func (d *decoder) bool(dst *Optional[bool]) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		*dst = Null[bool]()
		return err
	}
	v, ok, err := d.s.Bool()
	if !ok {
		return d.wrongType("a boolean")
	}
	*dst = Value(v)
	return err
}

func (d *decoder) time(dst *Optional[time.Time]) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		*dst = Null[time.Time]()
		return err
	}
	if d.s.Peek() != '"' {
		return d.wrongType("an RFC 3339 timestamp string")
	}
	s, err := d.s.String()
	if err != nil {
		return err
	}
	t, perr := time.Parse(time.RFC3339, string(s))
	if perr != nil {
		d.fail(CodeInvalidFormat, "Must be an RFC 3339 timestamp")
		return nil
	}
	*dst = Value(t)
	return nil
}

// custom reads an object of custom fields, keeping each value as compact
// JSON text.
func (d *decoder) custom(dst *Optional[map[string]rawJSON]) *wire.Error {
	if isNull, err := d.s.Null(); isNull || err != nil {
		*dst = Null[map[string]rawJSON]()
		return err
	}
	if d.s.Peek() != '{' {
		return d.wrongType("an object")
	}
	m := map[string]rawJSON{}
	err := d.s.Object(func(key []byte) *wire.Error {
		name := string(key)
		start := d.s.Pos()
		if err := d.skip(); err != nil {
			return err
		}
		if _, dup := m[name]; dup {
			d.fail(CodeDuplicateKey, "Duplicate key")
		}
		m[name] = wire.Compact(d.s.Bytes(start))
		return nil
	})
	*dst = Value(m)
	return err
}
