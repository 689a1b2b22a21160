package contactpatch_test

import (
	"context"
	"encoding/json"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewProfileRejectsBadSchemas(t *testing.T) {
	text := func(name string, f cp.Field) cp.FieldSpec { return cp.FieldSpec{Name: name, Field: f} }
	cases := map[string]cp.Schema{
		"empty name":            {Fields: []cp.FieldSpec{text("", cp.FieldJobTitle)}},
		"invalid field":         {Fields: []cp.FieldSpec{text("x", 0)}},
		"field out of range":    {Fields: []cp.FieldSpec{text("x", 200)}},
		"field twice":           {Fields: []cp.FieldSpec{text("a", cp.FieldJobTitle), text("b", cp.FieldJobTitle)}},
		"name twice":            {Fields: []cp.FieldSpec{text("a", cp.FieldJobTitle), text("a", cp.FieldCompany)}},
		"parse on other field":  {Fields: []cp.FieldSpec{{Name: "a", Field: cp.FieldCompany, Policy: cp.ParseName()}}},
		"text policy on tags":   {Fields: []cp.FieldSpec{{Name: "a", Field: cp.FieldTags, Policy: cp.Email()}}},
		"custom on text":        {Fields: []cp.FieldSpec{{Name: "a", Field: cp.FieldNotes, Policy: cp.CustomFields(cp.RejectUnknown)}}},
		"writable id":           {Fields: []cp.FieldSpec{text("id", cp.FieldID)}},
		"writable timestamp":    {Fields: []cp.FieldSpec{text("created", cp.FieldCreatedAt)}},
		"nullable append":       {Fields: []cp.FieldSpec{{Name: "n", Field: cp.FieldNotes, Policy: cp.Append("\n"), Nullable: true}}},
		"default not in values": {Fields: []cp.FieldSpec{{Name: "s", Field: cp.FieldStatus, Policy: cp.OneOfOr("x", "a", "b")}}},
		"negative max length":   {Fields: []cp.FieldSpec{{Name: "s", Field: cp.FieldStatus, MaxLen: -1}}},
		"negative limit":        {Limits: cp.Limits{Tags: -1}},
		"bad view field":        {View: cp.View{Fields: []cp.ViewField{{Name: "x", Field: 0}}}},
		"view name twice": {View: cp.View{Fields: []cp.ViewField{{Name: "x", Field: cp.FieldID},
			{Name: "x", Field: cp.FieldEmail}}}},
	}
	for name, s := range cases {
		s.Name = name
		_, err := cp.NewProfile(s)
		assert.Error(t, err, name)
		assert.Panics(t, func() { cp.MustProfile(s) }, name)
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
