package schematest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/contactpatch/contactpatch/openapi"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// verdict is what the schema and the profile say of one body.
type verdict struct {
	class string // "" when they agree, else the class of the disagreement
	note  string // what the disagreement is, for an unexplained one
}

// compile compiles the profile's body schema with formats asserted.
func compile(t testing.TB, p *cp.Profile) *jsonschema.Schema {
	raw, err := json.Marshal(openapi.BodySchema(p))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("body.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("body.json")
	if err != nil {
		t.Fatalf("%s: the schema does not compile: %v", p.Name(), err)
	}
	return s
}

// judge runs body through the schema and through ApplyJSON on stored,
// and names the class of their disagreement, if any.
func judge(s *jsonschema.Schema, p *cp.Profile, stored cp.Contact, body []byte, opts cp.Options) verdict {
	_, applyErr := p.ApplyJSON(context.Background(), stored, body, opts)
	inst, parseErr := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if parseErr != nil || !json.Valid(body) {
		if applyErr == nil {
			return verdict{"", ""}
		}
		return verdict{"", ""} // not JSON: no schema can judge it, and the profile refused it
	}
	schemaErr := s.Validate(inst)
	switch {
	case (schemaErr == nil) == (applyErr == nil):
		return verdict{}
	case schemaErr != nil:
		return schemaOnly(schemaErr, inst)
	}
	return profileOnly(p, applyErr, body)
}

// schemaOnly explains a body the schema refuses and the profile accepts:
// only text the profile trims before checking it.
func schemaOnly(err error, inst any) verdict {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return verdict{"unexplained", err.Error()}
	}
	for _, leaf := range leaves(ve) {
		v := at(inst, leaf.InstanceLocation)
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == s {
			return verdict{"unexplained", fmt.Sprintf("schema refuses %v at /%s: %v", v, strings.Join(leaf.InstanceLocation, "/"), leaf)}
		}
	}
	return verdict{class: "text trimmed before it is checked (schema stricter)"}
}

func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func at(v any, path []string) any {
	for _, tok := range path {
		switch t := v.(type) {
		case map[string]any:
			v = t[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			if i >= len(t) {
				return nil
			}
			v = t[i]
		default:
			return nil
		}
	}
	return v
}

// profileOnly explains a body the profile refuses and the schema
// accepts: each field error must be of a class no JSON Schema can say.
func profileOnly(p *cp.Profile, err error, body []byte) verdict {
	var ve *cp.ValidationError
	var ce *cp.ConflictError
	switch {
	case errors.As(err, &ce):
		return verdict{class: "a value another contact holds (uniqueness)"}
	case errors.Is(err, cp.ErrPreconditionFailed):
		return verdict{class: "a stale If-Match, which is no property of the body"}
	case cp.HTTPStatus(err) == 500 && strings.Contains(err.Error(), "rule of"):
		return verdict{class: "rules of the host's own"}
	case !errors.As(err, &ve):
		return verdict{"unexplained", err.Error()}
	}
	classes := map[string]bool{}
	specs := map[string]cp.FieldSpec{}
	for _, spec := range p.Schema().Fields {
		specs[spec.Name] = spec
	}
	for _, f := range ve.Fields {
		c := classOf(f, specs[f.Field], body)
		if c == "" {
			return verdict{"unexplained", fmt.Sprintf("profile refuses %s: %s (%s)", f.Pointer, f.Message, f.Code)}
		}
		classes[c] = true
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for c := range classes {
			if !yield(c) {
				return
			}
		}
	})
	return verdict{class: names[0]}
}

