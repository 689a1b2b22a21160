package contactpatch

// The JSON form of a stored Contact, written and read without
// reflection: every store writes and reads whole contacts on every
// request, and a batch of a hundred spent most of its time in
// encoding/json. The form is the one the struct tags give, byte for byte
// once encoding/json has escaped HTML in it. The reader takes the form
// the writer writes; any other input (another spelling of a key, a value
// of an unexpected type, a number that is not a version) goes to
// encoding/json whole, so that the two readers never disagree.

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// contactFields is Contact without its JSON methods, which encoding/json
// reads by reflection over the same struct tags.
type contactFields Contact

// MarshalJSON encodes c as its struct tags describe: omitted text and
// zero times left out, an empty Extensions left out, map keys sorted.
func (c Contact) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 512))
}

func (c *Contact) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, '{')
	for f := FieldID; f < numFields; f++ {
		if b, err = c.appendField(b, f); err != nil {
			return nil, err
		}
	}
	if len(c.Extensions) > 0 {
		if b, err = appendRawMap(append(b, `,"extensions":`...), c.Extensions); err != nil {
			return nil, err
		}
	}
	b = strconv.AppendUint(append(b, `,"version":`...), c.Version, 10)
	if !c.ArchivedAt.IsZero() {
		if b, err = appendTime(append(b, `,"archived_at":`...), c.ArchivedAt); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendField appends f as a member, after a comma but for the first.
func (c *Contact) appendField(b []byte, f Field) ([]byte, error) {
	member := func(b []byte) []byte {
		if f != FieldID {
			b = append(b, ',')
		}
		return append(wire.AppendString(b, f.String()), ':')
	}
	switch f.kind() {
	case kindText:
		o := c.text(f)
		if o.IsZero() {
			return b, nil
		}
		if v, ok := o.Get(); ok {
			return wire.AppendString(member(b), v), nil
		}
		return append(member(b), "null"...), nil
	case kindID:
		return wire.AppendString(member(b), *c.idField(f)), nil
	case kindTags:
		return appendTags(member(b), *c.tagsField(f)), nil
	case kindBool:
		return strconv.AppendBool(member(b), *c.boolField(f)), nil
	case kindCustom:
		return appendRawMap(member(b), *c.customField(f))
	case kindTime:
		if t := *c.timeField(f); !t.IsZero() {
			return appendTime(member(b), t)
		}
		return b, nil
	}
	panic("contactpatch: appendField has no case for " + f.String())
}

// appendTags writes nil tags as null, as encoding/json does.
func appendTags(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	return appendStrings(b, list)
}

// errRawValue is what encoding/json also refuses: a raw value that is
// not one JSON value.
var errRawValue = errors.New("contactpatch: a custom field or extension holds invalid JSON")

func appendRawMap(b []byte, m map[string]json.RawMessage) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(wire.AppendString(b, k), ':')
		switch raw := m[k]; {
		case raw == nil:
			b = append(b, "null"...)
		case !wire.Valid(raw):
			return nil, errRawValue
		default:
			b = append(b, wire.Compact(raw)...)
		}
	}
	return append(b, '}'), nil
}

// appendTime writes t as time.Time's MarshalJSON does, and refuses what
// it refuses (a year outside 0-9999).
func appendTime(b []byte, t time.Time) ([]byte, error) {
	b = append(b, '"')
	b, err := t.AppendText(b)
	return append(b, '"'), err
}

// UnmarshalJSON decodes data as encoding/json decodes the struct tags:
// members present replace what c holds (maps gain their entries), null
// clears text, tags and maps and leaves the rest, unknown keys are
// ignored.
func (c *Contact) UnmarshalJSON(data []byte) error {
	var r contactReader
	if r.read(data) {
		r.mergeInto(c)
		return nil
	}
	return json.Unmarshal(data, (*contactFields)(c))
}

// contactReader reads the form appendJSON writes into a fresh contact,
// noting which members it met, so that a failed read leaves nothing
// behind for encoding/json to disagree with.
type contactReader struct {
	sc                  wire.Scanner
	c                   Contact
	seen                fieldSet
	extensions, version bool
	archived            bool
}

// maxStoredDepth is encoding/json's own limit on nesting.
const maxStoredDepth = 10000

// errSlow is no error of the input: the member needs encoding/json.
var errSlow = &wire.Error{Kind: wire.Syntax}

func (r *contactReader) read(data []byte) bool {
	r.sc = wire.New(data, wire.Limits{Depth: maxStoredDepth})
	return r.sc.Document(r.member) == nil
}

