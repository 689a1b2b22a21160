package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
)

// fixedClock makes the examples' timestamps repeatable.
func fixedClock() time.Time { return time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC) }

func ExampleOptional() {
	var omitted cp.Optional[string] // the zero value: leave the field alone
	cleared := cp.Null[string]()    // clear the field
	set := cp.Value("CTO")          // set the field

	for _, o := range []cp.Optional[string]{omitted, cleared, set} {
		v, ok := o.Get()
		fmt.Printf("omitted=%t null=%t value=%q ok=%t\n", o.IsOmitted(), o.IsNull(), v, ok)
	}
	fmt.Println(set == cp.Value("CTO"), cleared == cp.Null[string]())
	// Output:
	// omitted=true null=false value="" ok=false
	// omitted=false null=true value="" ok=false
	// omitted=false null=false value="CTO" ok=true
	// true true
}

func ExampleOptional_json() {
	type body struct {
		JobTitle cp.Optional[string] `json:"job_title,omitzero"`
		Company  cp.Optional[string] `json:"company,omitzero"`
		Location cp.Optional[string] `json:"location,omitzero"`
	}
	var b body
	_ = json.Unmarshal([]byte(`{"job_title": "CTO", "company": null}`), &b)
	fmt.Println(b.JobTitle, b.Company, b.Location)

	out, _ := json.Marshal(b) // the omitted field stays out, the null stays in
	fmt.Println(string(out))
	// Output:
	// CTO null omitted
	// {"job_title":"CTO","company":null}
}

// A PATCH handler's core: apply the body to the stored contact, then
// persist and render, or render the typed error.
func ExampleProfile_ApplyJSON() {
	stored := cp.Contact{
		ID:       "123e4567-e89b-12d3-a456-426614174000",
		FullName: cp.Value("Jane Doe"),
		JobTitle: cp.Value("General Counsel"),
		Notes:    cp.Value("Met at conference."),
	}
	body := []byte(`{"job_title": "Chief Legal Officer", "notes": "Promoted to CLO in Q1 2026"}`)

	res, err := profiles.Leadlex().ApplyJSON(context.Background(), stored, body, cp.Options{Now: fixedClock})
	if err != nil {
		fmt.Println(cp.HTTPStatus(err), string(cp.ErrorJSON(err)))
		return
	}
	for _, ch := range res.Changes() {
		fmt.Printf("%s: %q -> %q\n", ch.Name, ch.Old, ch.New)
	}
	out, _ := profiles.Leadlex().Render(res.Contact)
	fmt.Println(string(out))
	// Output:
	// job_title: "General Counsel" -> "Chief Legal Officer"
	// notes: "Met at conference." -> "Met at conference.\nPromoted to CLO in Q1 2026"
	// {"data":{"id":"123e4567-e89b-12d3-a456-426614174000","full_name":"Jane Doe","job_title":"Chief Legal Officer","notes":"Met at conference.\nPromoted to CLO in Q1 2026","updated_date":"2026-02-24T15:00:00Z"}}
}

func ExampleProfile_ApplyJSON_validationError() {
	body := []byte(`{"email": "jane-at-example.com", "phone": "555-9999"}`)
	_, err := profiles.Leadlex().ApplyJSON(context.Background(), cp.Contact{ID: "c1"}, body, cp.Options{})

	var ve *cp.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Code)
		}
	}
	fmt.Println(errors.Is(err, cp.ErrValidation), cp.HTTPStatus(err))
	fmt.Println(string(cp.ErrorJSON(err)))
	// Output:
	// email invalid_format
	// phone invalid_format
	// true 400
	// {"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"email":"Invalid email format","phone":"Invalid phone format: use + and the country code"}}}}
}

