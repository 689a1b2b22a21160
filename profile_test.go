package contactpatch_test

import (
	"context"
	"encoding/json"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each bad Schema is refused for its own reason, which the error names.
func TestNewProfileRejectsBadSchemas(t *testing.T) {
	text := func(name string, f cp.Field) cp.FieldSpec { return cp.FieldSpec{Name: name, Field: f} }
	with := func(f cp.Field, pol cp.Policy) []cp.FieldSpec {
		return []cp.FieldSpec{{Name: "a", Field: f, Policy: pol}}
	}
	cases := []struct {
		name   string
		schema cp.Schema
		want   string
	}{
		{"empty name", cp.Schema{Fields: []cp.FieldSpec{text("", cp.FieldJobTitle)}}, "a field has no name"},
		{"invalid field", cp.Schema{Fields: []cp.FieldSpec{text("x", 0)}}, `field "x": invalid Field 0`},
		{"field out of range", cp.Schema{Fields: []cp.FieldSpec{text("x", 200)}}, `field "x": invalid Field 200`},
		{"field twice", cp.Schema{Fields: []cp.FieldSpec{text("a", cp.FieldJobTitle), text("b", cp.FieldJobTitle)}}, `field "b": job_title appears twice`},
		{"name twice", cp.Schema{Fields: []cp.FieldSpec{text("a", cp.FieldJobTitle), text("a", cp.FieldCompany)}}, `field "a": name appears twice`},
		{"parse on other field", cp.Schema{Fields: with(cp.FieldCompany, cp.ParseName())}, `field "a": the name policy fits only the full name`},
		{"text policy on tags", cp.Schema{Fields: with(cp.FieldTags, cp.Email())}, `field "a": a text policy fits only text fields`},
		{"custom on text", cp.Schema{Fields: with(cp.FieldNotes, cp.CustomFields(cp.RejectUnknown))}, `field "a": the custom-fields policy fits only custom fields`},
		{"email on notes", cp.Schema{Fields: with(cp.FieldNotes, cp.Email())}, `field "a": a format policy does not fit multiline text`},
		{"URL on notes", cp.Schema{Fields: with(cp.FieldNotes, cp.HTTPURL())}, `field "a": a format policy does not fit multiline text`},
		{"phone on notes", cp.Schema{Fields: with(cp.FieldNotes, cp.PhoneLenient())}, `field "a": a format policy does not fit multiline text`},
		{"empty OneOf", cp.Schema{Fields: with(cp.FieldStatus, cp.OneOf())}, `field "a": OneOf needs at least one value`},
		{"unknown phone region", cp.Schema{Fields: with(cp.FieldPhone, cp.PhoneE164("XX"))}, `field "a": phone region "XX" is not one the phone library knows`},
		{"writable id", cp.Schema{Fields: []cp.FieldSpec{text("id", cp.FieldID)}}, `field "id": id must be read-only`},
		{"writable timestamp", cp.Schema{Fields: []cp.FieldSpec{text("created", cp.FieldCreatedAt)}}, `field "created": created_at must be read-only`},
		{"nullable append", cp.Schema{Fields: []cp.FieldSpec{{Name: "n", Field: cp.FieldNotes, Policy: cp.Append("\n"), Nullable: true}}}, `field "n": an appended field cannot be nullable`},
		{"default not in values", cp.Schema{Fields: with(cp.FieldStatus, cp.OneOfOr("x", "a", "b"))}, `field "a": default "x" is not among the values`},
		{"negative max length", cp.Schema{Fields: []cp.FieldSpec{{Name: "s", Field: cp.FieldStatus, MaxLen: -1}}}, `field "s": negative MaxLen`},
		{"negative limit", cp.Schema{Limits: cp.Limits{Tags: -1}}, "negative limit"},
		{"unique tags", cp.Schema{Fields: []cp.FieldSpec{{Name: "t", Field: cp.FieldTags, Unique: true}}}, `field "t": only a text field that is replaced can be unique`},
		{"unique notes", cp.Schema{Fields: []cp.FieldSpec{{Name: "n", Field: cp.FieldNotes, Policy: cp.Append("\n"), Unique: true}}}, `field "n": only a text field that is replaced can be unique`},
		{"bad view field", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "x", Field: 0}}}}, `view field "x": no name, a repeated name, or not exactly one of Field, Extension, Literal, Nested and State`},
		{"view name twice", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "x", Field: cp.FieldID},
			{Name: "x", Field: cp.FieldEmail}}}}, `view field "x": no name, a repeated name, or not exactly one of Field, Extension, Literal, Nested and State`},
		{"view field and literal", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "x", Field: cp.FieldID, Literal: "1"}}}},
			`view field "x": no name, a repeated name, or not exactly one of Field, Extension, Literal, Nested and State`},
		{"view of a missing extension", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "x", Extension: "plan"}}}}, `view field "x": no extension field "plan"`},
		{"literal not JSON", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "x", Literal: "nope"}}}}, `view field "x": Literal is not JSON`},
		{"repeated name in a nested view", cp.Schema{View: cp.View{Fields: []cp.ViewField{{Name: "p", Nested: []cp.ViewField{
			{Name: "x", Field: cp.FieldID}, {Name: "x", Field: cp.FieldEmail}}}}}},
			`view field "x": no name, a repeated name, or not exactly one of Field, Extension, Literal, Nested and State`},
		{"extension with a field", cp.Schema{Fields: []cp.FieldSpec{{Name: "e", Field: cp.FieldEmail, Kind: cp.KindText}}}, `field "e": an extension field has a valid Kind and no Field`},
		{"unique extension", cp.Schema{Fields: []cp.FieldSpec{{Name: "e", Kind: cp.KindText, Unique: true}}}, `field "e": an extension field cannot be unique, and only text takes a Rule`},
		{"text policy on a number", cp.Schema{Fields: []cp.FieldSpec{{Name: "n", Kind: cp.KindNumber, Policy: cp.Email()}}}, `field "n": a text policy fits only text fields`},
		{"rule on tags", cp.Schema{Fields: []cp.FieldSpec{{Name: "t", Field: cp.FieldTags, Rule: func(_ context.Context, s string) (string, error) { return s, nil }}}},
			`field "t": only a text field takes a Rule`},
		{"envelope among the other keys", cp.Schema{Envelope: "p", EnvelopeKeys: []string{"p"}}, `envelope key "p" listed among the other keys`},
		{"extension name twice", cp.Schema{Fields: []cp.FieldSpec{{Name: "e", Kind: cp.KindText}, {Name: "e", Kind: cp.KindBool}}}, `field "e": name appears twice`},
	}
	for _, c := range cases {
		c.schema.Name = c.name
		_, err := cp.NewProfile(c.schema)
		require.Error(t, err, c.name)
		assert.Equal(t, `contactpatch: profile "`+c.name+`": `+c.want, err.Error(), c.name)
		assert.Panics(t, func() { cp.MustProfile(c.schema) }, c.name)
	}
	// The regions the phone library knows, and no region at all, are fine.
	for _, region := range []string{"", "US", "DE", "JP"} {
		_, err := cp.NewProfile(cp.Schema{Fields: with(cp.FieldPhone, cp.PhoneE164(region))})
		assert.NoError(t, err, "region %q", region)
	}
}

