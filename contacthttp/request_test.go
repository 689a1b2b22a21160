package contacthttp

import (
	"net/http"
	"net/http/httptest"
	"testing"

	cp "github.com/contactpatch/contactpatch"
)

func TestCheckBody(t *testing.T) {
	for _, c := range []struct {
		contentType, encoding string
		status                int
	}{
		{"application/json", "", 200},
		{"application/json; charset=utf-8", "", 200},
		{"application/json; charset=UTF-8", "identity", 200},
		{"application/merge-patch+json", "", 200},
		{"application/json; charset=latin1", "", 415},
		{"text/plain", "", 415},
		{"", "", 415},
		{"application/json", "gzip", 415},
		{"application/json", "br", 415},
		{"application/json", "identity, gzip", 415},
	} {
		r := httptest.NewRequest(http.MethodPatch, "/", nil)
		r.Header.Set("Content-Type", c.contentType)
		if c.encoding != "" {
			r.Header.Set("Content-Encoding", c.encoding)
		}
		if got := cp.HTTPStatus(CheckBody(r)); got != c.status {
			t.Errorf("%q %q: status %d, want %d", c.contentType, c.encoding, got, c.status)
		}
	}
}

func TestBearerKey(t *testing.T) {
	for header, want := range map[string]string{
		"Bearer abc": "abc", "bearer abc": "abc", "BEARER abc": "abc", "Bearer  abc ": "abc",
		"Basic abc": "", "abc": "", "": "", "Bearerabc": "",
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", header)
		if got := BearerKey(r); got != want {
			t.Errorf("BearerKey(%q) = %q, want %q", header, got, want)
		}
	}
}

func TestJoinedHeaderAndClientAddr(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Add("If-Match", `"v1"`)
	r.Header.Add("If-Match", `"v3"`)
	if got := JoinedHeader(r, "If-Match"); got != `"v1", "v3"` {
		t.Errorf("JoinedHeader = %q", got)
	}
	if !cp.MatchesIfMatch(JoinedHeader(r, "If-Match"), cp.Contact{Version: 3}) {
		t.Error("repeated If-Match lines are one list (RFC 9110 §5.3)")
	}
	r.RemoteAddr = "192.0.2.7:5123"
	if got := ClientAddr(r); got != "192.0.2.7" {
		t.Errorf("ClientAddr = %q", got)
	}
}
