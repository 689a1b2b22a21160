// Package servertest drives a reference server in tests: it starts one on
// httptest with its sample data, sends requests as the API's clients send
// them, and runs the status checks every server must pass.
package servertest

import (
	"context"
	"embed"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Keys used by the servers Start starts.
const (
	WriteKey = "write_key"
	ReadKey  = "read_key"
)

// Now is the clock of the servers Start starts.
var Now = time.Date(2026, 2, 24, 15, 0, 0, 0, time.UTC)

// Server is a started reference server.
type Server struct {
	t       *testing.T
	URL     string
	Handler http.Handler
	// Auth sets a request's API key the way the API expects it.
	Auth func(r *http.Request, key string)
	// Store holds the server's contacts, every tenant's.
	Store server.Store
}

// Start serves api with its sample, in the default tenant, and cfg's
// rate settings.
func Start(t *testing.T, api server.API, sample embed.FS, auth func(*http.Request, string), cfg server.Config) *Server {
	data, err := fs.ReadFile(sample, "sample.json")
	require.NoError(t, err)
	return StartSeeded(t, api, server.Seeds{cp.DefaultTenant: data}, auth, cfg)
}

// StartSeeded serves api with each tenant's seed, and cfg's keys and
// rate settings; the default tenant also gets WriteKey and ReadKey.
func StartSeeded(t *testing.T, api server.API, seeds server.Seeds, auth func(*http.Request, string), cfg server.Config) *Server {
	cfg.API = api
	var closeStore func()
	var err error
	cfg.Store, cfg.CustomFields, closeStore, err = server.OpenStore(context.Background(), "", nil, api.Profile, seeds)
	require.NoError(t, err)
	t.Cleanup(closeStore)
	cfg.WriteKey, cfg.ReadKey = WriteKey, ReadKey
	cfg.Now = func() time.Time { return Now }
	h, err := server.New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &Server{t: t, URL: ts.URL, Handler: h, Auth: auth, Store: cfg.Store}
}

// Response is what a request got back.
type Response struct {
	Status int
	Header http.Header
	Body   string
}

// Do sends a request with the write key and a JSON content type; extra
// is header name, value pairs that override them ("" removes one).
func (s *Server) Do(method, path, body string, extra ...string) Response {
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	require.NoError(s.t, err)
	s.Auth(req, WriteKey)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			req.Header.Del(extra[i])
		} else {
			req.Header.Set(extra[i], extra[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// envelopes are the messages of the refusals that carry no field details.
var envelopes = map[string]string{
	"invalid_key":              "Invalid API key",
	"insufficient_permissions": "Missing write permission",
	"not_found":                "Contact not found",
	"unsupported_media_type":   "Content-Type must be application/json",
	"payload_too_large":        "Request body too large",
	"precondition_failed":      "The contact changed since it was read",
	"method_not_allowed":       "Method not allowed: the Allow header lists the methods",
	"rate_limited":             "Rate limit exceeded",
}

// Statuses checks every status of a reference server against one of its
// contacts: path is that contact's route, missing the route of an unknown
// id, patch a valid body, keyHeader the header that carries the key.
func Statuses(t *testing.T, s *Server, path, missing, patch, keyHeader string) {
	check := func(name string, r Response, status int, code string) {
		t.Helper()
		assert.Equal(t, status, r.Status, "%s: %s", name, r.Body)
		if code == "" {
			return
		}
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), name)
		if msg, ok := envelopes[code]; ok { // rule L5: the documented envelope, byte for byte
			assert.Equal(t, `{"error":{"code":"`+code+`","message":"`+msg+`"}}`, r.Body, name)
		} else {
			assert.True(t, strings.HasPrefix(r.Body, `{"error":{"code":"`+code+`"`), "%s: body %s", name, r.Body)
		}
	}
	get := s.Do(http.MethodGet, path, "")
	check("GET", get, 200, "")
	etag := get.Header.Get("ETag")
	assert.NotEmpty(t, etag)

	check("no key", s.Do(http.MethodPatch, path, patch, keyHeader, ""), 401, "invalid_key")
	wrong, _ := http.NewRequest(http.MethodPatch, s.URL+path, nil)
	s.Auth(wrong, "wrong")
	check("wrong key", s.Do(http.MethodPatch, path, patch, keyHeader, wrong.Header.Get(keyHeader)), 401, "invalid_key")
	readOnly, _ := http.NewRequest(http.MethodPatch, s.URL+path, nil)
	s.Auth(readOnly, ReadKey)
	check("read-only key", s.Do(http.MethodPatch, path, patch, keyHeader, readOnly.Header.Get(keyHeader)), 403, "insufficient_permissions")
	check("read-only key may GET", s.Do(http.MethodGet, path, "", keyHeader, readOnly.Header.Get(keyHeader)), 200, "")
	check("unknown id", s.Do(http.MethodPatch, missing, patch), 404, "not_found")
	check("unknown id GET", s.Do(http.MethodGet, missing, ""), 404, "not_found")
	check("malformed", s.Do(http.MethodPatch, path, `{"x":`), 400, "validation_error")
	check("not JSON", s.Do(http.MethodPatch, path, patch, "Content-Type", "text/plain"), 415, "unsupported_media_type")
	check("no content type", s.Do(http.MethodPatch, path, patch, "Content-Type", ""), 415, "unsupported_media_type")
	check("JSON with charset", s.Do(http.MethodGet, path, "", "Content-Type", "application/json; charset=utf-8"), 200, "")
	check("too large", s.Do(http.MethodPatch, path, `{"x":"`+strings.Repeat("a", 1<<20)+`"}`), 413, "payload_too_large")
	exact := func(name string, r Response, status int, code, msg string) {
		t.Helper()
		assert.Equal(t, status, r.Status, name)
		assert.Equal(t, `{"error":{"code":"`+code+`","message":"`+msg+`"}}`, r.Body, name)
	}
	exact("gzip coding", s.Do(http.MethodPatch, path, patch, "Content-Encoding", "gzip"), 415, "unsupported_media_type", "Content-Encoding must be identity")
	exact("br coding", s.Do(http.MethodPatch, path, patch, "Content-Encoding", "br"), 415, "unsupported_media_type", "Content-Encoding must be identity")
	check("identity coding", s.Do(http.MethodGet, path, "", "Content-Encoding", "identity"), 200, "")
	check("latin-1 charset", s.Do(http.MethodPatch, path, patch, "Content-Type", "application/json; charset=latin1"), 415, "unsupported_media_type")
	check("UTF-8 charset", s.Do(http.MethodGet, path, "", "Content-Type", "application/json; charset=UTF-8"), 200, "")
	exact("unknown route", s.Do(http.MethodGet, "/no/such/route", ""), 404, "not_found", "No such route")
	deleted := s.Do(http.MethodDelete, path, "")
	check("DELETE", deleted, 405, "method_not_allowed")
	assert.Equal(t, "GET, PATCH", deleted.Header.Get("Allow"))
	// W: the documents show only PATCH, so there is no create route.
	trimmed := strings.TrimSuffix(path, "/")
	exact("POST on the collection", s.Do(http.MethodPost, trimmed[:strings.LastIndex(trimmed, "/")], `{}`), 404, "not_found", "No such route")

	// Nothing above wrote: the ETag is the one first read.
	assert.Equal(t, etag, s.Do(http.MethodGet, path, "").Header.Get("ETag"), "a refused request changed the contact")

	notModified := s.Do(http.MethodGet, path, "", "If-None-Match", etag)
	check("If-None-Match current", notModified, 304, "")
	assert.Equal(t, etag, notModified.Header.Get("ETag"))
	assert.Empty(t, notModified.Body)
	check("If-None-Match weak current", s.Do(http.MethodGet, path, "", "If-None-Match", "W/"+etag), 304, "")
	check("If-None-Match *", s.Do(http.MethodGet, path, "", "If-None-Match", "*"), 304, "")
	check("If-None-Match other", s.Do(http.MethodGet, path, "", "If-None-Match", `"v999"`), 200, "")
	check("If-Match GET stale", s.Do(http.MethodGet, path, "", "If-Match", `"v999"`), 412, "precondition_failed")
	check("If-Match GET weak", s.Do(http.MethodGet, path, "", "If-Match", "W/"+etag), 412, "precondition_failed")
	check("If-Match GET current", s.Do(http.MethodGet, path, "", "If-Match", etag), 200, "")
	check("If-Match * in a list", s.Do(http.MethodPatch, path, patch, "If-Match", `"v999", *`), 412, "precondition_failed")

	ok := s.Do(http.MethodPatch, path, patch, "If-Match", etag)
	check("If-Match current", ok, 200, "")
	assert.NotEqual(t, etag, ok.Header.Get("ETag"))
	check("If-Match stale", s.Do(http.MethodPatch, path, patch, "If-Match", etag), 412, "precondition_failed")
	assert.Equal(t, ok.Body, s.Do(http.MethodGet, path, "").Body, "a stale If-Match changed the contact")
}

// AuthFailures checks that failed authentications from one address are
// limited too: a burst of them, then 429 with a Retry-After.
func AuthFailures(t *testing.T, s *Server, path, keyHeader string) {
	for i := range contacthttp.AuthFailureBurst {
		r := s.Do(http.MethodGet, path, "", keyHeader, "wrong")
		require.Equal(t, 401, r.Status, "failure %d of the burst", i)
	}
	r := s.Do(http.MethodGet, path, "", keyHeader, "wrong")
	assert.Equal(t, 429, r.Status)
	assert.Equal(t, `{"error":{"code":"rate_limited","message":"`+envelopes["rate_limited"]+`"}}`, r.Body)
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
}

// RateLimit checks the 429 and its Retry-After once a key's burst is spent.
func RateLimit(t *testing.T, s *Server, path string, burst int) {
	for i := range burst {
		assert.Equal(t, 200, s.Do(http.MethodGet, path, "").Status, "request %d of the burst", i)
	}
	r := s.Do(http.MethodGet, path, "")
	assert.Equal(t, 429, r.Status)
	assert.Equal(t, `{"error":{"code":"rate_limited","message":"`+envelopes["rate_limited"]+`"}}`, r.Body)
	assert.Equal(t, "1", r.Header.Get("Retry-After"))
}
