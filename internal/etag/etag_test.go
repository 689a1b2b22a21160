package etag

import "testing"

func TestETagMatchesAsRFC9110(t *testing.T) {
	for header, want := range map[string]bool{
		`"v3"`:        true,
		` "v3" `:      true,
		`*`:           true,
		` * `:         true,
		`"v1", "v3"`:  true,
		`"v1","v3",`:  true,
		`, "v3"`:      true,
		`"a,b", "v3"`: true, // a comma may stand inside a tag
		`W/"v3"`:      false,
		`"v3", *`:     false,
		`*, "v3"`:     false,
		`"v3`:         false,
		`W/`:          false,
		`v3`:          false,
		`"v1" "v3"`:   false,
		`"v2"`:        false,
		`"v3"x`:       false,
	} {
		if got := Matches(header, `"v3"`, false); got != want {
			t.Errorf("Matches(%q) = %t, want %t", header, got, want)
		}
	}
}
