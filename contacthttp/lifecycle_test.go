package contacthttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lifeHandler serves G's profile (unique email) with create and erasing
// delete, a write key for org_a, a read key and org_b's key.
func lifeHandler(t *testing.T, store *cp.MemoryStore) http.Handler {
	keys := append([]contacthttp.APIKey{{Secret: "key-r", Tenant: "org_a", Scopes: contacthttp.ScopeRead}}, tenantKeys...)
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: keys})
	require.NoError(t, err)
	h := &contacthttp.Handler{Profile: profiles.Gomry(), Store: store, Auth: auth,
		Lifecycle: contacthttp.Lifecycle{Create: true, Delete: contacthttp.Erase}}
	return h.Mux("/contacts/{id}")
}

func send(h http.Handler, method, path, key, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+key)
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// W1, W3, T3: POST creates in the caller's tenant; DELETE erases, frees
// the email and honours If-Match; a read key may do neither.
func TestCreateAndEraseOverHTTP(t *testing.T) {
	store := new(cp.MemoryStore)
	h := lifeHandler(t, store)
	w := send(h, http.MethodPost, "/contacts", "key-a", `{"email": "Ada@Example.com", "first_name": "Ada"}`)
	require.Equal(t, 201, w.Code, w.Body.String())
	loc := w.Header().Get("Location")
	require.True(t, strings.HasPrefix(loc, "/contacts/"), loc)
	assert.Equal(t, `"v1"`, w.Header().Get("ETag"))
	id := strings.TrimPrefix(loc, "/contacts/")
	assert.Equal(t, []string{id}, store.IDs("org_a"))
	assert.Empty(t, store.IDs("org_b"))

	assert.Equal(t, 409, send(h, http.MethodPost, "/contacts", "key-a", `{"email": "ada@example.com"}`).Code)
	assert.Equal(t, 201, send(h, http.MethodPost, "/contacts", "key-b", `{"email": "ada@example.com"}`).Code, "another tenant may hold it")
	assert.Equal(t, 403, send(h, http.MethodPost, "/contacts", "key-r", `{}`).Code)
	assert.Equal(t, 400, send(h, http.MethodPost, "/contacts", "key-a", `{"email": "nope"}`).Code)
	assert.Equal(t, 415, send(h, http.MethodPost, "/contacts", "key-a", `{}`, "Content-Type", "text/plain").Code)

	assert.Equal(t, 403, send(h, http.MethodDelete, loc, "key-r", "").Code)
	assert.Equal(t, 404, send(h, http.MethodDelete, loc, "key-b", "").Code, "T2: another tenant's contact is missing")
	assert.Equal(t, 412, send(h, http.MethodDelete, loc, "key-a", "", "If-Match", `"v7"`).Code)
	w = send(h, http.MethodDelete, loc, "key-a", "", "If-Match", `"v1"`)
	require.Equal(t, 204, w.Code, w.Body.String())
	assert.Equal(t, 404, send(h, http.MethodGet, loc, "key-a", "").Code)
	assert.Equal(t, 201, send(h, http.MethodPost, "/contacts", "key-a", `{"email": "ada@example.com"}`).Code, "the erased contact's email is free")
	assert.Equal(t, "DELETE, GET, PATCH", send(h, http.MethodPut, loc, "key-a", "").Header().Get("Allow"))
}

// W3: an archived contact is 404 to GET and PATCH unless the read asks
// for it with the Lifecycle's parameter.
func TestArchivedContactIsHidden(t *testing.T) {
	store := new(cp.MemoryStore)
	prof := profiles.Gomry()
	ctx := context.Background()
	require.NoError(t, prof.Insert(ctx, store, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	_, err := prof.Archive(ctx, store, cp.DefaultTenant, "c1", cp.Options{})
	require.NoError(t, err)
	for _, param := range []string{"", "archived"} {
		h := (&contacthttp.Handler{Profile: prof, Store: store, Lifecycle: contacthttp.Lifecycle{ArchivedParam: param}}).Mux("/contacts/{id}")
		assert.Equal(t, 404, send(h, http.MethodGet, "/contacts/c1", "", "").Code)
		assert.Equal(t, 404, send(h, http.MethodPatch, "/contacts/c1?archived=true", "", `{"job_title": "x"}`).Code)
		want := 404
		if param != "" {
			want = 200
		}
		assert.Equal(t, want, send(h, http.MethodGet, "/contacts/c1?archived=true", "", "").Code, "param %q", param)
	}
}

// W4: batch routes need a profile whose inputs carry their patch under an
// envelope; Register says so at once.
func TestBatchNeedsAnEnvelope(t *testing.T) {
	h := &contacthttp.Handler{Profile: profiles.Gomry(), Store: new(cp.MemoryStore), Lifecycle: contacthttp.Lifecycle{Batch: true}}
	assert.Panics(t, func() { h.Mux("/contacts/{id}") })
}
