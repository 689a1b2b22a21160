package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ignoring skips every key it does not know, so that any JSON value can be
// fed through the decoder's grammar.
var ignoring = cp.MustProfile(cp.Schema{
	Name:        "ignoring",
	Fields:      []cp.FieldSpec{{Name: "title", Field: cp.FieldJobTitle}},
	UnknownKeys: cp.IgnoreUnknown,
})

// TestDecoderAgreesWithJSONValid checks the decoder's grammar against
// encoding/json on bodies without duplicate keys or encoding problems,
// where the two must agree.
func TestDecoderAgreesWithJSONValid(t *testing.T) {
	values := []string{
		`0`, `-0`, `1`, `-1`, `12.5`, `1e3`, `1E+3`, `1e-3`, `-0.0e0`, `1e999`, `123456789012345678901234567890`,
		`01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x10`, `NaN`, `Infinity`, `--1`, `1.2.3`,
		`true`, `false`, `null`, `tru`, `nul`, `True`, `falsey`,
		`""`, `"a"`, `"\""`, `"\\"`, `"\/"`, `"\b\f\n\r\t"`, `"\u00e9"`, `"\u00E9"`, `"\ud83d\ude00"`,
		`"\x"`, `"\u12"`, `"\u12zz"`, `"unterminated`, "\"tab\tinside\"", `"é"`,
		`[]`, `[1,2,3]`, `[ 1 , [ 2 , [ ] ] ]`, `[1,]`, `[,1]`, `[1 2]`, `[`, `]`,
		`{}`, `{"a":1}`, `{"a":{"b":[{"c":null}]}}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `{"a":1 "b":2}`, `{`,
	}
	for _, v := range values {
		body := `{"x": ` + v + `, "title": "ok"}`
		_, err := ignoring.Decode([]byte(body))
		assert.Equal(t, json.Valid([]byte(body)), err == nil, "body %s: %v", body, err)
	}
}

// Each shape that encoding/json lets through is refused with its own code,
// at its exact place.
func TestDecodeRejectsWhatEncodingJSONAccepts(t *testing.T) {
	for _, c := range []struct {
		name, body, pointer string
		code                cp.Code
	}{
		{"duplicate top-level key", `{"title":"a","title":"b"}`, "/title", cp.CodeDuplicateKey},
		{"duplicate unknown key", `{"x":1,"x":2}`, "/x", cp.CodeDuplicateKey},
		{"duplicate nested key", `{"x":{"k":1,"k":2}}`, "/x/k", cp.CodeDuplicateKey},
		{"duplicate deep key", `{"x":[{"k":{"z":1,"z":1}}]}`, "/x/0/k/z", cp.CodeDuplicateKey},
		{"invalid UTF-8 in a key", "{\"ti\xfftle\":\"a\"}", "", cp.CodeInvalidUTF8},
		{"invalid UTF-8 in a value", "{\"x\":\"\xc3\x28\"}", "/x", cp.CodeInvalidUTF8},
		{"overlong UTF-8", "{\"x\":\"\xc0\xaf\"}", "/x", cp.CodeInvalidUTF8},
		{"lone high surrogate", `{"x":"\ud800"}`, "/x", cp.CodeInvalidUTF8},
		{"lone low surrogate", `{"x":"\udc00"}`, "/x", cp.CodeInvalidUTF8},
		{"high then non-surrogate", `{"x":"\ud800\u0041"}`, "/x", cp.CodeInvalidUTF8},
		{"byte order mark", "\xef\xbb\xbf{\"title\":\"a\"}", "", cp.CodeMalformedJSON},
		{"trailing garbage", `{"title":"a"}x`, "", cp.CodeMalformedJSON},
		{"two objects", `{}{}`, "", cp.CodeMalformedJSON},
	} {
		_, err := ignoring.Decode([]byte(c.body))
		var ve *cp.ValidationError
		if !assert.True(t, errors.As(err, &ve), "%s: want a ValidationError, got %v", c.name, err) {
			continue
		}
		assert.Len(t, ve.Fields, 1, c.name)
		assert.Equal(t, c.code, ve.Fields[0].Code, c.name)
		assert.Equal(t, c.pointer, ve.Fields[0].Pointer, c.name)
	}
}

func TestDecodeReadsEscapes(t *testing.T) {
	p, err := ignoring.Decode([]byte(`{"title":"Caf\u00e9 \ud83d\ude00 \"quoted\" back\\slash \/ A\tB"}`))
	require.NoError(t, err)
	assert.Equal(t, cp.Value("Café 😀 \"quoted\" back\\slash / A\tB"), p.JobTitle)
	assert.Empty(t, p.Ignored)
}

func TestDecodeRecordsIgnoredKeys(t *testing.T) {
	p, err := ignoring.Decode([]byte(`{"b":1,"title":null,"a":[true]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "a"}, p.Ignored)
	assert.True(t, p.JobTitle.IsNull())
}

func TestDecodeTimestamps(t *testing.T) {
	p, err := cp.Default().Decode([]byte(`{"created_at":"2025-01-01T10:00:00.5+02:00","updated_at":null}`))
	require.NoError(t, err)
	got, ok := p.CreatedAt.Get()
	require.True(t, ok)
	assert.True(t, got.Equal(time.Date(2025, 1, 1, 8, 0, 0, 5e8, time.UTC)))
	assert.True(t, p.UpdatedAt.IsNull())

	_, err = cp.Default().Decode([]byte(`{"created_at": 5}`))
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, cp.CodeInvalidType, ve.Fields[0].Code)
}

