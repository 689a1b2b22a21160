package contactpatch

import (
	"encoding/binary"
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

// plainWord must agree with the byte table on every word: checked on
// words built from bytes around each boundary the tricks rely on.
func TestPlainWordAgreesWithTheByteTable(t *testing.T) {
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"' - 1, '"', '"' + 1, '\\' - 1, '\\', '\\' + 1, 'a', 0x7e, 0x7f, 0x80, 0x81, 0xc3, 0xfe, 0xff}
	var word [8]byte
	check := func() {
		w := binary.LittleEndian.Uint64(word[:])
		want := true
		for _, c := range word {
			want = want && plain[c]
		}
		if got := plainWord(w); got != want {
			t.Fatalf("plainWord(% x) = %t, want %t", word, got, want)
		}
	}
	for pos := range word {
		for _, base := range []byte{'a', ' ', 0x7e} {
			for i := range word {
				word[i] = base
			}
			for _, c := range edges {
				word[pos] = c
				check()
				for _, c2 := range edges {
					word[(pos+3)%8] = c2
					check()
				}
			}
		}
	}
}
