package contactpatch

// ParseContact: a contact read back from the profile's response shape,
// the inverse of Render (rules L6, G7, C9, H6).

import (
	"slices"
	"strings"
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
// fullname.Split, as Apply would have stored them.
//
// What the view cannot express stays lost: a field it does not show, and,
// under EmptyNull, the difference between "" and null.
func (p *Profile) ParseContact(data []byte) (Contact, error) {
	if err := p.ready(); err != nil {
		return Contact{}, err
	}
	var c Contact
	var seen fieldSet
	d := newDecoder(data, &p.schema.Limits)
	fields := d.viewObject(p, p.schema.View.Fields, false, &seen, &c)
	var err *wire.Error
	if env := p.schema.View.Envelope; env != "" {
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

// viewObject returns the reader of the members of one object of a
// rendered contact: the view fields given, each once.
func (d *decoder) viewObject(p *Profile, fields []ViewField, asStrings bool, seen *fieldSet, c *Contact) func([]byte) *wire.Error {
	var names []string
	return func(key []byte) *wire.Error {
		i := slices.IndexFunc(fields, func(vf ViewField) bool { return vf.Name == string(key) })
		d.field = string(key)
		switch {
		case i < 0:
			d.fail(CodeUnknownField, "Unknown field")
			return d.skip()
		case slices.Contains(names, string(key)):
			d.fail(CodeDuplicateKey, "Duplicate key")
			return d.skip()
		}
		names = append(names, string(key))
		vf := &fields[i]
		strs := asStrings || vf.Strings
		var stop *wire.Error
		switch {
		case vf.Nested != nil:
			if d.s.Peek() != '{' {
				return d.wrongType("an object")
			}
			stop = d.s.Object(d.viewObject(p, vf.Nested, strs, seen, c))
		case vf.Literal != "":
			stop = d.skip() // written as it stands: nothing to keep
		case vf.State != 0:
			stop = d.viewState(vf.State, c)
		case vf.Extension != "":
			stop = d.viewExtension(p, vf.Extension, strs, c)
		default:
			seen.add(vf.Field)
			stop = d.viewValue(vf.Field, strs, c)
		}
		if stop == nil {
			d.field = ""
		}
		return stop
	}
}

// viewState reads a mark of the contact's life: the time it was
// archived (the flag says nothing the time does not).
func (d *decoder) viewState(st State, c *Contact) *wire.Error {
	if st == StateArchived {
		var b Optional[bool]
		return d.bool(&b)
	}
	var t Optional[time.Time]
	stop := d.time(&t)
	c.ArchivedAt = t.Or(time.Time{})
	return stop
}

// viewValue reads a canonical field of a rendered contact into c; under
// Strings, booleans, lists and custom fields are read from their string
// forms.
func (d *decoder) viewValue(f Field, asStrings bool, c *Contact) *wire.Error {
	k := f.kind()
	if asStrings && (k == kindBool || k == kindTags || k == kindCustom) && d.s.Peek() == '"' {
		s, err := d.s.Text()
		if err != nil {
			return err
		}
		switch {
		case k == kindBool && (s == "true" || s == "false"):
			*c.boolField(f) = s == "true"
		case k == kindTags && s != "":
			*c.tagsField(f) = strings.Split(s, listSeparator)
		case k == kindCustom && s != "":
			if !readCustom(s, c.customField(f)) {
				d.fail(CodeInvalidFormat, "Not the string form of a "+f.String())
			}
		case s == "":
		default:
			d.fail(CodeInvalidFormat, "Not the string form of a "+f.String())
		}
		return nil
	}
	switch k {
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
		var cf Optional[map[string]rawJSON]
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

// viewExtension reads an extension field of a rendered contact into c,
// from its string form under Strings.
func (d *decoder) viewExtension(p *Profile, name string, asStrings bool, c *Contact) *wire.Error {
	spec := &p.specs[p.exts[p.extension(name)]]
	start := d.s.Pos()
	if err := d.skip(); err != nil {
		return err
	}
	raw := rawJSON(wire.Compact(d.s.Bytes(start)))
	if s, isString := unquote(raw); asStrings && isString && !spec.Kind.impl().stringValued() {
		raw = nil
		if s != "" {
			raw = spec.Kind.impl().fromString(s)
		}
		if raw == nil && s != "" {
			d.fail(CodeInvalidFormat, "Not the string form of a "+spec.Kind.String())
			return nil
		}
	}
	if raw != nil && !wire.IsNull(raw) {
		if c.Extensions == nil {
			c.Extensions = map[string]rawJSON{}
		}
		c.Extensions[name] = raw
	}
	return nil
}

// readCustom reads the string form of custom fields, a JSON object, into
// dst as Apply stores them: each value compact.
func readCustom(s string, dst *map[string]rawJSON) bool {
	members, ok := wire.Members([]byte(s))
	if !ok {
		return false
	}
	m := make(map[string]rawJSON, len(members))
	for name, v := range members {
		m[name] = wire.Compact(v)
	}
	*dst = m
	return true
}
