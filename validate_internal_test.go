package contactpatch

import (
	"testing"
)

func TestValidHTTPURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://www.linkedin.com/in/jane":   true,
		"http://example.com":                 true,
		"HTTPS://EXAMPLE.COM/Path?q=1#frag":  true,
		"https://user:pw@example.com:8443/x": true,
		"https://[2001:db8::1]:443/":         true,
		"https://münchen.de/":                true,
		"https://my_host.example/~jane%20x":  true,
		"https://example.com?x":              true,
		"ftp://example.com":                  false,
		"https://":                           false,
		"https:///path":                      false,
		"https//example.com":                 false,
		"example.com":                        false,
		"/in/jane":                           false,
		"javascript:alert(1)":                false,
		"https://exa mple.com":               false,
		"https://example.com/a b":            false,
		"https://example.com:80x":            false,
		"https://ex<ample.com":               false,
		"https://[zz]/":                      false,
		"https://example.com/\x00":           false,
		"https://\xff.com":                   false,
		"https://example.com/\u0085":         false,
	} {
		if got := validHTTPURL(s); got != want {
			t.Errorf("validHTTPURL(%q) = %t, want %t", s, got, want)
		}
	}
}

func TestCheckChars(t *testing.T) {
	for _, c := range []struct {
		s         string
		multiline bool
		want      Code
	}{
		{"plain ascii", false, ""},
		{"Zoë 😀 \uFFFD", false, ""},
		{"tab\there", false, CodeInvalidCharacter},
		{"tab\there\nnewline\r", true, ""},
		{"bell\a", true, CodeInvalidCharacter},
		{"del\x7f", false, CodeInvalidCharacter},
		{"c1\u0085", false, CodeInvalidCharacter},
		{"bad \xff byte", false, CodeInvalidUTF8},
		{"é then bad \xc3", false, CodeInvalidUTF8},
	} {
		if got := checkChars(c.s, c.multiline); got.code != c.want {
			t.Errorf("checkChars(%q, %t) = %q, want %q", c.s, c.multiline, got.code, c.want)
		}
	}
}