func TestDecodeDepthLimitOnArrays(t *testing.T) {
	deep := `{"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`
	_, err := ignoring.Decode([]byte(deep))
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, cp.CodeTooDeep, ve.Fields[0].Code)
	assert.Equal(t, "x", ve.Fields[0].Field)
	assert.Equal(t, "/x"+strings.Repeat("/0", 31), ve.Fields[0].Pointer)
}

// ApplyJSON reports decode and apply problems together.
func TestApplyJSONAggregatesDecodeAndApplyErrors(t *testing.T) {
	_, err := cp.Default().ApplyJSON(context.Background(), cp.Contact{}, []byte(`{"tags":"vip","email":"bad","nope":1}`), cp.Options{})
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	codes := map[string]cp.Code{}
	for _, f := range ve.Fields {
		codes[f.Field] = f.Code
	}
	assert.Equal(t, map[string]cp.Code{"tags": cp.CodeInvalidType, "email": cp.CodeInvalidFormat, "nope": cp.CodeUnknownField}, codes)
	assert.Contains(t, err.Error(), "/tags: Must be an array of strings (invalid_type)")
}

// TestCharacterCheckAfterTheDecoder: the decoder lets a value that is
// printable ASCII as sent skip the character check (rule R9); whatever
// else reaches Apply is still checked, whether it came escaped, as a raw
// DEL byte, or was put into a decoded Patch by the caller.
func TestCharacterCheckAfterTheDecoder(t *testing.T) {
	prof := cp.Default()
	stored := cp.Contact{ID: "c1", Email: cp.Value("a@example.com")}
	for body, want := range map[string]cp.Code{
		`{"job_title":"Chief Legal Officer"}`:  "",
		`{"job_title":"Chief\u0007Officer"}`:   cp.CodeInvalidCharacter,
		"{\"job_title\":\"Chief\x7fOfficer\"}": cp.CodeInvalidCharacter,
		`{"job_title":"Chief\u00e9"}`:          "",
		`{"job_title":"zero\u200bwidth"}`:      cp.CodeInvalidCharacter,
	} {
		_, err := prof.ApplyJSON(context.Background(), stored, []byte(body), cp.Options{})
		if want == "" {
			assert.NoError(t, err, body)
			continue
		}
		var ve *cp.ValidationError
		if assert.ErrorAs(t, err, &ve, body) && assert.Len(t, ve.Fields, 1, body) {
			assert.Equal(t, want, ve.Fields[0].Code, body)
		}
	}
	patch, err := prof.Decode([]byte(`{"job_title":"Chief Legal Officer"}`))
	require.NoError(t, err)
	patch.JobTitle = cp.Value("Chief\u0007Officer")
	_, err = prof.Apply(context.Background(), stored, patch, cp.Options{})
	var ve *cp.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, cp.CodeInvalidCharacter, ve.Fields[0].Code)
}
