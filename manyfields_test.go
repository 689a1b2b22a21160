package contactpatch_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/openapi"
)

// A profile may have as many extension fields as its limits allow: 300,
// of every kind, decode, apply, list their changes, render and export.
func TestThreeHundredExtensionFields(t *testing.T) {
	kinds := []cp.Kind{cp.KindText, cp.KindNumber, cp.KindBool, cp.KindDate, cp.KindDateTime, cp.KindStrings, cp.KindJSON}
	values := map[cp.Kind]string{
		cp.KindText: `"t"`, cp.KindNumber: `2.5`, cp.KindBool: `true`, cp.KindDate: `"2026-03-01"`,
		cp.KindDateTime: `"2026-03-01T10:00:00Z"`, cp.KindStrings: `["a","b"]`, cp.KindJSON: `{"k":1}`,
	}
	schema := cp.Schema{Name: "wide", Fields: []cp.FieldSpec{{Name: "id", Field: cp.FieldID, ReadOnly: true}},
		Limits: cp.Limits{Keys: 512}}
	var body strings.Builder
	body.WriteString("{")
	for i := range 300 {
		k := kinds[i%len(kinds)]
		name := fmt.Sprintf("x%03d", i)
		schema.Fields = append(schema.Fields, cp.FieldSpec{Name: name, Kind: k, Nullable: true})
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, "%q:%s", name, values[k])
	}
	body.WriteString("}")
	prof, err := cp.NewProfile(schema)
	if err != nil {
		t.Fatal(err)
	}

	res, err := prof.ApplyJSON(context.Background(), cp.Contact{ID: "c1"}, []byte(body.String()), cp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changes := res.Changes()
	if len(changes) != 300 || changes[299].Name != "x299" || len(res.Contact.Extensions) != 300 {
		t.Fatalf("%d changes (last %v), %d extensions stored; want 300", len(changes), changes[len(changes)-1], len(res.Contact.Extensions))
	}
	out, err := prof.Render(res.Contact)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"x293":{"k":1}`) || !strings.Contains(string(out), `"x294":"t"`) {
		t.Errorf("render lacks the last fields: %.200s...", out)
	}

	// The 294th field alone: the set of changes past the first word holds
	// exactly what changed.
	again, err := prof.ApplyJSON(context.Background(), res.Contact, []byte(`{"x293": {"k":2}, "x001": 2.50}`), cp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ch := again.Changes(); len(ch) != 1 || ch[0].Name != "x293" {
		t.Errorf("changes = %v, want x293 alone", ch)
	}

	props, _ := openapi.BodySchema(prof)["properties"].(map[string]any)
	if len(props) != 301 {
		t.Errorf("the body schema has %d properties, want 301", len(props))
	}
}
