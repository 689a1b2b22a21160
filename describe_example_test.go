package contactpatch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
)

// A fifth, made-up API: PATCH /people/{id} with {"person": {...}}, a
// stage enumeration and a score the canonical Contact has no field for,
// and errors as RFC 9457 problem details, the default.
func Example_describeYourOwnAPI() {
	// describe:start
	orbit := cp.MustProfile(cp.Schema{
		Name:     "orbit",
		Envelope: "person", // bodies are {"person": {...}}
		Fields: []cp.FieldSpec{
			{Name: "id", Field: cp.FieldID, ReadOnly: true},
			{Name: "name", Field: cp.FieldFullName, Policy: cp.ParseName()},
			{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), Lowercase: true},
			{Name: "stage", Kind: cp.KindText, Policy: cp.OneOf("prospect", "customer", "churned")},
			{Name: "score", Kind: cp.KindNumber, Nullable: true},
		},
		View: cp.View{Envelope: "person"}, // every field, under the same names
	})
	store := &cp.MemoryStore{}
	if err := orbit.Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: "p1", Email: cp.Value("ada@example.com")}); err != nil {
		panic(err)
	}
	h := &contacthttp.Handler{Profile: orbit, Store: store}
	mux := h.Mux("/people/{id}") // PATCH, GET, 404/405, all in the profile's error view
	// describe:end

	h.RequestID = func(*http.Request) string { return "req-1" }
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, body := range []string{
		`{"person": {"name": "Ada Lovelace", "stage": "customer", "score": 9.5}}`,
		`{"person": {"stage": "lead", "score": "high"}}`,
	} {
		req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/people/p1", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
		fmt.Println(string(out))
	}
	// Output:
	// 200 application/json
	// {"person":{"id":"p1","name":"Ada Lovelace","email":"ada@example.com","stage":"customer","score":9.5}}
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"Invalid request parameters","code":"validation_error","instance":"/people/p1","correlation_id":"req-1","errors":[{"pointer":"/person/score","field":"score","code":"invalid_type","detail":"Must be a number"},{"pointer":"/person/stage","field":"stage","code":"invalid_enum","detail":"Must be one of: prospect, customer, churned","allowed":["prospect","customer","churned"]}]}
}
