package contacthttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
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
	fmt.Println(contacthttp.JoinedHeader(r, "If-None-Match"), cp.MatchesIfNoneMatch(contacthttp.JoinedHeader(r, "If-None-Match"), c))
	// Output: "v2", "v3" false
}

func ExampleClientAddr() {
	r := httptest.NewRequest(http.MethodGet, "/contacts/c1", nil)
	r.RemoteAddr = "198.51.100.4:61000"
	fmt.Println(contacthttp.ClientAddr(r))
	// Output: 198.51.100.4
}
