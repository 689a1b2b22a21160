package contactpatch

// Render: a contact in the profile's response shape (rules L6, G7, C9,
// H6), written in one pass with no reflection.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Render writes c as the profile's API returns it (rules L6, G7, C9, H6):
// the View's keys in order, nested objects where it nests them, empty
// fields as its EmptyStyle says, timestamps in UTC in its layout,
// custom-field and extension values as stored, values as strings where it
// says so, inside the envelope if the View names one. The output is
// compact JSON; strings escape only what JSON requires (no HTML
// escaping). It fails only when a stored JSON value is not valid JSON.
func (p *Profile) Render(c Contact) ([]byte, error) {
	return p.render(&c, nil)
}

// RenderOnly writes c as Render does, keeping of the View's fields only
// those named in names, those marked Always, and the objects that nest
// any of them (rules H10, E3): a sparse view, as HubSpot's
// ?properties=email,firstname asks. Names that are no field of the view
// are ignored; with none named, only the Always fields remain.
func (p *Profile) RenderOnly(c Contact, names []string) ([]byte, error) {
	return p.render(&c, func(vf *ViewField) bool { return vf.Always || slices.Contains(names, vf.Name) })
}

// render writes c, each leaf of the view kept when keep says so (nil
// keeps all).
func (p *Profile) render(c *Contact, keep func(*ViewField) bool) ([]byte, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	v := &p.schema.View
	b := make([]byte, 0, 512)
	if v.Envelope != "" {
		b = append(b, '{')
		b = wire.AppendString(b, v.Envelope)
		b = append(b, ':')
	}
	b, err := p.appendObject(b, c, v.Fields, false, keep)
	if err != nil {
		return nil, err
	}
	if v.Envelope != "" {
		b = append(b, '}')
	}
	return b, nil
}

// appendObject appends the object of the given view fields, the leaves
// keep refuses left out.
func (p *Profile) appendObject(b []byte, c *Contact, fields []ViewField, asStrings bool, keep func(*ViewField) bool) ([]byte, error) {
	b = append(b, '{')
	first := true
	for i := range fields {
		vf := &fields[i]
		if keep != nil && vf.Nested == nil && !keep(vf) {
			continue
		}
		mark := len(b)
		if !first {
			b = append(b, ',')
		}
		b = wire.AppendString(b, vf.Name)
		b = append(b, ':')
		var written bool
		var err error
		if b, written, err = p.appendViewField(b, c, vf, asStrings || vf.Strings, keep); err != nil {
			return nil, err
		}
		if !written { // the view leaves the field out: take its key back
			b = b[:mark]
			continue
		}
		first = false
	}
	return append(b, '}'), nil
}

// appendViewField appends the value one view field writes, or reports
// that the view leaves it out.
func (p *Profile) appendViewField(b []byte, c *Contact, vf *ViewField, asStrings bool, keep func(*ViewField) bool) ([]byte, bool, error) {
	switch {
	case vf.Nested != nil:
		b, err := p.appendObject(b, c, vf.Nested, asStrings, keep)
		return b, true, err
	case vf.Literal != "":
		return append(b, vf.Literal...), true, nil
	case vf.State == StateArchived:
		return strconv.AppendBool(b, c.Archived()), true, nil
	case vf.State == StateArchivedAt:
		if !c.Archived() {
			return b, false, nil
		}
		return wire.AppendString(b, p.formatTime(c.ArchivedAt)), true, nil
	case vf.Extension != "":
		return p.appendExtension(b, c, vf.Extension, asStrings)
	}
	if !asStrings {
		return p.appendValue(b, c, vf.Field)
	}
	mark := len(b)
	b, written, err := p.appendValue(b, c, vf.Field)
	if err != nil || !written {
		return b, written, err
	}
	style := plainForm
	switch vf.Field.kind() {
	case kindTags:
		style = listForm
	case kindCustom:
		style = jsonForm
	}
	return asString(b, mark, style), true, nil
}

// appendExtension appends an extension field's stored JSON value.
func (p *Profile) appendExtension(b []byte, c *Contact, name string, asStrings bool) ([]byte, bool, error) {
	raw, ok := c.Extensions[name]
	switch {
	case !ok && p.schema.View.Empty == EmptyOmitted:
		return b, false, nil
	case !ok:
		return append(b, "null"...), true, nil
	case !wire.Valid(raw):
		return nil, false, fmt.Errorf("contactpatch: extension field %q holds invalid JSON", name)
	}
	mark := len(b)
	b = append(b, raw...)
	if asStrings {
		b = asString(b, mark, p.specs[p.exts[p.extension(name)]].Kind.impl().renderForm())
	}
	return b, true, nil
}

// stringForm says how a value is written as a string (rule H6).
type stringForm uint8

const (
	plainForm stringForm = iota // a string as it is; a number or boolean as its JSON text
	listForm                    // a list of strings joined with ";"
	jsonForm                    // any JSON value, strings included, as its compact JSON text
)

// asString rewrites the JSON value at b[mark:] as a JSON string: null
// stays null, and the rest as the form says, so that ParseContact can
// read every value back.
func asString(b []byte, mark int, form stringForm) []byte {
	v := b[mark:]
	if string(v) == "null" || (v[0] == '"' && form != jsonForm) {
		return b
	}
	text := string(v)
	if form == listForm {
		items, _ := wire.Strings(v) // written from a checked list
		text = strings.Join(items, listSeparator)
	}
	return wire.AppendString(b[:mark], text)
}

// appendValue appends the JSON text of f in c to b, or reports that the
// view leaves the field out.
func (p *Profile) appendValue(b []byte, c *Contact, f Field) ([]byte, bool, error) {
	style := p.schema.View.Empty
	switch f.kind() {
	case kindID:
		id := *c.idField(f)
		return wire.AppendString(b, id), id != "" || style != EmptyOmitted, nil
	case kindText:
		s, ok := c.text(f).Get()
		empty := !ok || s == ""
		switch {
		case empty && style == EmptyOmitted:
			return b, false, nil
		case !ok, empty && style == EmptyNull && p.nullable.has(f):
			return append(b, "null"...), true, nil
		}
		return wire.AppendString(b, s), true, nil
	case kindTags:
		tags := *c.tagsField(f)
		if len(tags) == 0 && style == EmptyOmitted {
			return b, false, nil
		}
		return appendStrings(b, tags), true, nil
	case kindBool:
		return strconv.AppendBool(b, *c.boolField(f)), true, nil
	case kindCustom:
		custom := *c.customField(f)
		if len(custom) == 0 && style == EmptyOmitted {
			return b, false, nil
		}
		for name, raw := range custom {
			if !wire.Valid(raw) {
				return nil, false, fmt.Errorf("contactpatch: custom field %q holds invalid JSON", name)
			}
		}
		return wire.AppendObject(b, custom), true, nil
	case kindTime:
		t := *c.timeField(f)
		switch {
		case t.IsZero() && style == EmptyOmitted:
			return b, false, nil
		case t.IsZero():
			return append(b, "null"...), true, nil
		}
		return wire.AppendString(b, p.formatTime(t)), true, nil
	}
	panic("contactpatch: Render has no case for " + f.String())
}

// formatTime formats t in UTC with the view's layout (rule R10).
func (p *Profile) formatTime(t time.Time) string {
	return t.UTC().Format(p.schema.View.TimeLayout)
}