// A Profile not built by NewProfile says so, on every entry point,
// instead of refusing every body as too large.
func TestZeroProfileFailsLoudly(t *testing.T) {
	var zero cp.Profile
	var none *cp.Profile
	for _, p := range []*cp.Profile{&zero, none} {
		_, err := p.ApplyJSON(context.Background(), cp.Contact{}, []byte(`{}`), cp.Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "NewProfile")
		assert.NotErrorIs(t, err, cp.ErrValidation)
		assert.Equal(t, 500, cp.HTTPStatus(err))
		_, err = p.Decode([]byte(`{}`))
		assert.Contains(t, err.Error(), "NewProfile")
		_, err = p.Apply(context.Background(), cp.Contact{}, cp.Patch{}, cp.Options{})
		assert.Contains(t, err.Error(), "NewProfile")
		_, err = p.Render(cp.Contact{})
		assert.Contains(t, err.Error(), "NewProfile")
		_, err = p.ParseContact([]byte(`{}`))
		assert.Contains(t, err.Error(), "NewProfile")
		_, err = p.Update(context.Background(), &cp.MemoryStore{}, cp.DefaultTenant, "x", []byte(`{}`), cp.Options{})
		assert.Contains(t, err.Error(), "NewProfile")
	}
}

func TestProfileName(t *testing.T) {
	assert.Equal(t, "default", cp.Default().Name())
}

