package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/conformance"
)

// Every kind reads back, as its Go type, what Apply stored from a body,
// and what SetExtension stores reads back the same.
func TestExtensionValuesRoundTrip(t *testing.T) {
	prof := conformance.Extensions
	body := `{"plan": "pro", "seats": 12.5, "beta": true, "renewal": "2027-03-01",
		"last_seen": "2026-02-24T17:00:00.25+02:00", "interests": ["crm", "billing"], "meta": {"a": [1, 2]}}`
	res, err := prof.ApplyJSON(context.Background(), cp.Contact{ID: "c1"}, []byte(body), cp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Contact
	check := func(name string, got any, err error, want any) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", name, err)
		} else if g, _ := json.Marshal(got); string(g) != mustJSON(t, want) {
			t.Errorf("%s = %s, want %s", name, g, mustJSON(t, want))
		}
	}
	plan, err := cp.GetExtension[string](prof, c, "plan")
	check("plan", plan.Or("?"), err, "pro")
	seats, err := cp.GetExtension[float64](prof, c, "seats")
	check("seats", seats.Or(0), err, 12.5)
	beta, err := cp.GetExtension[bool](prof, c, "beta")
	check("beta", beta.Or(false), err, true)
	renewal, err := cp.GetExtension[time.Time](prof, c, "renewal")
	check("renewal", renewal.Or(time.Time{}), err, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	seen, err := cp.GetExtension[time.Time](prof, c, "last_seen")
	check("last_seen", seen.Or(time.Time{}), err, time.Date(2026, 2, 24, 15, 0, 0, 250e6, time.UTC))
	interests, err := cp.GetExtension[[]string](prof, c, "interests")
	check("interests", interests.Or(nil), err, []string{"crm", "billing"})
	meta, err := cp.GetExtension[json.RawMessage](prof, c, "meta")
	check("meta", meta.Or(nil), err, json.RawMessage(`{"a":[1,2]}`))
	if vat, err := cp.GetExtension[string](prof, c, "vat_id"); err != nil || !vat.IsOmitted() {
		t.Errorf("a field with no value: %v, %v; want the zero Optional", vat, err)
	}

	var d cp.Contact
	set := func(err error) {
		t.Helper()
		if err != nil {
			t.Error(err)
		}
	}
	set(cp.SetExtension(prof, &d, "plan", plan))
	set(cp.SetExtension(prof, &d, "seats", seats))
	set(cp.SetExtension(prof, &d, "beta", beta))
	set(cp.SetExtension(prof, &d, "renewal", renewal))
	set(cp.SetExtension(prof, &d, "last_seen", cp.Value(seen.Or(time.Time{}).In(time.FixedZone("x", 7200)))))
	set(cp.SetExtension(prof, &d, "interests", cp.Value([]string{"crm", "billing", "crm"})))
	set(cp.SetExtension(prof, &d, "meta", cp.Value(json.RawMessage(` {"a": [1, 2]} `))))
	if got, want := mustJSON(t, d.Extensions), mustJSON(t, c.Extensions); got != want {
		t.Errorf("set: %s\nwant the form Apply stores: %s", got, want)
	}
}

func TestExtensionAccessErrors(t *testing.T) {
	prof := conformance.Extensions
	c := cp.Contact{Extensions: map[string]json.RawMessage{"seats": json.RawMessage(`"twelve"`)}}
	for name, err := range map[string]error{
		"unknown field":    func() error { _, err := cp.GetExtension[string](prof, c, "nope"); return err }(),
		"canonical field":  func() error { _, err := cp.GetExtension[string](prof, c, "email"); return err }(),
		"wrong type":       func() error { _, err := cp.GetExtension[string](prof, c, "seats"); return err }(),
		"bad stored value": func() error { _, err := cp.GetExtension[float64](prof, c, "seats"); return err }(),
		"set wrong type":   cp.SetExtension(prof, &c, "beta", cp.Value("yes")),
		"set NaN":          cp.SetExtension(prof, &c, "seats", cp.Value(math.NaN())),
		"set bad JSON":     cp.SetExtension(prof, &c, "meta", cp.Value(json.RawMessage(`{"a":}`))),
		"set two values":   cp.SetExtension(prof, &c, "meta", cp.Value(json.RawMessage(`1 2`))),
		"set nothing":      cp.SetExtension(prof, &c, "meta", cp.Value(json.RawMessage(``))),
	} {
		var ee *cp.ExtensionError
		if !errors.As(err, &ee) {
			t.Errorf("%s: %v, want an *ExtensionError", name, err)
		}
	}
	if string(c.Extensions["seats"]) != `"twelve"` || len(c.Extensions) != 1 {
		t.Errorf("a refused set changed the contact: %s", c.Extensions)
	}
}

// SetExtension gives the contact a map of its own.
func TestSetExtensionLeavesCopiesAlone(t *testing.T) {
	prof := conformance.Extensions
	a := cp.Contact{Extensions: map[string]json.RawMessage{"seats": json.RawMessage(`1`)}}
	b := a
	if err := cp.SetExtension(prof, &b, "seats", cp.Value(2.0)); err != nil {
		t.Fatal(err)
	}
	if err := cp.SetExtension(prof, &b, "plan", cp.Optional[string]{}); err != nil {
		t.Fatal(err)
	}
	if string(a.Extensions["seats"]) != "1" || string(b.Extensions["seats"]) != "2" {
		t.Errorf("a = %s, b = %s", a.Extensions, b.Extensions)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
