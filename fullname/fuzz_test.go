package fullname_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/contactpatch/contactpatch/fullname"
)

// FuzzParse: never panics; every word of every part is a word
// of the input (the nickname may be cut from inside its marks), so
// nothing is invented; parts are trimmed; joining the parts back with
// Name.String and parsing again gives the same parts; Split agrees.
func FuzzParse(f *testing.F) {
	for _, c := range loadNameCases(f) {
		f.Add(c.In)
	}
	for _, s := range []string{"(", ",", `"`, "( )", "Doe,", ",Jane", "Jr.", "Dr. Jr.", "a , b , c", "de", "x\u2028y", "& and &"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, full string) {
		if !utf8.ValidString(full) {
			return // names reach the parser as validated text
		}
		n := fullname.Parse(full)
		words := strings.FieldsFunc(full, func(r rune) bool { return r == ',' || isSpace(r) })
		for _, part := range []string{n.Title, n.First, n.Middle, n.Last, n.Suffix} {
			if strings.TrimSpace(part) != part {
				t.Fatalf("Parse(%q) = %+v: %q untrimmed", full, n, part)
			}
			for _, w := range strings.FieldsFunc(part, func(r rune) bool { return r == ',' || isSpace(r) }) {
				if !slices.Contains(words, w) {
					t.Fatalf("Parse(%q) = %+v: %q is not a word of the input", full, n, w)
				}
			}
		}
		if n.Nickname != "" && !strings.Contains(full, n.Nickname) {
			t.Fatalf("Parse(%q): nickname %q is not in the input", full, n.Nickname)
		}
		if again := fullname.Parse(n.String()); again != n {
			t.Fatalf("Parse(%q) = %+v, joined as %q, parses as %+v", full, n, n.String(), again)
		}
		if first, last := fullname.Split(full); first != n.First || last != n.Last {
			t.Fatalf("Split(%q) = %q, %q; Parse says %q, %q", full, first, last, n.First, n.Last)
		}
	})
}

func isSpace(r rune) bool { return strings.TrimSpace(string(r)) == "" }
