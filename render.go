package contactpatch

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Render writes c as the profile's API returns it (rules L6, G7, C9): the
// View's keys in order, empty fields as its EmptyStyle says, timestamps in
// UTC in its layout, custom-field values as stored, inside the envelope
// if the View names one. The output is compact JSON; strings escape only
// what JSON requires (no HTML escaping). It fails only when a custom-field
// value is not valid JSON.
func (p *Profile) Render(c Contact) ([]byte, error) {
	if err := p.ready(); err != nil {
		return nil, err
	}
	v := &p.view
	b := make([]byte, 0, 512)
	if v.Envelope != "" {
		b = append(b, '{')
		b = wire.AppendString(b, v.Envelope)
		b = append(b, ':')
	}
	b = append(b, '{')
	first := true
	for _, vf := range v.Fields {
		mark := len(b)
		if !first {
			b = append(b, ',')
		}
		b = wire.AppendString(b, vf.Name)
		b = append(b, ':')
		var keep bool
		var err error
		if b, keep, err = p.appendValue(b, &c, vf.Field); err != nil {
			return nil, err
		}
		if !keep { // the view leaves the field out: take its key back
			b = b[:mark]
			continue
		}
		first = false
	}
	b = append(b, '}')
	if v.Envelope != "" {
		b = append(b, '}')
	}
	return b, nil
}

// appendValue appends the JSON text of f in c to b, or reports that the
// view leaves the field out.
func (p *Profile) appendValue(b []byte, c *Contact, f Field) ([]byte, bool, error) {
	style := p.view.Empty
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
		b = append(b, '[')
		for i, t := range tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = wire.AppendString(b, t)
		}
		return append(b, ']'), true, nil
	case kindBool:
		return strconv.AppendBool(b, *c.boolField(f)), true, nil
	case kindCustom:
		custom := *c.customField(f)
		if len(custom) == 0 && style == EmptyOmitted {
			return b, false, nil
		}
		for name, raw := range custom {
			if !json.Valid(raw) {
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
	return t.UTC().Format(p.view.TimeLayout)
}
