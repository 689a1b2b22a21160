package contacthttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// problem is an RFC 9457 body as the default error view writes it.
type problem struct {
	Type          string `json:"type"`
	Title         string `json:"title"`
	Status        int    `json:"status"`
	Detail        string `json:"detail"`
	Code          string `json:"code"`
	Instance      string `json:"instance"`
	CorrelationID string `json:"correlation_id"`
	Errors        []struct {
		Pointer string `json:"pointer"`
		Field   string `json:"field"`
		Code    string `json:"code"`
		Limit   int    `json:"limit"`
	} `json:"errors"`
}

type answer struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, h http.Handler, method, path, body string, header ...string) answer {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return answer{w.Code, w.Header(), w.Body.String()}
}

func problemOf(t *testing.T, a answer, status int) problem {
	t.Helper()
	require.Equal(t, status, a.status, a.body)
	assert.Equal(t, "application/problem+json", a.header.Get("Content-Type"))
	var p problem
	require.NoError(t, json.Unmarshal([]byte(a.body), &p), a.body)
	assert.Equal(t, "about:blank", p.Type)
	assert.Equal(t, http.StatusText(status), p.Title)
	assert.Equal(t, status, p.Status)
	assert.Equal(t, a.header.Get("X-Request-Id"), p.CorrelationID)
	return p
}

func defaultHandler(t *testing.T) (*contacthttp.Handler, *cp.MemoryStore) {
	store := &cp.MemoryStore{}
	put(t, store, cp.Contact{ID: "c1", Email: cp.Value("ada@example.com"), Version: 1})
	return &contacthttp.Handler{Profile: cp.Default(), Store: store}, store
}

// R15, R19: a profile without an error view answers every refusal, the
// mux's own included, as problem details; field errors carry pointer
// and code.
func TestProblemDetailsForEveryRefusal(t *testing.T) {
	h, store := defaultHandler(t)
	mux := h.Mux("/contacts/{id}")
	p := problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{"email": "nope", "tags": [1], "job_title": "`+strings.Repeat("x", 300)+`"}`), 400)
	assert.Equal(t, "validation_error", p.Code)
	assert.Equal(t, "/contacts/c1", p.Instance)
	require.Len(t, p.Errors, 3)
	got := map[string]string{}
	for _, e := range p.Errors {
		got[e.Pointer] = e.Code
	}
	assert.Equal(t, map[string]string{"/tags/0": "invalid_type", "/email": "invalid_format", "/job_title": "too_long"}, got)
	assert.Equal(t, 256, p.Errors[2].Limit, "the limit passed")

	assert.Equal(t, "not_found", problemOf(t, do(t, mux, http.MethodGet, "/contacts/none", ""), 404).Code)
	assert.Equal(t, "not_found", problemOf(t, do(t, mux, http.MethodGet, "/elsewhere", ""), 404).Code)
	a := do(t, mux, http.MethodDelete, "/contacts/c1", "")
	assert.Equal(t, "method_not_allowed", problemOf(t, a, 405).Code)
	assert.Equal(t, "GET, PATCH", a.header.Get("Allow"))
	problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{}`, "Content-Type", "text/plain"), 415)
	problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes":"`+strings.Repeat("a", 1<<20)+`"}`), 413)
	problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{}`, "If-Match", `"v9"`), 412)

	kept, err := store.Get(context.Background(), cp.DefaultTenant, "c1")
	require.NoError(t, err)
	assert.Equal(t, uint64(1), kept.Version, "no refusal wrote")
}

// The PATCH and GET cycle: ETag, If-Match, If-None-Match.
func TestPatchAndGet(t *testing.T) {
	h, _ := defaultHandler(t)
	mux := h.Mux("/contacts/{id}")
	a := do(t, mux, http.MethodPatch, "/contacts/c1", `{"job_title": "CTO"}`, "If-Match", `"v1"`)
	require.Equal(t, 200, a.status, a.body)
	assert.Equal(t, `"v2"`, a.header.Get("ETag"))
	assert.Contains(t, a.body, `"job_title":"CTO"`)
	assert.Equal(t, a.body, do(t, mux, http.MethodGet, "/contacts/c1", "").body)
	nm := do(t, mux, http.MethodGet, "/contacts/c1", "", "If-None-Match", `"v2"`)
	assert.Equal(t, 304, nm.status)
	assert.Empty(t, nm.body)
	problemOf(t, do(t, mux, http.MethodGet, "/contacts/c1", "", "If-Match", `"v1"`), 412)
}

// The auth hook refuses with the library's errors; a RetryError adds
// Retry-After; KeyAuth tells keys, permissions and rates apart.
func TestAuth(t *testing.T) {
	h, _ := defaultHandler(t)
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Write: "w", Read: "r", Rate: 0.5, Burst: 1,
		Now: func() time.Time { return time.Unix(0, 0) }})
	require.NoError(t, err)
	h.Auth = auth
	mux := h.Mux("/contacts/{id}")
	assert.Equal(t, "invalid_key", problemOf(t, do(t, mux, http.MethodGet, "/contacts/c1", ""), 401).Code)
	assert.Equal(t, "insufficient_permissions",
		problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{}`, "Authorization", "Bearer r"), 403).Code)
	assert.Equal(t, 200, do(t, mux, http.MethodGet, "/contacts/c1", "", "Authorization", "Bearer w").status)
	a := do(t, mux, http.MethodGet, "/contacts/c1", "", "Authorization", "Bearer w")
	assert.Equal(t, "rate_limited", problemOf(t, a, 429).Code)
	assert.Equal(t, "2", a.header.Get("Retry-After"), "one token every 2 s")
}

