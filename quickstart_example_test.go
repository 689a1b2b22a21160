// The go doc quick start, as code that runs: doc.go shows the lines
// between the quickstart markers, and TestDocQuickStartIsTheExample keeps
// the two the same.
package contactpatch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch"
)

// quickstart:start
var store contactpatch.Store = &contactpatch.MemoryStore{} // your database, as a Store

func handlePatch(w http.ResponseWriter, r *http.Request) {
	prof := contactpatch.Default()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err == nil {
		var res contactpatch.Result
		res, err = prof.Update(r.Context(), store, contactpatch.DefaultTenant, r.PathValue("id"), body, contactpatch.Options{})
		if err == nil {
			var out []byte
			if out, err = prof.Render(res.Contact); err == nil {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("ETag", contactpatch.ETag(res.Contact))
				w.Write(out)
				return
			}
		}
	}
	ct, out := prof.RenderError(contactpatch.ProblemOf(err))
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(contactpatch.HTTPStatus(err)) // 400, 404, 409, 412, 413, ...
	w.Write(out)
}

// quickstart:end

// Example_quickStart runs the package documentation's quick start.
func Example_quickStart() {
	if err := contactpatch.Default().Insert(context.Background(), store, contactpatch.DefaultTenant, contactpatch.Contact{ID: "c1", Email: contactpatch.Value("ada@example.com")}); err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /contacts/{id}", handlePatch)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for _, c := range []struct{ id, body string }{
		{"c1", `{"email": " Ada@Example.COM ", "tags": ["vip"]}`},
		{"c1", `{"email": "nope"}`},
		{"c9", `{}`},
		{"c1", `{"notes": "` + strings.Repeat("a", 1<<20) + `"}`},
	} {
		req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/contacts/"+c.id, strings.NewReader(c.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		var out struct {
			Email  string   `json:"email"`
			Tags   []string `json:"tags"`
			Status int      `json:"status"`
			Code   string   `json:"code"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), out)
	}
	// Output:
	// 200 application/json "v1" {ada@example.com [vip] 0 }
	// 400 application/problem+json  { [] 400 validation_error}
	// 404 application/problem+json  { [] 404 not_found}
	// 413 application/problem+json  { [] 413 payload_too_large}
}

// The package documentation's quick start is the code the example runs.
func TestDocQuickStartIsTheExample(t *testing.T) {
	src, err := os.ReadFile("quickstart_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	_, code, _ := strings.Cut(string(src), "// quickstart:start\n")
	code, _, _ = strings.Cut(code, "\n// quickstart:end")
	var want strings.Builder
	for _, l := range strings.Split(strings.TrimRight(code, "\n"), "\n") {
		if l == "" {
			want.WriteString("//\n")
		} else {
			want.WriteString("//\t" + l + "\n")
		}
	}
	if !strings.Contains(string(doc), "\n"+want.String()) || strings.Count(want.String(), "\n") < 20 {
		t.Errorf("doc.go's quick start is not the code of Example_quickStart:\n%s", want.String())
	}
}
