package fullname_test

import (
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch/fullname"
	"github.com/stretchr/testify/assert"
)

// TestSplitNameFindsWordsOfTheInput checks, over odd inputs, that
// Split never invents text: each result is made of words of the
// input. The table of names is testdata (name_cases_test.go).
func TestSplitNameFindsWordsOfTheInput(t *testing.T) {
	for _, full := range []string{",", ", ,", "(", `"`, "( )", "Doe,", ",Jane", "Jr.", "Dr. Jr.", "a , b , c", "de", "x\u2028y"} {
		first, last := fullname.Split(full)
		words := strings.Fields(strings.NewReplacer(",", " ").Replace(full))
		for _, part := range []string{first, last} {
			for _, w := range strings.Fields(part) {
				assert.Contains(t, words, w, "Split(%q) = %q, %q", full, first, last)
			}
		}
	}
}
