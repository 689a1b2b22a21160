package contactpatch_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileBodies are the shapes an attacker or a broken client sends. Each
// is built here rather than stored, since some are megabytes long; the
// fuzz targets take them as seeds too.
func hostileBodies() []struct {
	name string
	body []byte
	want map[string]cp.Code // JSON Pointer (or "body") -> code; nil means the patch applies
} {
	tags := make([]string, 100_000)
	for i := range tags {
		tags[i] = `"a"`
	}
	keys := make([]string, 100_000)
	for i := range keys {
		keys[i] = `"k` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `":1`
	}
	return []struct {
		name string
		body []byte
		want map[string]cp.Code
	}{
		{"100k nested arrays", []byte(`{"tags":` + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000) + `}`),
			map[string]cp.Code{"/tags" + strings.Repeat("/0", 31): cp.CodeTooDeep}},
		{"100k nested objects in a custom field", []byte(`{"custom_fields":` + strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000) + `}`),
			map[string]cp.Code{"/custom_fields" + strings.Repeat("/a", 31): cp.CodeTooDeep}},
		{"100k unclosed brackets", []byte(`{"tags":` + strings.Repeat("[", 100_000)), map[string]cp.Code{"/tags" + strings.Repeat("/0", 31): cp.CodeTooDeep}},
		{"10 MB string", []byte(`{"job_title":"` + strings.Repeat("a", 10<<20) + `"}`), map[string]cp.Code{"body": cp.CodeTooLarge}},
		{"raw NUL byte in a string", []byte("{\"job_title\":\"a\x00b\"}"), map[string]cp.Code{"/job_title": cp.CodeMalformedJSON}},
		{"escaped NUL in a string", []byte(`{"job_title":"a\u0000b"}`), map[string]cp.Code{"/job_title": cp.CodeInvalidCharacter}},
		{"escaped control characters", []byte(`{"company":"\u001b[31mred","notes":"bell\u0007"}`),
			map[string]cp.Code{"/company": cp.CodeInvalidCharacter, "/notes": cp.CodeInvalidCharacter}},
		{"control byte between tokens", []byte("{\x01\"job_title\":\"a\"}"), map[string]cp.Code{"body": cp.CodeMalformedJSON}},
		{"lone high surrogate", []byte(`{"job_title":"\ud800"}`), map[string]cp.Code{"/job_title": cp.CodeInvalidUTF8}},
		{"lone low surrogate", []byte(`{"job_title":"x\udfff"}`), map[string]cp.Code{"/job_title": cp.CodeInvalidUTF8}},
		{"overlong UTF-8 slash", []byte("{\"job_title\":\"\xc0\xaf\"}"), map[string]cp.Code{"/job_title": cp.CodeInvalidUTF8}},
		{"overlong UTF-8 NUL", []byte("{\"job_title\":\"\xe0\x80\x80\"}"), map[string]cp.Code{"/job_title": cp.CodeInvalidUTF8}},
		{"UTF-16 surrogate encoded in UTF-8", []byte("{\"job_title\":\"\xed\xa0\x80\"}"), map[string]cp.Code{"/job_title": cp.CodeInvalidUTF8}},
		{"invalid UTF-8 in a key", []byte("{\"job\xfftitle\":\"a\"}"), map[string]cp.Code{"body": cp.CodeInvalidUTF8}},
		{"duplicate key at the top", []byte(`{"email":"a@example.com","email":"b@example.com"}`), map[string]cp.Code{"/email": cp.CodeDuplicateKey}},
		{"duplicate key in a custom field", []byte(`{"custom_fields":{"plan":1,"plan":2}}`), map[string]cp.Code{"/custom_fields/plan": cp.CodeDuplicateKey}},
		{"duplicate key two levels down", []byte(`{"custom_fields":{"plan":{"a":{"b":1,"b":2}}}}`), map[string]cp.Code{"/custom_fields/plan/a/b": cp.CodeDuplicateKey}},
		{"duplicate key inside an array", []byte(`{"custom_fields":{"plan":[{"a":1,"a":1}]}}`), map[string]cp.Code{"/custom_fields/plan/0/a": cp.CodeDuplicateKey}},
		{"keys differing only by case", []byte(`{"Job_Title":"a","job_title":"b","JOB_TITLE":"c"}`),
			map[string]cp.Code{"/Job_Title": cp.CodeUnknownField, "/JOB_TITLE": cp.CodeUnknownField}},
		{"1e999 for a string field", []byte(`{"job_title":1e999}`), map[string]cp.Code{"/job_title": cp.CodeInvalidType}},
		{"-0 for a boolean", []byte(`{"is_dnd":-0}`), map[string]cp.Code{"/is_dnd": cp.CodeInvalidType}},
		{"1e999 and -0 kept as sent in a custom field", []byte(`{"custom_fields":{"plan":1e999,"seats":-0}}`), nil},
		{"NUL byte after the object", []byte("{}\x00"), map[string]cp.Code{"body": cp.CodeMalformedJSON}},
		{"NUL byte for a body", []byte("\x00"), map[string]cp.Code{"body": cp.CodeMalformedJSON}},
		{"byte order mark", []byte("\xef\xbb\xbf{\"job_title\":\"a\"}"), map[string]cp.Code{"body": cp.CodeMalformedJSON}},
		{"100k tags", []byte(`{"tags":[` + strings.Join(tags, ",") + `]}`), map[string]cp.Code{"/tags": cp.CodeTooMany}},
		{"100k keys", []byte(`{` + strings.Join(keys, ",") + `}`), map[string]cp.Code{"body": cp.CodeTooMany}},
		{"empty key", []byte(`{"":"a"}`), map[string]cp.Code{"/": cp.CodeUnknownField}},
		{"JSON null body", []byte(`null`), map[string]cp.Code{"body": cp.CodeMalformedJSON}},
		{"truncated escape", []byte(`{"job_title":"\u12`), map[string]cp.Code{"/job_title": cp.CodeMalformedJSON}},
	}
}