func TestFieldString(t *testing.T) {
	assert.Equal(t, "full_name", cp.FieldFullName.String())
	assert.Equal(t, "is_dnd", cp.FieldIsDND.String())
	assert.Equal(t, "invalid_field", cp.Field(0).String())
	assert.Equal(t, "invalid_field", cp.Field(250).String())
}

// A Patch built in Go may set fields the profile does not expose; Apply
// names them with their canonical names.
func TestApplyRejectsFieldsTheProfileLacks(t *testing.T) {
	prof := cp.MustProfile(cp.Schema{Name: "tiny", Fields: []cp.FieldSpec{{Name: "title", Field: cp.FieldJobTitle}}})
	_, err := prof.Apply(context.Background(), cp.Contact{}, cp.Patch{JobTitle: cp.Value("CTO"), Tags: cp.Value([]string{"x"}), IsDND: cp.Value(true)}, cp.Options{})
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Fields, 2)
	f, ok := ve.Field("tags")
	assert.True(t, ok)
	assert.Equal(t, cp.CodeUnknownField, f.Code)
	_, ok = ve.Field("is_dnd")
	assert.True(t, ok)
	_, ok = ve.Field("title")
	assert.False(t, ok)
}

// A view with no fields renders every field of the schema under its name.
func TestViewDefaultsToSchemaFields(t *testing.T) {
	prof := cp.MustProfile(cp.Schema{Name: "v", Fields: []cp.FieldSpec{
		{Name: "title", Field: cp.FieldJobTitle},
		{Name: "dnd", Field: cp.FieldIsDND},
	}})
	out, err := prof.Render(cp.Contact{JobTitle: cp.Value("CTO")})
	require.NoError(t, err)
	assert.Equal(t, `{"title":"CTO","dnd":false}`, string(out))
}

// Nullable tags, booleans and custom fields clear on null.
func TestNullClearsOtherKinds(t *testing.T) {
	prof := cp.MustProfile(cp.Schema{Name: "n", Fields: []cp.FieldSpec{
		{Name: "tags", Field: cp.FieldTags, Nullable: true},
		{Name: "dnd", Field: cp.FieldIsDND, Nullable: true},
		{Name: "cf", Field: cp.FieldCustomFields, Nullable: true},
	}})
	stored := cp.Contact{Tags: []string{"a"}, IsDND: true, CustomFields: map[string]json.RawMessage{"k": json.RawMessage(`1`)}}
	res, err := prof.ApplyJSON(context.Background(), stored, []byte(`{"tags":null,"dnd":null,"cf":null}`), cp.Options{})
	require.NoError(t, err)
	assert.Empty(t, res.Contact.Tags)
	assert.False(t, res.Contact.IsDND)
	assert.Empty(t, res.Contact.CustomFields)
	assert.Len(t, res.Changes(), 3)
}

// Schema is a copy: changing what it returns changes nothing in the
// profile, whose answers stay the same.
func TestSchemaIsACopy(t *testing.T) {
	p := profiles.Gomry()
	s := p.Schema()
	s.Fields[0].Name = "changed"
	s.View.Fields[0].Name = "changed"
	vals := s.Fields[len(s.Fields)-3].Policy.Values()
	vals[0] = "changed"
	again := p.Schema()
	assert.Equal(t, "id", again.Fields[0].Name)
	assert.Equal(t, "id", again.View.Fields[0].Name)
	assert.Equal(t, []string{"active", "inactive"}, again.Fields[len(again.Fields)-3].Policy.Values())
	rebuilt, err := cp.NewProfile(again)
	require.NoError(t, err, "a profile's Schema compiles again")
	back := rebuilt.Schema()
	again.Errors, back.Errors = nil, nil // functions never compare equal
	assert.Equal(t, again, back)
	assert.Equal(t, cp.Schema{}, (&cp.Profile{}).Schema(), "a profile not built by NewProfile describes nothing")
}
