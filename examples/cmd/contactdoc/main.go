// Command contactdoc writes each reference API's description from its
// profile: the OpenAPI 3.1 document (docs/openapi/<api>.json) and the
// reference page (docs/reference/<api>.md), with examples taken from the
// API's conformance cases. Run it from the repository root:
//
//	go run ./examples/cmd/contactdoc
//
// CI runs it and fails when the committed files differ.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/apis"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/contactpatch/contactpatch/openapi"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	for _, api := range apis.All {
		if err := write(root, api); err != nil {
			log.Fatalf("%s: %v", api.Name, err)
		}
	}
}

func write(root string, api server.API) error {
	examples, err := examplesOf(root, api.Name)
	if err != nil {
		return err
	}
	doc, err := api.OpenAPI(examples)
	if err != nil {
		return err
	}
	if err := save(filepath.Join(root, "docs", "openapi", api.Name+".json"), append(doc, '\n')); err != nil {
		return err
	}
	doc30, err := api.OpenAPI30(examples)
	if err != nil {
		return err
	}
	if err := save(filepath.Join(root, "docs", "openapi", api.Name+"-3.0.json"), append(doc30, '\n')); err != nil {
		return err
	}
	return save(filepath.Join(root, "docs", "reference", api.Name+".md"), page(api, examples))
}

func save(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// examplesOf takes up to two successful cases with a response and one
// refused case with an error body from testdata/<api>/, in file order.
func examplesOf(root, name string) ([]openapi.Example, error) {
	files, _ := filepath.Glob(filepath.Join(root, "testdata", name, "*.json"))
	slices.Sort(files)
	var ok, refused []openapi.Example
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var cases []conformance.Case
		if bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")) {
			err = json.Unmarshal(data, &cases)
		} else {
			var c conformance.Case
			err = json.Unmarshal(data, &c)
			cases = []conformance.Case{c}
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for _, c := range cases {
			switch {
			case c.Body == nil:
			case c.Want != nil && c.Want.Response != nil && c.Want.ResponseFields == nil && len(ok) < 2: // a PATCH's whole view
				ok = append(ok, openapi.Example{Summary: c.Title, Request: compact(c.Body), Status: 200, Response: compact(c.Want.Response)})
			case c.Error != nil && c.Error.Envelope != nil && len(refused) < 1:
				refused = append(refused, openapi.Example{Summary: c.Title, Request: compact(c.Body), Status: c.Error.Status,
					Response: compact(c.Error.Envelope)})
			}
		}
	}
	return append(ok, refused...), nil
}

