package contactpatch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
)

// contacts stands in for the host's database: any Store will do.
var contacts = func() *cp.MemoryStore {
	s := new(cp.MemoryStore)
	if err := profiles.Leadlex().Insert(context.Background(), s, cp.DefaultTenant, cp.Contact{ID: "c1", FullName: cp.Value("Jane Doe"), Notes: cp.Value("Met at conference.")}); err != nil {
		panic(err)
	}
	return s
}()

// patchContact is the README's handler: read the body under a size
// limit, then let Update read, apply and compare-and-swap, so that two
// requests patching one contact never lose an update.
func patchContact(w http.ResponseWriter, r *http.Request) {
	prof := profiles.Leadlex()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, err) // 413 for a body over the limit
		return
	}
	opts := cp.Options{IfMatch: r.Header.Get("If-Match"), Now: exampleClock}
	res, err := prof.Update(r.Context(), contacts, cp.DefaultTenant, r.PathValue("id"), body, opts)
	if err != nil {
		writeError(w, err) // 400 with every bad field, 404, 409, 412, ...
		return
	}
	out, err := prof.Render(res.Contact)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", cp.ETag(res.Contact))
	w.Write(out)
}

func writeError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(cp.HTTPStatus(err))
	w.Write(cp.ErrorJSON(err))
}

func exampleClock() time.Time { return time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC) }

func Example_handler() {
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /v1/contacts/{id}", patchContact)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, c := range []struct{ id, body string }{
		{"c1", `{"notes": "Promoted to CLO"}`},
		{"c1", `{"email": "nope"}`},
		{"c9", `{"notes": "hi"}`},
		{"c1", `{"notes": "` + strings.Repeat("a", 1<<20) + `"}`},
	} {
		req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/v1/contacts/"+c.id, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("ETag"), string(out))
	}
	// Output:
	// 200 "v1" {"data":{"id":"c1","full_name":"Jane Doe","notes":"Met at conference.\nPromoted to CLO","updated_date":"2026-02-24T15:00:00Z"}}
	// 400  {"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"email":"Invalid email format"}}}}
	// 404  {"error":{"code":"not_found","message":"Contact not found"}}
	// 413  {"error":{"code":"payload_too_large","message":"Request body too large"}}
}
