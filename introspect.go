package contactpatch

// Reading a profile back (its Schema, its fields' kinds, its policies'
// parameters and descriptions): what the API descriptions are made of.

import "slices"

// Schema returns the Schema the profile was compiled from, as compiled:
// limits with their defaults, the view with its fields and time layout
// filled in, the error view (ProblemJSON when the Schema named none), and
// every text field's MaxLen set to the length limit it takes. It is a
// copy: changing it changes nothing in the profile. A description of the
// API (JSON Schema, OpenAPI, reference pages) can be derived from it.
func (p *Profile) Schema() Schema {
	if p.ready() != nil {
		return Schema{}
	}
	s := p.schema
	s.Fields = slices.Clone(s.Fields)
	s.EnvelopeKeys = slices.Clone(s.EnvelopeKeys)
	s.View.Fields = cloneView(s.View.Fields)
	return s
}

// Kind returns the kind of value a canonical field holds, in the terms
// of extension fields: text (the id included), strings (tags), boolean,
// JSON (custom fields, an object of JSON values) or date-time.
func (f Field) Kind() Kind {
	if !f.valid() {
		return 0
	}
	switch f.kind() {
	case kindTags:
		return KindStrings
	case kindBool:
		return KindBool
	case kindCustom:
		return KindJSON
	case kindTime:
		return KindDateTime
	}
	return KindText
}

// Multiline reports whether a canonical field holds multiline text by
// nature (notes).
func (f Field) Multiline() bool { return f.valid() && f.multiline() }

// ValueKind returns the kind of the field's value: its Kind for an
// extension field, its Field's for a canonical one.
func (spec FieldSpec) ValueKind() Kind {
	if spec.isExtension() {
		return spec.Kind
	}
	return spec.Field.Kind()
}

// Name names what the policy does, after its constructor: "plain",
// "multiline", "append", "parse_name", "one_of", "one_of_or", "email",
// "phone_as_is", "phone_lenient", "phone_e164", "http_url" or
// "custom_fields".
func (p Policy) Name() string { return p.impl().name() }

// Values returns the values a OneOf or OneOfOr policy accepts.
func (p Policy) Values() []string { return slices.Clone(p.impl().values()) }

// Default returns the value a OneOfOr policy stores in place of others.
func (p Policy) Default() string { return p.impl().fallback() }

// Separator returns what an Append policy puts between the stored text
// and the sent one.
func (p Policy) Separator() string { return p.impl().separator() }

// Region returns the default region of a PhoneE164 policy.
func (p Policy) Region() string { return p.impl().region() }

// UnknownNames says what a CustomFields policy does with names the
// tenant does not have.
func (p Policy) UnknownNames() UnknownKeys { return p.impl().unknownNames() }

// Multiline reports whether the policy keeps newlines, tabs and outer
// white space (Multiline and Append).
func (p Policy) Multiline() bool { return p.multiline() }

// Description says in words what the policy makes of a value sent, as
// the reference pages and the schemas' descriptions say it; "" for the
// plain policy, whose behaviour is the field's kind's.
func (p Policy) Description() string { return p.impl().describe() }

// JSONSchema returns the JSON Schema 2020-12 keywords that describe a text
// value under the policy, such as "format", "pattern" or "enum"; nil when
// the policy adds none. Patterns allow outer white space where the policy
// trims it. It is a new map each time.
func (p Policy) JSONSchema() map[string]any { return p.impl().keywords() }
