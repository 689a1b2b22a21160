package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"slices"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/contactpatch/contactpatch/profiles"
)

// fuzzProfiles are the profiles every fuzz target picks from.
var fuzzProfiles = []*cp.Profile{cp.Default(), profiles.Leadlex(), profiles.Gomry(), profiles.Callaidan(), conformance.SmallLimits}

// addSeeds adds every body of the conformance cases and the hostile
// shapes (those under 64 KiB, so that mutation stays fast).
func addSeeds(f *testing.F, add func(body []byte)) {
	for _, file := range conformance.Files(".") {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var cases []conformance.Case
		if json.Unmarshal(data, &cases) != nil {
			var c conformance.Case
			if json.Unmarshal(data, &c) != nil {
				f.Fatalf("%s: not a case file", file)
			}
			cases = []conformance.Case{c}
		}
		for _, c := range cases {
			if body := conformance.Body(c); body != nil {
				add(body)
			}
		}
	}
	for _, h := range hostileBodies() {
		if len(h.body) < 64<<10 {
			add(h.body)
		}
	}
}

// checkTyped fails unless err is one of the package's typed errors, with
// a code and a message for every field.
func checkTyped(t *testing.T, err error) {
	var ve *cp.ValidationError
	var ce *cp.ConflictError
	var se cp.StatusError
	switch {
	case errors.As(err, &ve):
		if len(ve.Fields) == 0 {
			t.Fatal("a ValidationError with no fields")
		}
		for _, f := range ve.Fields {
			if f.Code == "" || f.Message == "" {
				t.Fatalf("field error without code or message: %+v", f)
			}
		}
	case errors.As(err, &ce), errors.As(err, &se):
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if cp.HTTPStatus(err) >= 500 {
		t.Fatalf("a client error rendered as %d: %v", cp.HTTPStatus(err), err)
	}
}

// FuzzDecode: any bytes under any profile give a Patch or a typed error,
// never a panic; what Decode accepts is valid JSON; decoding is
// deterministic.
func FuzzDecode(f *testing.F) {
	addSeeds(f, func(body []byte) { f.Add(uint8(0), body) })
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		prof := fuzzProfiles[int(which)%len(fuzzProfiles)]
		p, err := prof.Decode(body)
		if err != nil {
			checkTyped(t, err)
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted a body encoding/json calls invalid: %q", body)
		}
		again, _ := prof.Decode(body)
		if !reflect.DeepEqual(p, again) {
			t.Fatal("two decodes of one body differ")
		}
	})
}

// FuzzApplyJSON: any bytes on a stored contact give a result or a typed
// error. On error the stored contact is deep-equal to before; on success
// only fields the body names change (and the name parts a parsed
// full_name implies), and Changes lists exactly the fields that changed.
func FuzzApplyJSON(f *testing.F) {
	addSeeds(f, func(body []byte) { f.Add(uint8(0), body) })
	opts := cp.Options{CustomFields: []string{"plan", "seats"}, Now: fixedClock,
		EmailOwner: func(_ context.Context, email string) (string, error) {
			if email == "taken@example.com" {
				return "other", nil
			}
			return "", nil
		}}
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		prof := fuzzProfiles[int(which)%len(fuzzProfiles)]
		stored := sampleContact()
		res, err := prof.ApplyJSON(context.Background(), stored, body, opts)
		if !reflect.DeepEqual(stored, sampleContact()) {
			t.Fatal("R2: the stored contact changed")
		}
		if err != nil {
			checkTyped(t, err)
			return
		}
		var sent map[string]json.RawMessage
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatalf("applied a body that is not a JSON object: %v", err)
		}
		checkOnlySentChanged(t, stored, &res, sent)
	})
}

// checkOnlySentChanged verifies that res changed only what the body sent and that
// Changes reports exactly what changed.
func checkOnlySentChanged(t *testing.T, stored cp.Contact, res *cp.Result, sent map[string]json.RawMessage) {
	differ := differingFields(stored, res.Contact)
	var names []string
	for _, ch := range res.Changes() {
		names = append(names, ch.Field.String())
		if _, ok := sent[ch.Name]; !ok && !isNamePart(ch.Field) {
			t.Fatalf("%s changed but the body did not send it", ch.Name)
		}
	}
	slices.Sort(names)
	if !slices.Equal(differ, names) {
		t.Fatalf("Changes lists %v, the contacts differ in %v", names, differ)
	}
	if res.Changed() != (len(differ) > 0) {
		t.Fatalf("Changed() = %t with %d differing fields", res.Changed(), len(differ))
	}
}

