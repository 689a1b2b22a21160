package contactpatch

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"
)

// sample sets field f of c and p to a value of its kind, through the
// generated accessors, and returns the value's JSON text.
func sample(f Field, c *Contact, p *Patch) string {
	at := time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC)
	switch f.kind() {
	case kindText:
		*c.text(f), *p.text(f) = Value("v"), Value("v")
		return `"v"`
	case kindID:
		*c.idField(f), *p.idField(f) = "v", Value("v")
		return `"v"`
	case kindTags:
		*c.tagsField(f), *p.tagsField(f) = []string{"v"}, Value([]string{"v"})
		return `["v"]`
	case kindBool:
		*c.boolField(f), *p.boolField(f) = true, Value(true)
		return `true`
	case kindCustom:
		m := map[string]json.RawMessage{"k": json.RawMessage(`1`)}
		*c.customField(f), *p.customField(f) = m, Value(m)
		return `{"k":1}`
	case kindTime:
		*c.timeField(f), *p.timeField(f) = at, Value(at)
		return `"2026-02-24T15:00:00Z"`
	}
	panic("no sample for " + f.String())
}

// validSamples are values the default profile's policies accept, for the
// fields where "v" is not one.
var validSamples = map[Field]string{
	FieldEmail: `"v@example.com"`, FieldPhone: `"+14155552671"`, FieldLinkedIn: `"https://example.com"`,
	FieldWebsite: `"https://example.com"`, FieldProfilePictureURL: `"https://example.com/p.png"`,
	FieldStatus: `"active"`, FieldLeadSource: `"api"`,
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// changedKeys returns the keys whose JSON differs between a and b.
func changedKeys(t *testing.T, a, b any) []string {
	t.Helper()
	var ma, mb map[string]json.RawMessage
	for _, x := range []struct {
		v any
		m *map[string]json.RawMessage
	}{{a, &ma}, {b, &mb}} {
		raw, err := json.Marshal(x.v)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, x.m); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	for k := range maps.Keys(mb) {
		if string(ma[k]) != string(mb[k]) {
			keys = append(keys, k)
		}
	}
	for k := range maps.Keys(ma) {
		if _, ok := mb[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Every Field reaches its own place through every accessor and every kind
// switch: the generated code, the decoder, Apply, Render and ParseContact.
// A field that one of them missed would read or write another field, or
// panic, and fail here.
func TestEveryFieldReachesItsOwnPlace(t *testing.T) {
	prof := Default()
	for f := FieldID; f < numFields; f++ {
		name := f.String()
		var c Contact
		var p Patch
		raw := sample(f, &c, &p)
		if got := changedKeys(t, Contact{}, c); !slices.Equal(got, []string{name}) {
			t.Errorf("%s: Contact accessor wrote %v", name, got)
		}
		if got := changedKeys(t, Patch{}, p); !slices.Equal(got, []string{name}) {
			t.Errorf("%s: Patch accessor wrote %v", name, got)
		}
		if p.sent() != 1<<f {
			t.Errorf("%s: sent() = %b", name, p.sent())
		}
		if v, _ := json.Marshal(c.value(f)); string(v) != raw {
			t.Errorf("%s: value() = %s, want %s", name, v, raw)
		}
		var np Patch
		sample(f, &Contact{}, &np)
		if np.isNull(f) {
			t.Errorf("%s: isNull on a value", name)
		}

		// The decoder binds the key to the field and nothing else.
		decoded, err := prof.Decode([]byte(`{"` + name + `":` + raw + `}`))
		if err != nil || decoded.sent() != 1<<f {
			t.Errorf("%s: decode gave %b, %v", name, decoded.sent(), err)
		}
		// Render and ParseContact carry the field alone, both ways.
		out, err := prof.Render(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := prof.ParseContact(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		again, _ := prof.Render(back)
		if string(again) != string(out) {
			t.Errorf("%s: rendered %s, then %s after parsing", name, out, again)
		}
		if a, b := jsonText(t, c.value(f)), jsonText(t, back.value(f)); a != b {
			t.Errorf("%s: parsed %s, want %s", name, b, a)
		}
		// Apply changes the field alone (a full name sets its parts), or
		// accepts the stored value echoed back for a read-only one.
		sent := raw
		if v, ok := validSamples[f]; ok {
			sent = v
		}
		res, err := prof.ApplyJSON(context.Background(), Contact{}, []byte(`{"`+name+`":`+sent+`}`), Options{CustomFields: []string{"k"}})
		spec := prof.spec(f)
		switch {
		case spec.ReadOnly:
			if _, err := prof.ApplyJSON(context.Background(), c, []byte(`{"`+name+`":`+raw+`}`), Options{}); err != nil {
				t.Errorf("%s: echo of the stored value refused: %v", name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		case !res.changed.has(f):
			t.Errorf("%s: Apply changed %b", name, res.changed)
		}
	}
}
