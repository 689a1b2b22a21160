package contactpatch_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
)

// store stands in for the host's database.
var store = map[string]cp.Contact{"c1": {ID: "c1", FullName: cp.Value("Jane Doe"), Notes: cp.Value("Met at conference.")}}

// patchContact is the README's handler: decode, apply, persist, render.
func patchContact(w http.ResponseWriter, r *http.Request) {
	prof := profiles.Leadlex()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, cp.ErrValidation)
		return
	}
	stored, ok := store[r.PathValue("id")]
	if !ok {
		writeError(w, cp.ErrNotFound)
		return
	}
	res, err := prof.ApplyJSON(context.Background(), stored, body, cp.Options{IfMatch: r.Header.Get("If-Match")})
	if err != nil {
		writeError(w, err) // 400 with every bad field, 409, 412, ...
		return
	}
	if res.Changed() {
		store[stored.ID] = res.Contact
	}
	out, _ := prof.Render(res.Contact)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", cp.ETag(res.Contact))
	w.Write(out)
}

func writeError(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(cp.HTTPStatus(err))
	w.Write(cp.ErrorJSON(err))
}

func Example_handler() {
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /v1/contacts/{id}", patchContact)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, body := range []string{`{"notes": "Promoted to CLO"}`, `{"email": "nope"}`} {
		req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/v1/contacts/c1", strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("ETag"), strings.Replace(string(out), store["c1"].UpdatedAt.Format("2006-01-02T15:04:05Z"), "<now>", 1))
	}
	// Output:
	// 200 "v1" {"data":{"id":"c1","full_name":"Jane Doe","notes":"Met at conference.\nPromoted to CLO","updated_date":"<now>"}}
	// 400  {"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"email":"Invalid email format"}}}}
}
