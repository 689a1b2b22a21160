package contactpatch_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// semanticsDoc is the repository's own definition of every rule ID.
const semanticsDoc = "docs/semantics.md"

// rule is one rule of the semantics document.
type rule struct {
	id      string
	planned bool // the whole rule is planned, so it needs no case yet
}

// ruleItem matches a rule's definition: a list item opening with its ID
// in bold, and whether the rule as a whole is marked planned.
var ruleItem = regexp.MustCompile(`(?m)^- \*\*([A-Z][0-9]+)\*\*( \*Planned)?`)

// citation matches a rule ID wherever the repository cites one.
var citation = regexp.MustCompile(`\b[LGCRHDTWIE][1-9][0-9]?\b`)

func definedRules(t *testing.T) []rule {
	t.Helper()
	doc, err := os.ReadFile(semanticsDoc)
	require.NoError(t, err)
	var rules []rule
	for _, m := range ruleItem.FindAllSubmatch(doc, -1) {
		rules = append(rules, rule{id: string(m[1]), planned: len(m[2]) > 0})
	}
	require.NotEmpty(t, rules, "%s defines no rule", semanticsDoc)
	return rules
}

func ruleIDs(rules []rule, planned bool) []string {
	var ids []string
	for _, r := range rules {
		if r.planned == planned {
			ids = append(ids, r.id)
		}
	}
	return ids
}

// Every rule that is not planned has a testdata case, and every case
// names only rules the document defines.
func TestEveryRuleHasACase(t *testing.T) {
	rules := definedRules(t)
	all := append(ruleIDs(rules, false), ruleIDs(rules, true)...)
	covered := map[string]bool{}
	for _, f := range conformance.Files(".") {
		for _, c := range conformance.Load(t, f) {
			for _, r := range c.Rules {
				assert.Contains(t, all, r, "%s names rule %s, which %s does not define", f, r, semanticsDoc)
				covered[r] = true
			}
		}
	}
	for _, id := range ruleIDs(rules, false) {
		if provenByTests(id) {
			continue // they need stores and listeners: TestOperationalRulesHaveTests
		}
		assert.True(t, covered[id], "no testdata case names rule %s", id)
	}
}

// provenByTests reports whether rule id is proven by named tests rather
// than by testdata cases: the operational (O), tenant (T), lifecycle
// (W), retry (I) and event (E) rules, and HubSpot's history, lifecycle
// routes and rate-limit headers (H11, H12, H14, H16), none of them a
// PATCH of one contact.
func provenByTests(id string) bool {
	return strings.ContainsAny(id[:1], "OTWIE") || slices.Contains([]string{"H11", "H12", "H14", "H16"}, id)
}

// The rules provenByTests names are proven by tests with real stores and
// a real listener, not by cases: the README's row of each names tests
// that exist in the repository.
func TestOperationalRulesHaveTests(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	var sources strings.Builder
	require.NoError(t, filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, "_test.go") {
			b, _ := os.ReadFile(path)
			sources.Write(b)
		}
		return err
	}))
	for _, id := range ruleIDs(definedRules(t), false) {
		if !provenByTests(id) {
			continue
		}
		row := regexp.MustCompile(`(?m)^\| ` + id + ` \|.*$`).Find(readme)
		require.NotNil(t, row, "README semantics table lacks rule %s", id)
		tests := regexp.MustCompile("`(Test[A-Za-z0-9]+)`").FindAllSubmatch(row, -1)
		scripts := regexp.MustCompile("`(examples/[a-z]+\\.sh)").FindAllSubmatch(row, -1)
		assert.NotEmpty(t, append(tests, scripts...), "README row of %s names no test", id)
		for _, m := range tests {
			assert.Contains(t, sources.String(), "func "+string(m[1])+"(", "rule %s cites a test that does not exist", id)
		}
		for _, m := range scripts {
			_, err := os.Stat(string(m[1]))
			assert.NoError(t, err, "rule %s cites a missing script", id)
		}
	}
}

// Every rule ID cited anywhere in the repository's code, documents and
// cases is defined in the semantics document, and no file points at a
// document outside the repository.
func TestSemanticsDocumentDefinesEveryCitedRule(t *testing.T) {
	rules := definedRules(t)
	defined := append(ruleIDs(rules, false), ruleIDs(rules, true)...)
	outside := regexp.MustCompile(`SPEC\.md|\.\./shared|\bseeds?/`)
	files := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || path == filepath.Join("testdata", "fuzz")):
			return filepath.SkipDir
		case d.IsDir() || !slices.Contains([]string{".go", ".md", ".json", ".sh"}, filepath.Ext(path)):
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		for _, id := range citation.FindAllString(string(data), -1) {
			assert.Contains(t, defined, id, "%s cites rule %s, which %s does not define", path, id, semanticsDoc)
		}
		if path != "semantics_test.go" {
			assert.False(t, outside.Match(data), "%s points at a document outside the repository", path)
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, files, 50, "the walk should read the repository")
}

// The README's semantics table has a row for every rule that is not
// planned, and every case it points at exists.
func TestReadmeTableNamesEveryRule(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	rows := regexp.MustCompile(`(?m)^\| *([LGCRHDOTWIE][0-9]+) *\|`).FindAllSubmatch(readme, -1)
	var listed []string
	for _, r := range rows {
		listed = append(listed, string(r[1]))
	}
	for _, id := range ruleIDs(definedRules(t), false) {
		assert.True(t, slices.Contains(listed, id), "README semantics table lacks rule %s", id)
	}
	for _, m := range regexp.MustCompile("`(testdata/[^`]+\\.json)`").FindAllSubmatch(readme, -1) {
		_, err := os.Stat(string(m[1]))
		assert.NoError(t, err, "README points at a missing case")
	}
}

// The README's walk through a made-up API is the code the example runs.
func TestReadmeShowsTheDescribeExample(t *testing.T) {
	src, err := os.ReadFile("describe_example_test.go")
	require.NoError(t, err)
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, after, ok := strings.Cut(string(src), "// describe:start\n")
	require.True(t, ok)
	code, _, ok := strings.Cut(after, "\t// describe:end")
	require.True(t, ok)
	var lines []string
	for _, l := range strings.Split(code, "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	snippet := strings.Join(lines, "\n")
	assert.Contains(t, string(readme), "```go\n"+snippet+"```", "README's Describe your own API section")
	assert.Less(t, strings.Count(snippet, "\n"), 30, "under 30 lines of Go")
}
