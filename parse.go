package contactpatch

import (
	"encoding/json"
	"time"
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
	var c Contact
	d := decoder{buf: data, limits: &p.limits}
	var seen fieldSet
	member := func(key []byte) *FieldError { return d.viewMember(p, key, &seen, &c) }
	var stop *FieldError
	if env := p.view.Envelope; env != "" {
		opened := false
		stop = d.document(func(key []byte) *FieldError {
			switch {
			case string(key) != env || d.peek() != '{':
				d.errs.add(string(key), CodeUnknownField, "Expected only the \""+env+"\" object")
				return d.skip(1)
			case opened:
				d.errs.add(env, CodeDuplicateKey, "Duplicate key")
				return d.skip(1)
			}
			opened, d.nest = true, 1
			return d.members(1, member)
		})
	} else {
		stop = d.document(member)
	}
	switch {
	case stop != nil:
		return Contact{}, &ValidationError{Fields: []FieldError{*stop}}
	case len(d.errs) > 0:
		return Contact{}, &ValidationError{Fields: d.errs}
	}
	p.deriveNameParts(&c, seen)
	return c, nil
}

// viewMember reads one key of a rendered contact into c.
func (d *decoder) viewMember(p *Profile, key []byte, seen *fieldSet, c *Contact) *FieldError {
	f := p.viewField(string(key))
	d.field = string(key)
	switch {
	case f == 0:
		d.errs.add(d.field, CodeUnknownField, "Unknown field")
		return d.skip(1)
	case seen.has(f):
		d.errs.add(d.field, CodeDuplicateKey, "Duplicate key")
		return d.skip(1)
	}
	seen.add(f)
	switch f.kind() {
	case kindText:
		return d.text(c.text(f))
	case kindID:
		var id Optional[string]
		stop := d.text(&id)
		c.ID = id.Or("")
		return stop
	case kindTags:
		var tags Optional[[]string]
		stop := d.tags(&tags)
		c.Tags = tags.Or(nil)
		return stop
	case kindBool:
		var b Optional[bool]
		stop := d.bool(&b)
		c.IsDND = b.Or(false)
		return stop
	case kindCustom:
		var cf Optional[map[string]json.RawMessage]
		stop := d.custom(&cf)
		c.CustomFields = cf.Or(nil)
		return stop
	}
	var t Optional[time.Time]
	stop := d.time(&t)
	*c.timeField(f) = t.Or(time.Time{})
	return stop
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

// deriveNameParts fills first and last name from the full name when the
// view did not carry them and the profile parses full names.
func (p *Profile) deriveNameParts(c *Contact, seen fieldSet) {
	spec := p.spec(FieldFullName)
	full, ok := c.FullName.Get()
	if spec == nil || spec.Policy.kind != policyName || !ok || seen.has(FieldFirstName) || seen.has(FieldLastName) {
		return
	}
	first, last := SplitName(full)
	c.FirstName, c.LastName = Value(first), Value(last)
}