// Register adds the routes to a mux of the host's; ContactID resolves
// ids; RequestID names requests; the log has one line per request, at
// ERROR only for a 500.
func TestRegisterContactIDAndLogging(t *testing.T) {
	h, _ := defaultHandler(t)
	var logs bytes.Buffer
	h.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	h.RequestID = func(r *http.Request) string { return "req-" + r.Method }
	h.ContactID = func(_ *http.Request, _ contacthttp.Principal, id string) (string, error) {
		if id == "broken" {
			return "", errors.New("directory down")
		}
		return strings.TrimPrefix(id, "contact-"), nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	h.Register(mux, "/v2/contacts/{contactID}/{$}")
	assert.Equal(t, "ok", do(t, mux, http.MethodGet, "/health", "").body)
	a := do(t, mux, http.MethodGet, "/v2/contacts/contact-c1/", "")
	require.Equal(t, 200, a.status, a.body)
	assert.Equal(t, "req-GET", a.header.Get("X-Request-Id"))
	p := problemOf(t, do(t, mux, http.MethodPatch, "/v2/contacts/broken/", `{}`), 500)
	assert.Equal(t, "internal_error", p.Code)
	assert.NotContains(t, p.Detail, "directory", "nothing internal reaches the client")

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"level":"INFO"`)
	assert.Contains(t, lines[0], `"request_id":"req-GET"`)
	assert.Contains(t, lines[1], `"level":"ERROR"`)
	assert.Contains(t, lines[1], "directory down", "the log keeps what the client is not told")
}

// A profile's own error view answers the handler's refusals.
func TestProfileErrorView(t *testing.T) {
	store := &cp.MemoryStore{}
	put(t, store, cp.Contact{ID: "101", Version: 1})
	h := &contacthttp.Handler{Profile: profiles.HubSpot(), Store: store, RequestID: func(*http.Request) string { return "r1" }}
	a := do(t, h.Mux("/crm/v3/objects/contacts/{contactId}"), http.MethodGet, "/nowhere", "")
	assert.Equal(t, 404, a.status)
	assert.Equal(t, "application/json", a.header.Get("Content-Type"))
	assert.Equal(t, `{"status":"error","message":"No such route","correlationId":"r1","category":"OBJECT_NOT_FOUND"}`, a.body)
}

// put inserts c into the store's DefaultTenant.
func put(t testing.TB, s cp.Store, c cp.Contact) {
	t.Helper()
	require.NoError(t, cp.Default().Insert(context.Background(), s, cp.DefaultTenant, c))
}
