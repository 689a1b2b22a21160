package bench

import (
	"encoding/json"
	"testing"

	"github.com/contactpatch/contactpatch/fullname"
)

// benchNames is the name workload: ordinary names with the usual titles,
// suffixes, particles and nicknames (testdata/bench/names.json).
func benchNames(b *testing.B) []string {
	var names []string
	if err := json.Unmarshal(workload(b, "names"), &names); err != nil {
		b.Fatal(err)
	}
	return names
}

// BenchmarkParseFullName parses (with fullname.Parse) every name of the workload once per op.
func BenchmarkParseFullName(b *testing.B) {
	names := benchNames(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			fullname.Parse(n)
		}
	}
}

// BenchmarkBaselineSplitNameBefore is the same work for SplitName as it
// stood before the parser (now fullname.Parse), frozen in legacyname_test.go.
func BenchmarkBaselineSplitNameBefore(b *testing.B) {
	names := benchNames(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			legacySplitName(n)
		}
	}
}