func (r *contactReader) member(key []byte) *wire.Error {
	if r.sc.Peek() == 'n' {
		return r.null(key)
	}
	switch string(key) {
	case "extensions":
		r.extensions = true
		return r.rawMap(&r.c.Extensions)
	case "version":
		r.version = true
		start := r.sc.Pos()
		if err := r.sc.Number(); err != nil {
			return err
		}
		v, err := strconv.ParseUint(string(r.sc.Bytes(start)), 10, 64)
		if err != nil {
			return errSlow
		}
		r.c.Version = v
		return nil
	case "archived_at":
		r.archived = true
		return r.time(&r.c.ArchivedAt)
	}
	f := fieldNamed(key)
	if f == 0 {
		return errSlow // encoding/json matches keys without regard to case
	}
	r.seen.add(f)
	return r.field(f)
}

// null is a member whose value is null: it clears text, tags and maps,
// and leaves other kinds as they are.
func (r *contactReader) null(key []byte) *wire.Error {
	if err := r.sc.Literal("null"); err != nil {
		return err
	}
	if string(key) == "extensions" {
		r.extensions, r.c.Extensions = true, nil
		return nil
	}
	f := fieldNamed(key)
	switch {
	case f == 0:
		return errSlow
	case f.kind() == kindText:
		*r.c.text(f) = Null[string]()
	case f.kind() == kindTags:
		*r.c.tagsField(f) = nil
	case f.kind() == kindCustom:
		*r.c.customField(f) = nil
	default:
		return nil
	}
	r.seen.add(f)
	return nil
}

func (r *contactReader) field(f Field) *wire.Error {
	switch f.kind() {
	case kindText:
		s, err := r.text()
		*r.c.text(f) = Value(s)
		return err
	case kindID:
		s, err := r.text()
		*r.c.idField(f) = s
		return err
	case kindTags:
		return r.strings(r.c.tagsField(f))
	case kindBool:
		return r.bool(r.c.boolField(f))
	case kindCustom:
		return r.rawMap(r.c.customField(f))
	case kindTime:
		return r.time(r.c.timeField(f))
	}
	return errSlow
}

func (r *contactReader) text() (string, *wire.Error) {
	if r.sc.Peek() != '"' {
		return "", errSlow
	}
	return r.sc.Text()
}

func (r *contactReader) strings(dst *[]string) *wire.Error {
	if r.sc.Peek() != '[' {
		return errSlow
	}
	list := []string{}
	err := r.sc.Array(func(int) *wire.Error {
		s, err := r.text()
		list = append(list, s)
		return err
	})
	*dst = list
	return err
}

func (r *contactReader) bool(dst *bool) *wire.Error {
	v, ok, err := r.sc.Bool()
	if err == nil && !ok {
		return errSlow
	}
	*dst = v
	return err
}

func (r *contactReader) time(dst *time.Time) *wire.Error {
	start := r.sc.Pos()
	if _, err := r.text(); err != nil {
		return err
	}
	if dst.UnmarshalJSON(r.sc.Bytes(start)) != nil {
		return errSlow
	}
	return nil
}

// rawMap reads an object of raw values, adding to a map a repeated key
// has already made, as encoding/json does.
func (r *contactReader) rawMap(dst *map[string]json.RawMessage) *wire.Error {
	if r.sc.Peek() != '{' {
		return errSlow
	}
	if *dst == nil {
		*dst = map[string]json.RawMessage{}
	}
	return r.sc.Object(func(key []byte) *wire.Error {
		name := string(key)
		start := r.sc.Pos()
		if err := r.sc.Skip(); err != nil {
			return err
		}
		(*dst)[name] = json.RawMessage(slices.Clone(r.sc.Bytes(start)))
		return nil
	})
}

// mergeInto moves what the reader met into c.
func (r *contactReader) mergeInto(c *Contact) {
	for f := FieldID; f < numFields; f++ {
		if !r.seen.has(f) {
			continue
		}
		switch f.kind() {
		case kindText:
			*c.text(f) = *r.c.text(f)
		case kindID:
			*c.idField(f) = *r.c.idField(f)
		case kindTags:
			*c.tagsField(f) = *r.c.tagsField(f)
		case kindBool:
			*c.boolField(f) = *r.c.boolField(f)
		case kindCustom:
			mergeRaw(c.customField(f), *r.c.customField(f))
		case kindTime:
			*c.timeField(f) = *r.c.timeField(f)
		}
	}
	if r.extensions {
		mergeRaw(&c.Extensions, r.c.Extensions)
	}
	if r.version {
		c.Version = r.c.Version
	}
	if r.archived {
		c.ArchivedAt = r.c.ArchivedAt
	}
}

// mergeRaw stores a decoded map as encoding/json does: null clears, an
// object adds its entries to a map already there.
func mergeRaw(dst *map[string]json.RawMessage, m map[string]json.RawMessage) {
	if m == nil || *dst == nil {
		*dst = m
		return
	}
	maps.Copy(*dst, m)
}

// fieldNamed returns the Field whose canonical name is key, 0 for none.
func fieldNamed(key []byte) Field {
	for f := FieldID; f < numFields; f++ {
		if fields[f].name == string(key) {
			return f
		}
	}
	return 0
}