// TestHostileBodies: each hostile body gets its typed error (or applies,
// where it is valid JSON the profile takes), and the stored contact never
// changes.
func TestHostileBodies(t *testing.T) {
	opts := cp.Options{CustomFields: []string{"plan", "seats"}, Now: fixedClock}
	for _, c := range hostileBodies() {
		t.Run(c.name, func(t *testing.T) {
			stored := sampleContact()
			before := sampleContact()
			res, err := cp.Default().ApplyJSON(context.Background(), stored, c.body, opts)
			assert.Equal(t, before, stored, "R2: the stored contact changed")
			if c.want == nil {
				require.NoError(t, err)
				assert.Equal(t, json.RawMessage("1e999"), res.Contact.CustomFields["plan"])
				assert.Equal(t, json.RawMessage("-0"), res.Contact.CustomFields["seats"])
				return
			}
			var ve *cp.ValidationError
			require.ErrorAs(t, err, &ve)
			got := map[string]cp.Code{}
			for _, f := range ve.Fields {
				got[conformance.Location(f)] = f.Code
			}
			assert.Equal(t, c.want, got)
		})
	}
}

// sampleContact returns a fresh contact with every kind of field set.
func sampleContact() cp.Contact {
	return cp.Contact{
		ID:           "c1",
		FullName:     cp.Value("Jane Doe"),
		FirstName:    cp.Value("Jane"),
		LastName:     cp.Value("Doe"),
		Email:        cp.Value("jane@example.com"),
		JobTitle:     cp.Value("CTO"),
		Notes:        cp.Value("first"),
		Tags:         []string{"vip"},
		CustomFields: map[string]json.RawMessage{"plan": json.RawMessage(`"gold"`)},
		Version:      3,
	}
}
