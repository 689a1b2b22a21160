package contacthttp_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
)

func ExampleNewServer() {
	mux := http.NewServeMux()
	srv := contacthttp.NewServer("127.0.0.1:8080", mux, contacthttp.DefaultTimeouts())
	fmt.Println(srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	// Output: 5s 15s 20s 1m0s 16384
}

func ExampleCheckBody() {
	r := httptest.NewRequest(http.MethodPatch, "/contacts/c1", nil)
	r.Header.Set("Content-Type", "application/json; charset=latin1")
	err := contacthttp.CheckBody(r)
	fmt.Println(cp.HTTPStatus(err), string(cp.ErrorJSON(err)))
	// Output: 415 {"error":{"code":"unsupported_media_type","message":"Content-Type must be application/json"}}
}

func ExampleBearerKey() {
	r := httptest.NewRequest(http.MethodGet, "/contacts/c1", nil)
	r.Header.Set("Authorization", "bearer wbk_123")
	fmt.Printf("%q\n", contacthttp.BearerKey(r))
	// Output: "wbk_123"
}

func ExampleJoinedHeader() {
	r := httptest.NewRequest(http.MethodGet, "/contacts/c1", nil)
	r.Header.Add("If-None-Match", `"v2"`)
	r.Header.Add("If-None-Match", `"v3"`)
	c := cp.Contact{ID: "c1", Version: 3}
	fmt.Println(contacthttp.JoinedHeader(r, "If-None-Match"), contacthttp.MatchesIfNoneMatch(contacthttp.JoinedHeader(r, "If-None-Match"), c))
	// Output: "v2", "v3" false
}

func ExampleClientAddr() {
	r := httptest.NewRequest(http.MethodGet, "/contacts/c1", nil)
	r.RemoteAddr = "198.51.100.4:61000"
	fmt.Println(contacthttp.ClientAddr(r))
	// Output: 198.51.100.4
}

// A Handler serves a profile over a store; every refusal is in the
// profile's error view, here the default RFC 9457 problem details.
func ExampleHandler() {
	store := &cp.MemoryStore{}
	if err := cp.Default().Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: "c1"}); err != nil {
		panic(err)
	}
	h := &contacthttp.Handler{Profile: cp.Default(), Store: store,
		RequestID: func(*http.Request) string { return "req-1" }}
	mux := h.Mux("/contacts/{id}")

	r := httptest.NewRequest(http.MethodPatch, "/contacts/c1", strings.NewReader(`{"job_title": "CTO"}`))
	r.Header.Set("Content-Type", "application/merge-patch+json")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("ETag"))

	w = httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/people", nil))
	fmt.Println(w.Code, w.Body)
	// Output:
	// 200 "v1"
	// 404 {"type":"about:blank","title":"Not Found","status":404,"detail":"No such route","code":"not_found","instance":"/people","correlation_id":"req-1"}
}

// Register adds the contact routes to a mux the host already has.
func ExampleHandler_Register() {
	h := &contacthttp.Handler{Profile: profiles.Leadlex(), Store: &cp.MemoryStore{}}
	mux := http.NewServeMux()
	h.Register(mux, "/v1/contacts/{id}")
	mux.Handle("/", h.NotFound())

	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodDelete, "/v1/contacts/x", nil))
	fmt.Println(w.Code, w.Header().Get("Allow"), w.Body)
	// Output:
	// 405 GET, PATCH {"error":{"code":"method_not_allowed","message":"Method not allowed: the Allow header lists the methods"}}
}

// KeyAuth admits API keys, each of one tenant with its scopes, and
// says who the caller is: the Handler then reaches that tenant's
// contacts alone, and answers 403 to a write without the write scope.
func ExampleKeyAuth() {
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: []contacthttp.APIKey{
		{Secret: "a-key", ID: "a1", Tenant: "org_a", Scopes: contacthttp.ScopeWrite},
		{Secret: "b-key", ID: "b1", Tenant: "org_b", Scopes: contacthttp.ScopeRead},
	}})
	if err != nil {
		panic(err)
	}
	for _, key := range []string{"", "a-key", "b-key"} {
		r := httptest.NewRequest(http.MethodPatch, "/contacts/c1", nil)
		r.Header.Set("Authorization", "Bearer "+key)
		p, err := auth(r)
		fmt.Println(cp.HTTPStatus(err), p.Tenant, p.KeyID, p.Scopes.Allows(true))
	}
	// Output:
	// 401   false
	// 200 org_a a1 true
	// 200 org_b b1 false
}

// Serve runs a server until its context ends, then shuts it down.
func ExampleServe() {
	ctx, cancel := context.WithCancel(context.Background())
	srv := contacthttp.NewServer("127.0.0.1:0", http.NotFoundHandler(), contacthttp.DefaultTimeouts())
	cancel() // a signal.NotifyContext in a real program
	fmt.Println(contacthttp.Serve(ctx, srv, time.Second))
	// Output:
	// <nil>
}

// IDParam names the wildcard a Handler reads the contact id from.
func ExampleIDParam() {
	fmt.Println(contacthttp.IDParam("/contacts/{contact_id}/{$}"))
	// Output:
	// contact_id
}

// A handler answers a GET whose If-None-Match lists the current ETag
// with 304: weak comparison, so W/"v3" matches too.
func ExampleMatchesIfNoneMatch() {
	c := cp.Contact{ID: "c1", Version: 3}
	fmt.Println(contacthttp.MatchesIfNoneMatch(`"v3"`, c), contacthttp.MatchesIfNoneMatch(`W/"v3"`, c), contacthttp.MatchesIfNoneMatch(`"v2"`, c))
	// Output: false false true
}

// A retried append under one Idempotency-Key is answered from the record
// of the first and appends nothing; the key with another body is 422.
func ExampleIdempotency() {
	store := new(cp.MemoryStore)
	cp.Default().Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1})
	h := &contacthttp.Handler{Profile: cp.Default(), Store: store, Idempotency: contacthttp.Idempotency{TTL: time.Hour}}
	mux := h.Mux("/contacts/{id}")
	patch := func(body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPatch, "/contacts/c1", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", `"8e03978e-40d5-43e8-bc93-6894a57f9324"`)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}
	first, retry := patch(`{"notes": "Called back"}`), patch(`{"notes": "Called back"}`)
	fmt.Println(first.Code, retry.Code, retry.Header().Get("Idempotent-Replayed"), first.Body.String() == retry.Body.String())
	fmt.Println(patch(`{"notes": "Something else"}`).Code)
	c, _ := store.Get(context.Background(), cp.DefaultTenant, "c1")
	fmt.Printf("%q\n", c.Notes.Or(""))
	// Output:
	// 200 200 true true
	// 422
	// "Called back"
}
