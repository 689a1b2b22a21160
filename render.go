package contactpatch

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// Render writes c as the profile's API returns it (SPEC L6, G7, C9): the
// View's keys in order, empty fields as its EmptyStyle says, timestamps in
// UTC in its layout, custom-field values as stored, inside the envelope
// if the View names one. The output is compact JSON; strings escape only
// what JSON requires (no HTML escaping). It fails only when a custom-field
// value is not valid JSON.
func (p *Profile) Render(c Contact) ([]byte, error) {
	v := &p.view
	b := make([]byte, 0, 512)
	if v.Envelope != "" {
		b = append(b, '{')
		b = appendString(b, v.Envelope)
		b = append(b, ':')
	}
	b = append(b, '{')
	first := true
	for _, vf := range v.Fields {
		mark := len(b)
		if !first {
			b = append(b, ',')
		}
		b = appendString(b, vf.Name)
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
		return appendString(b, c.ID), c.ID != "" || style != EmptyOmitted, nil
	case kindText:
		s, ok := c.text(f).Get()
		empty := !ok || s == ""
		switch {
		case empty && style == EmptyOmitted:
			return b, false, nil
		case !ok, empty && style == EmptyNull && p.nullable.has(f):
			return append(b, "null"...), true, nil
		}
		return appendString(b, s), true, nil
	case kindTags:
		if len(c.Tags) == 0 && style == EmptyOmitted {
			return b, false, nil
		}
		b = append(b, '[')
		for i, t := range c.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		return append(b, ']'), true, nil
	case kindBool:
		return strconv.AppendBool(b, c.IsDND), true, nil
	case kindCustom:
		if len(c.CustomFields) == 0 && style == EmptyOmitted {
			return b, false, nil
		}
		for name, raw := range c.CustomFields {
			if !json.Valid(raw) {
				return nil, false, fmt.Errorf("contactpatch: custom field %q holds invalid JSON", name)
			}
		}
		return appendObject(b, c.CustomFields), true, nil
	}
	t := *c.timeField(f)
	switch {
	case t.IsZero() && style == EmptyOmitted:
		return b, false, nil
	case t.IsZero():
		return append(b, "null"...), true, nil
	}
	return appendString(b, p.formatTime(t)), true, nil
}

// formatTime formats t in UTC with the view's layout (SPEC R10).
func (p *Profile) formatTime(t time.Time) string {
	return t.UTC().Format(p.view.TimeLayout)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. It escapes quotes, backslashes,
// control characters and U+2028/U+2029 (which break JavaScript parsers),
// and writes invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			if c < 0x20 {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
				break
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b = append(b, `\ufffd`...)
			case r == '\u2028' || r == '\u2029':
				b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			default:
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}
