package contactpatch

import (
	"encoding/json"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// ParseContact reads a contact in the shape [Profile.Render] writes it,
// envelope included: the inverse of Render, for seeding a store from an
// API's own responses or checking that a rendering round-trips. Keys the
// view does not name, duplicate keys and wrong types are errors, reported
// in one *ValidationError. A key that is absent, or null, leaves the field
// with no value. When the view shows full_name but not first_name or
// last_name, and the profile parses full names, those are derived with
// [SplitName], as Apply would have stored them.
//
// What the view cannot express stays lost: a field it does not show, and,
// under EmptyNull, the difference between "" and null.
func (p *Profile) ParseContact(data []byte) (Contact, error) {
	if err := p.ready(); err != nil {
		return Contact{}, err
	}
	var c Contact
	var seen fieldSet
	d := newDecoder(data, &p.limits)
	fields := func(key []byte) *wire.Error {
		if stop := d.viewMember(p, key, &seen, &c); stop != nil {
			return stop
		}
		d.field = ""
		return nil
	}
	var err *wire.Error
	if env := p.view.Envelope; env != "" {
		opened := false
		err = d.s.Document(func(key []byte) *wire.Error { return d.envelope(env, key, &opened, fields) })
	} else {
		err = d.s.Document(fields)
	}
	switch {
	case err != nil:
		return Contact{}, &ValidationError{Fields: []FieldError{d.stopped(err)}}
	case len(d.errs) > 0:
		return Contact{}, &ValidationError{Fields: d.errs}
	}
	deriveNameParts(p, &c, seen)
	return c, nil
}

// envelope reads one key of the document around a rendered contact,
// which must be the envelope's name, once, holding an object.
func (d *decoder) envelope(env string, key []byte, opened *bool, fields func([]byte) *wire.Error) *wire.Error {
	d.field = string(key)
	switch {
	case string(key) != env || d.s.Peek() != '{':
		d.fail(CodeUnknownField, "Expected only the \""+env+"\" object")
		return d.skip()
	case *opened:
		d.fail(CodeDuplicateKey, "Duplicate key")
		return d.skip()
	}
	*opened = true
	return d.s.Object(fields)
}

// viewMember reads one key of a rendered contact into c.
func (d *decoder) viewMember(p *Profile, key []byte, seen *fieldSet, c *Contact) *wire.Error {
	f := p.viewField(string(key))
	d.field = string(key)
	switch {
	case f == 0:
		d.fail(CodeUnknownField, "Unknown field")
		return d.skip()
	case seen.has(f):
		d.fail(CodeDuplicateKey, "Duplicate key")
		return d.skip()
	}
	seen.add(f)
	switch f.kind() {
	case kindText:
		return d.text(c.text(f))
	case kindID:
		var id Optional[string]
		stop := d.text(&id)
		*c.idField(f) = id.Or("")
		return stop
	case kindTags:
		var tags Optional[[]string]
		stop := d.tags(&tags)
		*c.tagsField(f) = tags.Or(nil)
		return stop
	case kindBool:
		var b Optional[bool]
		stop := d.bool(&b)
		*c.boolField(f) = b.Or(false)
		return stop
	case kindCustom:
		var cf Optional[map[string]json.RawMessage]
		stop := d.custom(&cf)
		*c.customField(f) = cf.Or(nil)
		return stop
	case kindTime:
		var t Optional[time.Time]
		stop := d.time(&t)
		*c.timeField(f) = t.Or(time.Time{})
		return stop
	}
	panic("contactpatch: ParseContact has no case for " + f.String())
}

// viewField returns the Field the view writes under name, or 0.
func (p *Profile) viewField(name string) Field {
	for _, vf := range p.view.Fields {
		if vf.Name == name {
			return vf.Field
		}
	}
	return 0
}
