package contactpatch

import (
	"testing"
)

func TestValidHTTPURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://www.linkedin.com/in/jane":      true,
		"http://example.com":                    true,
		"HTTPS://EXAMPLE.COM/Path?q=1#frag":     true,
		"https://user:pw@example.com:8443/x":    true,
		"https://[2001:db8::1]:443/":            true,
		"https://münchen.de/":                   true,
		"https://my_host.example/~jane%20x":     true,
		"https://example.com?x":                 true,
		"ftp://example.com":                     false,
		"https://":                              false,
		"https:///path":                         false,
		"https//example.com":                    false,
		"example.com":                           false,
		"/in/jane":                              false,
		"javascript:alert(1)":                   false,
		"https://exa mple.com":                  false,
		"https://example.com/a b":               false,
		"https://example.com:80x":               false,
		"https://ex<ample.com":                  false,
		"https://[zz]/":                         false,
		"https://example.com/\x00":              false,
		"https://\xff.com":                      false,
		"https://example.com/\u0085":            false,
		"https://evil\u202ecom.example":         false,
		"https://example.com/\u200b":            false,
		"http://a%zz:99999999/":                 false,
		"http://a:99999999/":                    false,
		"http://a:65535/":                       true,
		"http://a:65536/":                       false,
		"https://example.com/a%2Fb?q=%e2%82%ac": true,
		"https://example.com/%":                 false,
		"https://example.com/%4":                false,
		"https://ex%41mple.com/":                false,
		"https://us%65r:pw@example.com/":        true,
		"https://a<b@example.com/":              false,
	} {
		if got := validHTTPURL(s); got != want {
			t.Errorf("validHTTPURL(%q) = %t, want %t", s, got, want)
		}
	}
}

func TestCheckChars(t *testing.T) {
	for _, c := range []struct {
		s     string
		class textClass
		want  Code
	}{
		{"plain ascii", singleLine, ""},
		{"Zoë 😀 \uFFFD", singleLine, ""},
		{"tab\there", singleLine, CodeInvalidCharacter},
		{"tab\there\nnewline\r", multiline, ""},
		{"bell\a", multiline, CodeInvalidCharacter},
		{"del\x7f", singleLine, CodeInvalidCharacter},
		{"c1\u0085", singleLine, CodeInvalidCharacter},
		{"bad \xff byte", singleLine, CodeInvalidUTF8},
		{"é then bad \xc3", singleLine, CodeInvalidUTF8},
		// invisible format characters (category Cf)
		{"\u202egnp.exe", singleLine, CodeInvalidCharacter},
		{"zero\u200bwidth", singleLine, CodeInvalidCharacter},
		{"isolate\u2066x\u2069", singleLine, CodeInvalidCharacter},
		{"\ufeffbom", singleLine, CodeInvalidCharacter},
		{"soft\u00adhyphen", singleLine, CodeInvalidCharacter},
		{"tag\U000E0041", singleLine, CodeInvalidCharacter},
		{"\u202egnp.exe", personal, CodeInvalidCharacter},
		{"zero\u200bwidth", personal, CodeInvalidCharacter},
		{"می\u200cخواهم", personal, ""}, // Persian writes ZWNJ inside words
		{"क्\u200dष", personal, ""},     // and Devanagari ZWJ
		{"می\u200cخواهم", singleLine, CodeInvalidCharacter},
		{"rtl\u202eoverride\nin notes", multiline, ""},
	} {
		var got Code
		if pr := checkChars(c.s, c.class); pr != nil {
			got = pr.code
		}
		if got != c.want {
			t.Errorf("checkChars(%q, %d) = %q, want %q", c.s, c.class, got, c.want)
		}
	}
}