func ExampleProfile_Decode() {
	patch, err := cp.Default().Decode([]byte(`{"job_title": null, "tags": ["vip"]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(patch.JobTitle.IsNull(), patch.Tags, patch.Company.IsOmitted())

	// Every problem carries its exact place as a JSON Pointer, however
	// deep it is.
	_, err = cp.Default().Decode([]byte(`{"job_title": "CTO", "job_title": "CEO",
		"custom_fields": {"plan": {"q": [{"z": 1, "z": 2}]}}}`))
	var ve *cp.ValidationError
	if errors.As(err, &ve) {
		for _, f := range ve.Fields {
			fmt.Println(f.Field, f.Pointer, f.Code)
		}
	}
	// Output:
	// true [vip] true
	// job_title /job_title duplicate_key
	// custom_fields /custom_fields/plan/q/0/z duplicate_key
}

// Go code can build a Patch directly; Apply checks it like a decoded one.
func ExampleProfile_Apply() {
	stored := cp.Contact{ID: "c1", FullName: cp.Value("Jane Doe"), Tags: []string{"lead"}}
	patch := cp.Patch{
		FullName: cp.Value("Dr. Jane van Dyke"),
		Tags:     cp.Value([]string{"customer", "vip", "customer"}),
	}
	res, err := cp.Default().Apply(context.Background(), stored, patch, cp.Options{Now: fixedClock})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Contact
	fmt.Println(c.FirstName, "|", c.LastName, "|", c.Tags, "|", c.Version)
	for _, w := range res.Warnings {
		fmt.Println(w.Field, w.Code)
	}
	// Output:
	// Jane | van Dyke | [customer vip] | 1
	// tags deduplicated
}

func ExampleProfile_Render() {
	c := cp.Contact{
		ID:         "3c90c3cc-0d44-4b50-8888-8dd25736052a",
		FullName:   cp.Value("Jane Doe"),
		Email:      cp.Null[string](),
		Tags:       []string{"vip"},
		LeadSource: cp.Value("api"),
		CreatedAt:  time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC),
	}
	out, _ := profiles.Callaidan().Render(c)
	fmt.Println(string(out))
	// Output:
	// {"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","name":"Jane Doe","email":null,"phone":null,"business_name":null,"notes":null,"tags":["vip"],"lead_source":"api","is_dnd":false,"profile_picture_url":null,"last_activity":null,"created_at":"2023-11-07T05:31:56Z"}
}

// A profile for an API of your own: wire names, nullability, policies.
func ExampleNewProfile() {
	prof, err := cp.NewProfile(cp.Schema{
		Name: "crm",
		Fields: []cp.FieldSpec{
			{Name: "name", Field: cp.FieldFullName, Policy: cp.ParseName()},
			{Name: "mobile", Field: cp.FieldPhone, Policy: cp.PhoneE164("GB")},
			{Name: "stage", Field: cp.FieldStatus, Policy: cp.OneOfOr("lead", "lead", "customer")},
			{Name: "memo", Field: cp.FieldNotes, Policy: cp.Append("\n---\n")},
		},
		UnknownKeys: cp.IgnoreUnknown,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := prof.ApplyJSON(context.Background(), cp.Contact{Notes: cp.Value("first")},
		[]byte(`{"name": "Ada Lovelace", "mobile": "020 7946 0958", "stage": "won", "memo": "second", "x": 1}`),
		cp.Options{Now: fixedClock})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.Contact
	fmt.Println(c.FirstName, c.LastName, c.Phone, c.Status)
	fmt.Printf("%q\n", c.Notes.Or(""))
	for _, w := range res.Warnings {
		fmt.Println(w.Field, w.Code)
	}
	// Output:
	// Ada Lovelace +442079460958 lead
	// "first\n---\nsecond"
	// stage coerced
	// x ignored
}

// A GET whose If-Match no longer holds is answered 412, as a PATCH is:
// strong comparison, so a weak tag never matches.
func ExampleMatchesIfMatch() {
	c := cp.Contact{ID: "c1", Version: 3}
	fmt.Println(cp.MatchesIfMatch(`"v3"`, c), cp.MatchesIfMatch(`W/"v3"`, c), cp.MatchesIfMatch(`"v2", *`, c))
	// Output:
	// true false false
}

// Hosts return the package's errors, or StatusErrors of their own, from
// their own checks, so that one renderer serves every error.
func ExampleErrorJSON() {
	quota := cp.NewStatusError(429, "rate_limited", "Rate limit exceeded")
	for _, err := range []error{cp.ErrNotFound, fmt.Errorf("lookup: %w", quota), errors.New("db down")} {
		fmt.Println(cp.HTTPStatus(err), string(cp.ErrorJSON(err)))
	}
	// Output:
	// 404 {"error":{"code":"not_found","message":"Contact not found"}}
	// 429 {"error":{"code":"rate_limited","message":"Rate limit exceeded"}}
	// 500 {"error":{"code":"internal_error","message":"Internal error"}}
}

// ETag and Options.IfMatch refuse a write based on a stale read.
func ExampleETag() {
	stored := cp.Contact{ID: "c1", Version: 4}
	fmt.Println(cp.ETag(stored))

	_, err := cp.Default().ApplyJSON(context.Background(), stored, []byte(`{"job_title": "CTO"}`), cp.Options{IfMatch: `"v3"`})
	fmt.Println(errors.Is(err, cp.ErrPreconditionFailed), cp.HTTPStatus(err))
	// Output:
	// "v4"
	// true 412
}

func ExampleResult_Changed() {
	stored := cp.Contact{ID: "c1", Email: cp.Value("jane@example.com"), Version: 2}
	res, _ := cp.Default().ApplyJSON(context.Background(), stored, []byte(`{"email": "JANE@example.com"}`), cp.Options{})
	fmt.Println(res.Changed(), res.Contact.Version) // nothing to write
	// Output:
	// false 2
}

// An extension field holds what the canonical Contact has no field for;
// its value is kept as compact JSON in Contact.Extensions.
func ExampleKind() {
	prof := cp.MustProfile(cp.Schema{
		Name: "crm",
		Fields: []cp.FieldSpec{
			{Name: "email", Field: cp.FieldEmail, Policy: cp.Email()},
			{Name: "stage", Kind: cp.KindText, Policy: cp.OneOf("lead", "customer")},
			{Name: "seats", Kind: cp.KindNumber, Nullable: true},
			{Name: "renewal", Kind: cp.KindDate, Nullable: true},
		},
	})
	res, err := prof.ApplyJSON(context.Background(), cp.Contact{ID: "c1"},
		[]byte(`{"stage": "customer", "seats": 12, "renewal": "2027-01-31"}`), cp.Options{})
	if err != nil {
		panic(err)
	}
	for _, ch := range res.Changes() {
		fmt.Printf("%s: %s\n", ch.Name, ch.New)
	}
	out, _ := prof.Render(res.Contact)
	fmt.Println(string(out))
	// Output:
	// stage: "customer"
	// seats: 12
	// renewal: "2027-01-31"
	// {"email":null,"stage":"customer","seats":12,"renewal":"2027-01-31"}
}

// A Rule is a check of the host's own; its refusal joins the field errors.
func ExampleRefuse() {
	prof := cp.MustProfile(cp.Schema{
		Name: "crm",
		Fields: []cp.FieldSpec{{Name: "company", Field: cp.FieldCompany,
			Rule: func(_ context.Context, v string) (string, error) {
				if strings.EqualFold(v, "Competitor Inc") {
					return "", cp.Refuse("blocked_company", "We cannot store this company")
				}
				return v, nil
			}}},
	})
	_, err := prof.ApplyJSON(context.Background(), cp.Contact{ID: "c1"}, []byte(`{"company": "competitor inc"}`), cp.Options{})
	fmt.Println(err)
	// Output:
	// contactpatch: invalid request: /company: We cannot store this company (blocked_company)
}

// A profile renders its errors in its own view: RFC 9457 problem
// details unless it names another, such as L's envelope.
func ExampleProfile_RenderError() {
	_, err := cp.Default().ApplyJSON(context.Background(), cp.Contact{ID: "c1"}, []byte(`{"status": "gone"}`), cp.Options{})
	ct, body := cp.Default().RenderError(cp.ProblemOf(err))
	fmt.Println(ct)
	fmt.Println(string(body))
	_, body = profiles.Leadlex().RenderError(cp.ProblemOf(cp.ErrNotFound))
	fmt.Println(string(body))
	// Output:
	// application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"Invalid request parameters","code":"validation_error","errors":[{"pointer":"/status","field":"status","code":"invalid_enum","detail":"Must be one of: active, inactive","allowed":["active","inactive"]}]}
	// {"error":{"code":"not_found","message":"Contact not found"}}
}

// Schema reads a compiled profile back: every field with its policy and
// parameters, limits with their defaults, the view and the envelope.
func ExampleProfile_Schema() {
	s := profiles.Gomry().Schema()
	for _, spec := range s.Fields[:3] {
		fmt.Println(spec.Name, spec.ValueKind(), spec.Policy.Name(), spec.Nullable, spec.ReadOnly, spec.MaxLen)
	}
	status := s.Fields[len(s.Fields)-3]
	fmt.Println(status.Name, status.Policy.Values(), s.Limits.Body, s.View.Envelope)
	// Output:
	// id text plain false true 0
	// email text email false false 254
	// phone_number text phone_lenient false false 256
	// status [active inactive] 1048576 data
}

// A host maps a contact onto its own type with typed access to the
// extension values, and back; the wrong Go type is a clear error.
func ExampleGetExtension() {
	prof := cp.MustProfile(cp.Schema{Name: "accounts", Fields: []cp.FieldSpec{
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email()},
		{Name: "seats", Kind: cp.KindNumber, Nullable: true},
		{Name: "renewal", Kind: cp.KindDate, Nullable: true},
		{Name: "interests", Kind: cp.KindStrings, Nullable: true},
	}})
	res, _ := prof.ApplyJSON(context.Background(), cp.Contact{ID: "c1"},
		[]byte(`{"email": "ada@example.com", "seats": 12, "renewal": "2027-03-01", "interests": ["crm", "billing"]}`), cp.Options{})

	type account struct {
		Email     string
		Seats     float64
		Renewal   time.Time
		Interests []string
	}
	seats, _ := cp.GetExtension[float64](prof, res.Contact, "seats")
	renewal, _ := cp.GetExtension[time.Time](prof, res.Contact, "renewal")
	interests, _ := cp.GetExtension[[]string](prof, res.Contact, "interests")
	a := account{Email: res.Contact.Email.Or(""), Seats: seats.Or(0), Renewal: renewal.Or(time.Time{}), Interests: interests.Or(nil)}
	fmt.Printf("%s %g %s %q\n", a.Email, a.Seats, a.Renewal.Format(time.DateOnly), a.Interests)

	_, err := cp.GetExtension[string](prof, res.Contact, "seats")
	fmt.Println(err)

	c := res.Contact
	_ = cp.SetExtension(prof, &c, "seats", cp.Value(a.Seats+1))
	_ = cp.SetExtension(prof, &c, "renewal", cp.Null[time.Time]())
	fmt.Println(string(c.Extensions["seats"]), len(c.Extensions), len(res.Contact.Extensions))
	// Output:
	// ada@example.com 12 2027-03-01 ["crm" "billing"]
	// contactpatch: extension "seats": a number field is a float64, not a string
	// 13 2 3
}

// Every committed change is an event in the store's feed, with each
// changed field's old and new value; a patch that changes nothing is
// none.
func ExampleFeed() {
	ctx, store, prof := context.Background(), new(cp.MemoryStore), cp.Default()
	prof.Insert(ctx, store, cp.DefaultTenant, cp.Contact{ID: "c1", JobTitle: cp.Value("Engineer"), Version: 1})
	for range 2 {
		prof.Update(ctx, store, cp.DefaultTenant, "c1", []byte(`{"job_title": "Counsel"}`), cp.Options{RequestID: "req-1"})
	}
	evs, _ := store.History(ctx, cp.DefaultTenant, "c1")
	for _, ev := range evs {
		for _, ch := range ev.Changes {
			fmt.Println(ev.Type, ev.Version, ev.RequestID, ch.Name, string(ch.Old), "->", string(ch.New))
		}
	}
	// Output: contact.updated 2 req-1 job_title "Engineer" -> "Counsel"
}