// classOf names why the schema cannot refuse what the profile refused.
func classOf(f cp.FieldError, spec cp.FieldSpec, body []byte) string {
	pol := spec.Policy.Name()
	switch f.Code {
	case cp.CodeDuplicateKey:
		return "duplicate keys"
	case cp.CodeInvalidUTF8:
		return "invalid UTF-8"
	case cp.CodeInvalidCharacter:
		return "control and invisible characters"
	case cp.CodeReadOnly:
		return "read-only value other than the stored one"
	case cp.CodeTooDeep, cp.CodeTooLarge:
		return "body size and nesting"
	case cp.CodeUnknownField:
		if spec.Policy.Name() == "custom_fields" {
			return "a tenant's custom-field names"
		}
	case cp.CodeTooLong:
		switch {
		case pol == "append":
			return "an append past the limit"
		case spec.ValueKind() == cp.KindJSON:
			return "size of a JSON value"
		case spec.ValueKind() == cp.KindStrings:
			return listClass
		}
	case cp.CodeTooMany:
		return "key and item counts inside values"
	case cp.CodeInvalidFormat:
		switch {
		case pol == "phone_lenient" || pol == "phone_e164":
			return "phone number validity"
		case pol == "email":
			return "email grammar beyond the pattern"
		case pol == "http_url":
			return "URL grammar beyond the pattern"
		case spec.ValueKind() == cp.KindStrings:
			return listClass
		case spec.ValueKind() == cp.KindNumber:
			return "numbers a float64 cannot hold, and string forms"
		case spec.ValueKind() == cp.KindDate || spec.ValueKind() == cp.KindDateTime:
			return "dates and times beyond the format"
		}
	case cp.CodeInvalidType:
		if spec.ValueKind() == cp.KindBool || spec.ValueKind() == cp.KindNumber {
			return "numbers a float64 cannot hold, and string forms"
		}
	}
	if strings.HasPrefix(string(f.Code), "invalid_vat") {
		return "rules of the host's own"
	}
	return ""
}

// listClass is the class of list items the profile checks as tags.
const listClass = "list items: empty after trimming, too long, or holding the separator"

// corpus is one body with the contact and options it is applied with.
type corpus struct {
	stored cp.Contact
	body   []byte
	opts   cp.Options
}

var now = time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC)

// bodiesOf gathers the bodies of a profile: its conformance cases (with
// their contacts and options), the fuzz corpus, and generated bodies of
// every field with values of every JSON type.
func bodiesOf(t *testing.T, dir string, p *cp.Profile) []corpus {
	var out []corpus
	files, _ := filepath.Glob(filepath.Join("..", "testdata", dir, "*.json"))
	for _, file := range files {
		for _, c := range conformance.Load(t, file) {
			var stored cp.Contact
			if c.Stored != nil {
				if err := json.Unmarshal(c.Stored, &stored); err != nil {
					t.Fatal(err)
				}
			}
			if body := conformance.Body(c); body != nil {
				out = append(out, corpus{stored, body, conformance.Options(t, c)})
			}
		}
	}
	opts := cp.Options{Now: func() time.Time { return now }, CustomFields: []string{"plan"}}
	stored := cp.Contact{ID: "c1", Version: 1}
	for _, body := range fuzzCorpus(t) {
		out = append(out, corpus{stored, body, opts})
	}
	for _, body := range generated(p, 20260224) {
		out = append(out, corpus{stored, body, opts})
	}
	return out
}

// fuzzCorpus reads the inputs of the decoder's fuzz corpus.
func fuzzCorpus(t *testing.T) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "fuzz", "FuzzDecode", "*"))
	var out [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if rest, ok := strings.CutPrefix(line, "[]byte("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(rest, ")")); err == nil {
					out = append(out, []byte(s))
				}
			}
		}
	}
	return out
}

// values are sent to every field, one at a time and in random pairs.
var values = []string{
	`"x"`, `""`, `"  padded  "`, `42`, `-0.5`, `1e999`, `true`, `null`, `[]`, `["a"]`, `["a", "a"]`, `[" "]`, `[1]`, `{}`,
	`{"plan": 1}`, `{"other": 1}`, `"` + strings.Repeat("y", 300) + `"`, `"a@b.co"`, `" A@B.CO "`, `"a@b"`, `"+1 555 0100"`,
	`"+12"`, `"https://example.com/x"`, `"ftp://example.com"`, `"2026-01-01"`, `"2026-02-30"`, `"2026-01-01T10:00:00Z"`,
	`"active"`, `" active "`, `"customer"`, `"lead"`, `"a;b"`, `"\u200b"`, `"line\nbreak"`, `"\u0007"`,
}