func compact(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// page renders the API's reference page.
func page(api server.API, examples []openapi.Example) []byte {
	s := api.Profile.Schema()
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# %s\n\n", api.Title)
	p("Generated from `profiles` by `go run ./examples/cmd/contactdoc`; do not edit.\n")
	p("The OpenAPI 3.1 document is [`../openapi/%s.json`](../openapi/%s.json), also served at `GET /openapi.json`; its OpenAPI 3.0.3 rendering, for the client generators that read 3.0, is [`../openapi/%s-3.0.json`](../openapi/%s-3.0.json), served at `GET /openapi-3.0.json`.\n\n", api.Name, api.Name, api.Name, api.Name)
	p("## Endpoint\n\n")
	for _, path := range api.Paths {
		p("- `PATCH %s`: update a contact; only the fields sent change.\n", path)
		p("- `GET %s`: read a contact.\n", path)
	}
	p("\n## Authentication\n\n")
	if api.Auth.Bearer {
		p("`Authorization: Bearer <key>`.\n")
	} else {
		p("`%s: <key>`.\n", api.Auth.Header)
	}
	p("\n## Path parameters\n\n| name | type | meaning |\n| --- | --- | --- |\n")
	p("| `%s` | string | the contact's id |\n", param(api.Paths[0]))
	p("\n## Body\n\n")
	switch {
	case s.Envelope != "":
		p("A JSON object whose fields are inside `%q`: `{%q: {...}}`.", s.Envelope, s.Envelope)
		if len(s.EnvelopeKeys) > 0 {
			p(" It may also hold %s, which are ignored.", codeList(s.EnvelopeKeys))
		}
		p(" Any other key is refused.\n")
	default:
		p("A JSON object of the fields below.\n")
	}
	if s.UnknownKeys == cp.RejectUnknown {
		p("A field not listed is refused (`unknown_field`).\n")
	} else {
		p("A field not listed is ignored, with a warning.\n")
	}
	p("Keys match exactly, case included; a key sent twice is refused; an omitted field keeps its value.")
	if s.StringForms {
		p(" Values that are not text may also be sent as strings (`\"42\"`, `\"true\"`, `\"a;b\"`).")
	}
	p("\n\n| field | type | nullable | behaviour | limit |\n| --- | --- | --- | --- | --- |\n")
	for _, spec := range s.Fields {
		limit := ""
		if spec.MaxLen > 0 {
			limit = fmt.Sprintf("%d characters", spec.MaxLen)
		}
		switch spec.ValueKind() {
		case cp.KindStrings:
			limit = fmt.Sprintf("%d items of %d characters", s.Limits.Tags, s.Limits.Tag)
		case cp.KindJSON:
			limit = fmt.Sprintf("%d bytes a value", s.Limits.CustomFieldValue)
		}
		nullable := "no"
		if spec.Nullable {
			nullable = "yes: `null` clears it"
		}
		p("| `%s` | %s | %s | %s | %s |\n", spec.Name, typeName(spec), nullable, openapi.BehaviourIn(spec, &s), limit)
	}
	p("\nThe body may be at most %d bytes, nested %d deep, with %d keys in an object.\n", s.Limits.Body, s.Limits.Depth, s.Limits.Keys)
	p("\n## Response\n\n`200` with the contact as below, and its `ETag`; the same for `GET`.\n")
	if s.View.Envelope != "" {
		p("The contact is inside `%q`.\n", s.View.Envelope)
	}
	p("\n| key | holds |\n| --- | --- |\n")
	viewRows(p, s.View.Fields, "")
	p("\n## Errors\n\n")
	ct, _ := api.Profile.RenderError(cp.ProblemOf(cp.ErrNotFound))
	p("Every error is `%s`", ct)
	_, sample := api.Profile.RenderError(cp.ProblemOf(cp.ErrNotFound))
	p(", such as `%s` for an unknown contact.\n\n", sample)
	p("| status | when |\n| --- | --- |\n")
	for _, row := range [][2]string{
		{"400", "invalid fields: every one is listed, with its JSON Pointer and code"},
		{"401", "no key, or an unknown one"},
		{"403", "the key may only read"},
		{"404", "no such contact, or no such route"},
		{"405", "another method than GET or PATCH"},
		{"409", "a unique value another contact holds"},
		{"412", "`If-Match` names another version"},
		{"413", fmt.Sprintf("a body over %d bytes", s.Limits.Body)},
		{"415", "not `application/json` or `application/merge-patch+json` in UTF-8, or a content coding"},
		{"429", "too many requests, or too many failed authentications (`Retry-After`)"},
	} {
		p("| %s | %s |\n", row[0], row[1])
	}
	p("\nField codes: `invalid_type`, `unknown_field`, `duplicate_key`, `not_nullable`, `read_only`, `invalid_format`, `invalid_character`, `invalid_enum`, `too_long`, `too_many`, `too_deep`, `too_large`, `malformed_json`, `invalid_utf8`, `required`.\n")
	for _, e := range examples {
		p("\n## Example: %s\n\n```\nPATCH %s\n%s\n```\n\n`%d`:\n\n```json\n%s\n```\n", e.Summary, api.Paths[0], e.Request, e.Status, e.Response)
	}
	return []byte(b.String())
}

func viewRows(p func(string, ...any), fields []cp.ViewField, prefix string) {
	for _, vf := range fields {
		what := ""
		switch {
		case vf.Nested != nil:
			what = "an object of the keys below"
			if vf.Strings {
				what += ", every value a string"
			}
		case vf.Literal != "":
			what = "always `" + vf.Literal + "`"
		case vf.State == cp.StateArchived:
			what = "whether the contact is archived"
		case vf.State == cp.StateArchivedAt:
			what = "when the contact was archived; left out for a live one"
		case vf.Extension != "":
			what = "the field `" + vf.Extension + "`"
		default:
			what = "the contact's " + strings.ReplaceAll(vf.Field.String(), "_", " ")
		}
		p("| `%s%s` | %s |\n", prefix, vf.Name, what)
		if vf.Nested != nil {
			viewRows(p, vf.Nested, prefix+vf.Name+".")
		}
	}
}

func typeName(spec cp.FieldSpec) string {
	if len(spec.Policy.Values()) > 0 {
		return "string (enumeration)"
	}
	switch spec.ValueKind() {
	case cp.KindStrings:
		return "array of strings"
	case cp.KindJSON:
		if spec.Field != 0 {
			return "object"
		}
		return "any JSON value"
	case cp.KindDateTime:
		return "string (date-time)"
	case cp.KindDate:
		return "string (date)"
	}
	return spec.ValueKind().String()
}

func param(path string) string {
	open := strings.Index(path, "{")
	end := strings.Index(path, "}")
	return path[open+1 : end]
}

func codeList(keys []string) string {
	var out []string
	for _, k := range keys {
		out = append(out, "`"+k+"`")
	}
	return strings.Join(out, ", ")
}
