package contacthttp

import (
	"mime"
	"net"
	"net/http"
	"strings"
)

// CheckBody refuses what a PATCH handler cannot read as a JSON body: a
// media type other than application/json or application/merge-patch+json
// (RFC 7396), a charset other than UTF-8 (RFC 8259 knows no other), and
// any content coding. The errors are the 415s of errors.go.
func CheckBody(r *http.Request) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && mt != "application/merge-patch+json") {
		return ErrUnsupportedMediaType
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return ErrUnsupportedMediaType
	}
	for _, coding := range r.Header.Values("Content-Encoding") {
		for _, c := range strings.Split(coding, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				return ErrContentEncoding
			}
		}
	}
	return nil
}

// BearerKey reads "Authorization: Bearer <token>", the scheme in any case
// (RFC 9110 §11.1), or returns "".
func BearerKey(r *http.Request) string {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(key)
}

// ClientAddr is the client's IP address without the port: what failed
// authentications are counted against.
func ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// JoinedHeader is a header's repeated lines joined with commas, which
// RFC 9110 §5.3 makes one list: what contactpatch's If-Match and
// If-None-Match checks take.
func JoinedHeader(r *http.Request, name string) string {
	return strings.Join(r.Header.Values(name), ", ")
}
