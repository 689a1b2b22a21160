package fullname_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/contactpatch/contactpatch/fullname"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nameFile is one file of testdata: a class of names, the rule it
// checks, and each name with every part a person would expect of it.
type nameFile struct {
	Rules []string   `json:"rules"`
	Title string     `json:"title"`
	About string     `json:"about"`
	Cases []nameCase `json:"cases"`
}

type nameCase struct {
	In       string `json:"in"`
	Title    string `json:"title"`
	First    string `json:"first"`
	Middle   string `json:"middle"`
	Last     string `json:"last"`
	Suffix   string `json:"suffix"`
	Nickname string `json:"nickname"`
}

func (c nameCase) want() fullname.Name {
	return fullname.Name{Title: c.Title, First: c.First, Middle: c.Middle, Last: c.Last, Suffix: c.Suffix, Nickname: c.Nickname}
}

func loadNameCases(t testing.TB) []nameCase {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	var all []nameCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		var f nameFile
		require.NoError(t, json.Unmarshal(data, &f), file)
		require.Equal(t, []string{"R11"}, f.Rules, "%s names the rule it checks", file)
		all = append(all, f.Cases...)
	}
	return all
}

// TestParseFullName runs the name table: every part of every name, and
// Split's two of them.
func TestParseFullName(t *testing.T) {
	cases := loadNameCases(t)
	require.GreaterOrEqual(t, len(cases), 250)
	for _, c := range cases {
		assert.Equal(t, c.want(), fullname.Parse(c.In), "Parse(%q)", c.In)
		first, last := fullname.Split(c.In)
		assert.Equal(t, [2]string{c.First, c.Last}, [2]string{first, last}, "Split(%q)", c.In)
	}
}

// Joining the parts back with Name.String and parsing that gives the
// same parts: a stored name survives a round through its full form.
func TestNameStringParsesBack(t *testing.T) {
	for _, c := range loadNameCases(t) {
		n := fullname.Parse(c.In)
		assert.Equal(t, n, fullname.Parse(n.String()), "%q joined as %q", c.In, n.String())
	}
}

// An ordinary name is parsed without allocating: every part is a
// substring of the input.
func TestParseFullNameAllocatesNothing(t *testing.T) {
	for _, full := range []string{"Jane Doe", "Dr. Martin Luther King, Jr.", "Ludwig van Beethoven", `William "Bill" Gates III`,
		"Doe, Jane Marie", "John Doe, CLU, CFP, LUTC", "Rt. Hon. Kenneth Clarke QC MP", "Juan Velasquez y Garcia"} {
		if allocs := testing.AllocsPerRun(100, func() { fullname.Parse(full) }); allocs > 0 {
			t.Errorf("Parse(%q) allocates %.0f times", full, allocs)
		}
	}
}