func generated(p *cp.Profile, seed uint64) [][]byte {
	s := p.Schema()
	wrap := func(members string) []byte {
		if s.Envelope != "" {
			return []byte(`{"` + s.Envelope + `": {` + members + `}}`)
		}
		return []byte(`{` + members + `}`)
	}
	var out [][]byte
	for _, spec := range s.Fields {
		for _, v := range values {
			out = append(out, wrap(strconv.Quote(spec.Name)+": "+v))
		}
	}
	r := rand.New(rand.NewPCG(seed, 1))
	for range 2000 {
		a, b := s.Fields[r.IntN(len(s.Fields))], s.Fields[r.IntN(len(s.Fields))]
		if a.Name == b.Name {
			continue
		}
		out = append(out, wrap(strconv.Quote(a.Name)+": "+values[r.IntN(len(values))]+", "+strconv.Quote(b.Name)+": "+values[r.IntN(len(values))]))
	}
	out = append(out, wrap(`"no_such_field": 1`), []byte(`{"unknown_top": {}}`), []byte(`[]`), []byte(`{}`))
	return out
}

// TestSchemaAgreesWithTheProfile: for every profile, every body of its
// conformance cases, of the fuzz corpus, and thousands generated from its
// fields either gets the same answer from the schema and from ApplyJSON,
// or disagrees for a reason of an explained class, which the test counts
// (docs/guide.md lists them).
func TestSchemaAgreesWithTheProfile(t *testing.T) {
	total := map[string]int{}
	bodies := 0
	for _, dir := range slices.Sorted(mapsKeys(conformance.Profiles())) {
		p := conformance.Profiles()[dir]
		s := compile(t, p)
		for _, c := range bodiesOf(t, dir, p) {
			bodies++
			v := judge(s, p, c.stored, c.body, c.opts)
			if v.class == "unexplained" {
				t.Errorf("%s: unexplained disagreement on %s: %s", dir, truncate(c.body), v.note)
				continue
			}
			if v.class != "" {
				total[v.class]++
			}
		}
	}
	if bodies < 5000 {
		t.Fatalf("only %d bodies judged", bodies)
	}
	t.Logf("%d bodies judged; disagreements by explained class:", bodies)
	readme, err := os.ReadFile(filepath.Join("..", "docs", "guide.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "runs "+strconv.Itoa(bodies)+" bodies") {
		t.Errorf("docs/guide.md does not say that the test runs %d bodies", bodies)
	}
	for _, c := range slices.Sorted(mapsKeys(total)) {
		t.Logf("  %5d  %s", total[c], c)
		if row := "| " + c + " | " + strconv.Itoa(total[c]) + " |"; !strings.Contains(string(readme), row) {
			t.Errorf("docs/guide.md lacks the row %s", row)
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func truncate(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "..."
	}
	return string(b)
}

// FuzzSchemaAgreement: any body, under any profile, gets the same answer
// from the schema and from ApplyJSON, or disagrees for an explained
// reason.
func FuzzSchemaAgreement(f *testing.F) {
	dirs := slices.Sorted(mapsKeys(conformance.Profiles()))
	for i, dir := range dirs {
		for _, body := range generated(conformance.Profiles()[dir], 1)[:40] {
			f.Add(uint8(i), body)
		}
	}
	schemas := map[string]*jsonschema.Schema{}
	for _, dir := range dirs {
		schemas[dir] = compile(f, conformance.Profiles()[dir])
	}
	opts := cp.Options{Now: func() time.Time { return now }, CustomFields: []string{"plan"}}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		dir := dirs[int(which)%len(dirs)]
		v := judge(schemas[dir], conformance.Profiles()[dir], cp.Contact{ID: "c1", Version: 1}, body, opts)
		if v.class == "unexplained" {
			t.Fatalf("%s: unexplained disagreement on %q: %s", dir, body, v.note)
		}
	})
}