func isNamePart(f cp.Field) bool {
	return f == cp.FieldFullName || f == cp.FieldFirstName || f == cp.FieldLastName ||
		f == cp.FieldMiddleName || f == cp.FieldNameTitle || f == cp.FieldNameSuffix || f == cp.FieldNickname
}

// differingFields compares two contacts field by field in their canonical
// JSON, taking an absent field as null, and ignoring the bookkeeping
// fields every change moves.
func differingFields(a, b cp.Contact) []string {
	fieldsOf := func(c cp.Contact) map[string]string {
		data, _ := json.Marshal(c)
		var m map[string]json.RawMessage
		_ = json.Unmarshal(data, &m)
		out := map[string]string{}
		for k, v := range m {
			s := string(v)
			if s == "[]" || s == "{}" {
				s = "null" // no tags and no custom fields read alike
			}
			out[k] = s
		}
		return out
	}
	am, bm := fieldsOf(a), fieldsOf(b)
	var out []string
	for f := cp.FieldID; f.String() != "invalid_field"; f++ {
		name := f.String()
		if name == "updated_at" {
			continue
		}
		av, bv := am[name], bm[name]
		if av == "" {
			av = "null"
		}
		if bv == "" {
			bv = "null"
		}
		if av != bv {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// FuzzHubSpot: any body under the HubSpot profile (an envelope,
// extension fields of every kind, string forms) gives a result or a
// typed client error, and never changes the stored contact on error. On
// success only the properties sent change; applying the same body again
// changes nothing (H1: values overwrite); and the response, every value a
// string, reads back to the same values (H6).
func FuzzHubSpot(f *testing.F) {
	addSeeds(f, func(body []byte) { f.Add(body) })
	prof := profiles.HubSpot()
	stored := func() cp.Contact {
		return cp.Contact{ID: "101", FirstName: cp.Value("Ana"), Email: cp.Value("ana@example.com"),
			Extensions: map[string]json.RawMessage{"lifecyclestage": json.RawMessage(`"lead"`), "seat_count": json.RawMessage(`25`),
				"product_interests": json.RawMessage(`["crm"]`), "integration_metadata": json.RawMessage(`"x"`)},
			CreatedAt: time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC), Version: 3}
	}
	opts := cp.Options{Now: fixedClock}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := stored()
		res, err := prof.ApplyJSON(context.Background(), before, body, opts)
		if !reflect.DeepEqual(before, stored()) {
			t.Fatal("R2: the stored contact changed")
		}
		if err != nil {
			checkTyped(t, err)
			return
		}
		var sent struct{ Properties map[string]json.RawMessage }
		if err := json.Unmarshal(body, &sent); err != nil {
			t.Fatalf("applied a body without a properties object: %v", err)
		}
		for _, ch := range res.Changes() {
			if _, ok := sent.Properties[ch.Name]; !ok {
				t.Fatalf("%s changed but the body did not send it", ch.Name)
			}
		}
		again, err := prof.ApplyJSON(context.Background(), res.Contact, body, opts)
		if err != nil || again.Changed() {
			t.Fatalf("the same body applied twice changed %v (%v)", again.Changes(), err)
		}
		out, err := prof.Render(res.Contact)
		if err != nil {
			t.Fatal(err)
		}
		back, err := prof.ParseContact(out)
		if err != nil {
			t.Fatalf("the response does not read back: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back.Extensions, res.Contact.Extensions) && (len(back.Extensions) > 0 || len(res.Contact.Extensions) > 0) {
			t.Fatalf("extensions read back as %s, stored %s", jsonOfMap(back.Extensions), jsonOfMap(res.Contact.Extensions))
		}
	})
}

func jsonOfMap(m map[string]json.RawMessage) string {
	b, _ := json.Marshal(m)
	return string(b)
}
