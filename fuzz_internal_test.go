package contactpatch

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzEmail: validEmail never panics, and what it accepts is ASCII, at
// most 254 bytes, with one "@", and stays valid lower-cased.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"jane@example.com", "o'brien+x@mail.example.co.uk", "a@b", "a..b@c.d", "@", "é@x.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validEmail(s) {
			return
		}
		if len(s) > maxEmail || strings.Count(s, "@") != 1 || !isASCII(s) || !validEmail(strings.ToLower(s)) {
			t.Fatalf("validEmail accepted %q", s)
		}
	})
}

// FuzzPhone: the phone policies never panic; a lenient number starts with
// "+" and has 7 to 15 digits; an E.164 result is "+" and up to 15 digits,
// and normalizing it again gives it back.
func FuzzPhone(f *testing.F) {
	for _, s := range []string{"+1 (415) 555-2671", "+1-555-9999", "+44 20 7946 0958", "415-555-2671", "+", "+1234567890"} {
		f.Add(s, "US")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		if validLenientPhone(s) {
			digits := strings.Count(s, "") - 1 - len(strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return -1
				}
				return r
			}, s))
			if s[0] != '+' || digits < 7 || digits > 15 {
				t.Fatalf("validLenientPhone accepted %q", s)
			}
		}
		n, ok := e164(s, region)
		if !ok {
			return
		}
		if !strings.HasPrefix(n, "+") || len(n) > 16 || strings.Trim(n[1:], "0123456789") != "" {
			t.Fatalf("e164(%q, %q) = %q", s, region, n)
		}
		if again, ok := e164(n, ""); !ok || again != n {
			t.Fatalf("e164(%q) = %q, %t: not a fixed point", n, again, ok)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// FuzzHTTPURL: what validHTTPURL accepts, net/url parses too, as an http
// or https URL with a host and a port in range; a link the library
// stores is one every Go client can follow.
func FuzzHTTPURL(f *testing.F) {
	for _, s := range []string{"https://www.linkedin.com/in/jane", "http://a%zz:99999999/", "https://user:pw@example.com:8443/x?q=1#f",
		"http://[::1]:80/", "https://evil\u202Ecom.example", "HTTP://EXAMPLE.COM", "https://%41.com", "http://a:/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !validHTTPURL(s) {
			return
		}
		u, err := url.Parse(s)
		if err != nil {
			t.Fatalf("validHTTPURL accepted %q, which net/url refuses: %v", s, err)
		}
		if scheme := strings.ToLower(u.Scheme); (scheme != "http" && scheme != "https") || u.Hostname() == "" {
			t.Fatalf("validHTTPURL accepted %q: scheme %q, host %q", s, u.Scheme, u.Hostname())
		}
		if p := u.Port(); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n > 65535 {
				t.Fatalf("validHTTPURL accepted %q with port %q", s, p)
			}
		}
	})
}
