// Package openapi describes a contactpatch profile in the standard
// languages of API descriptions: JSON Schema 2020-12 for its PATCH body
// and its response, and OpenAPI 3.1 for the routes contacthttp.Handler
// serves. Everything comes from the profile's own description
// (Profile.Schema), so the documents cannot drift from what the handler
// accepts.
//
// A JSON Schema cannot say everything a profile checks: duplicate keys,
// values compared with the stored contact (read-only fields, appends
// past a limit, unique emails), phone numbers' validity, a tenant's
// custom-field names, invisible characters, and text that is trimmed
// before it is checked. The schemas never refuse what the profile would
// accept for any other reason, and docs/guide.md counts each class.
package openapi

import (
	"strconv"
	"strings"

	cp "github.com/contactpatch/contactpatch"
)

// Draft is the JSON Schema dialect of the schemas.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// BodySchema returns the JSON Schema of the profile's PATCH body.
func BodySchema(p *cp.Profile) map[string]any {
	s := p.Schema()
	fields := object(len(s.Fields))
	props := fields["properties"].(map[string]any)
	for _, spec := range s.Fields {
		props[spec.Name] = fieldSchema(spec, &s)
	}
	fields["additionalProperties"] = s.UnknownKeys == cp.IgnoreUnknown
	fields["maxProperties"] = s.Limits.Keys
	body := fields
	if s.Envelope != "" {
		body = object(1 + len(s.EnvelopeKeys))
		outer := body["properties"].(map[string]any)
		outer[s.Envelope] = fields
		for _, k := range s.EnvelopeKeys {
			outer[k] = map[string]any{}
		}
		body["required"] = []string{s.Envelope}
		body["additionalProperties"] = false
	}
	body["$schema"] = Draft
	body["title"] = s.Name + " PATCH body"
	return body
}

func object(n int) map[string]any {
	return map[string]any{"type": "object", "properties": make(map[string]any, n)}
}

// fieldSchema is the schema of one field's value.
func fieldSchema(spec cp.FieldSpec, s *cp.Schema) map[string]any {
	out := spec.ValueKind().BodySchema()
	switch k := spec.ValueKind(); {
	case k == cp.KindText:
		out = textSchema(spec)
	case k == cp.KindStrings && spec.Field != 0:
		out["maxItems"] = s.Limits.Tags
	case k == cp.KindJSON && spec.Field != 0:
		out = map[string]any{"type": "object"} // custom fields
	}
	if form := spec.Kind.StringFormSchema(); s.StringForms && spec.Field == 0 && form != nil {
		out = map[string]any{"anyOf": []any{out, form}}
	}
	if k := spec.ValueKind(); s.EpochMillis && spec.Field == 0 && (k == cp.KindDate || k == cp.KindDateTime) {
		// Milliseconds since the epoch (rule H9); a date's must fall at
		// midnight, which no pattern says.
		out = map[string]any{"anyOf": []any{out, map[string]any{"type": "string", "pattern": `^\s*[0-9]+\s*$`}}}
	}
	_, isEnum := spec.Policy.JSONSchema()["enum"]
	if k := spec.ValueKind(); spec.EmptyAsNull && !isEnum && (k == cp.KindText || k == cp.KindDate || k == cp.KindDateTime) {
		// "" (after trimming) is stored as no value, whatever the format.
		out = map[string]any{"anyOf": []any{map[string]any{"type": "string", "pattern": `^\s*$`}, out}}
	}
	// A read-only field may echo "no value" as null when none is stored.
	if (spec.Nullable || spec.ReadOnly) && (spec.ValueKind() != cp.KindJSON || spec.Field != 0) {
		out = nullable(out)
	}
	if d := BehaviourIn(spec, s); d != "" {
		out["description"] = d
	}
	if spec.ReadOnly {
		out["readOnly"] = true
	}
	return out
}

// textSchema is the schema of a text value under its policy, with the
// keywords the policy gives (Policy.JSONSchema): patterns and
// enumerations allow outer white space where the policy trims it.
func textSchema(spec cp.FieldSpec) map[string]any {
	out := map[string]any{"type": "string"}
	if spec.MaxLen > 0 {
		out["maxLength"] = spec.MaxLen
	}
	kw := spec.Policy.JSONSchema()
	if enum, ok := kw["enum"].([]string); ok {
		if spec.EmptyAsNull {
			enum = append(enum, "")
		}
		return map[string]any{"type": "string", "enum": enum}
	}
	for k, v := range kw {
		out[k] = v
	}
	return out
}

func nullable(s map[string]any) map[string]any {
	switch t := s["type"].(type) {
	case string:
		s["type"] = []string{t, "null"}
		if enum, ok := s["enum"].([]string); ok {
			vals := make([]any, 0, len(enum)+1)
			for _, v := range enum {
				vals = append(vals, v)
			}
			s["enum"] = append(vals, nil)
		}
		return s
	}
	return map[string]any{"anyOf": []any{s, map[string]any{"type": "null"}}}
}

// Behaviour says in words what a field does with a value sent: what the
// reference pages and the schemas' descriptions say.
func Behaviour(spec cp.FieldSpec) string {
	var parts []string
	if d := spec.Policy.Description(); d != "" {
		parts = append(parts, d)
	} else {
		parts = append(parts, spec.ValueKind().Description())
	}
	if spec.Lowercase {
		parts = append(parts, "stored in lower case")
	}
	if spec.EmptyAsNull {
		parts = append(parts, `"" clears it`)
	}
	if spec.Unique {
		parts = append(parts, "unique: a value another contact holds is a 409")
	}
	if spec.Rule != nil {
		parts = append(parts, "checked by a rule of the host's own")
	}
	if spec.ReadOnly {
		parts = []string{"read-only: accepted only with the stored value"}
	}
	return strings.Join(parts, "; ")
}

// BehaviourIn is Behaviour as the field's Schema makes it: a strict
// profile refuses a read-only field whenever it is sent.
func BehaviourIn(spec cp.FieldSpec, s *cp.Schema) string {
	if spec.ReadOnly && s.StrictReadOnly {
		return "read-only: refused whenever sent"
	}
	return Behaviour(spec)
}

// ResponseSchema returns the JSON Schema of a contact as the profile
// renders it.
func ResponseSchema(p *cp.Profile) map[string]any {
	s := p.Schema()
	byExt := map[string]cp.FieldSpec{}
	for _, spec := range s.Fields {
		if spec.Field == 0 {
			byExt[spec.Name] = spec
		}
	}
	body := viewSchema(s.View.Fields, false, byExt, &s)
	if s.View.Envelope != "" {
		body = map[string]any{"type": "object", "properties": map[string]any{s.View.Envelope: body},
			"required": []string{s.View.Envelope}, "additionalProperties": false}
	}
	body["$schema"] = Draft
	body["title"] = s.Name + " contact"
	return body
}

func viewSchema(fields []cp.ViewField, asStrings bool, byExt map[string]cp.FieldSpec, s *cp.Schema) map[string]any {
	out := object(len(fields))
	props := out["properties"].(map[string]any)
	var required []string
	for _, vf := range fields {
		strs := asStrings || vf.Strings
		var v map[string]any
		switch {
		case vf.Nested != nil:
			v = viewSchema(vf.Nested, strs, byExt, s)
		case vf.Literal != "":
			v = map[string]any{"const": literal(vf.Literal)}
		case vf.State == cp.StateArchived:
			v = map[string]any{"type": "boolean"}
		case vf.State == cp.StateArchivedAt:
			v = map[string]any{"type": "string", "format": "date-time"}
		case strs:
			v = map[string]any{"type": []string{"string", "null"}}
		case vf.Extension != "":
			v = nullable(cp.Kind.JSONSchema(byExt[vf.Extension].Kind))
		default:
			v = cp.Kind.JSONSchema(vf.Field.Kind())
			if vf.Field.Kind() != cp.KindStrings && vf.Field.Kind() != cp.KindBool && vf.Field != cp.FieldID {
				v = nullable(v)
			}
		}
		props[vf.Name] = v
		if (s.View.Empty != cp.EmptyOmitted || vf.Literal != "" || vf.Nested != nil || vf.State == cp.StateArchived) && vf.State != cp.StateArchivedAt {
			required = append(required, vf.Name)
		}
	}
	if required != nil {
		out["required"] = required
	}
	out["additionalProperties"] = false
	return out
}

func literal(text string) any {
	switch text {
	case "true":
		return true
	case "false":
		return false
	case "null":
		return nil
	}
	if n, err := strconv.ParseFloat(text, 64); err == nil {
		return n
	}
	s, _ := strconv.Unquote(text)
	return s
}
