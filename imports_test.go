package contactpatch_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Only internal/wire judges JSON on the request path (issue 17): the root
// files that may import encoding/json are those whose public types hosts
// marshal with it, and the alias that names its RawMessage once.
func TestEncodingJSONConfined(t *testing.T) {
	allowed := map[string]bool{
		"field.go":           true, // the rawJSON alias
		"field_gen.go":       true, // Contact's public JSON-tagged struct
		"extension_value.go": true, // typed access names json.RawMessage in a constraint
		"optional.go":        true, // Optional's MarshalJSON and UnmarshalJSON for hosts
		"event.go":           true, // Event's public JSON form, with the values as JSON text
		"contact_json.go":    true, // Contact's JSON methods fall back to it for what they do not expect
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "encoding/json" && !allowed[name] {
				t.Errorf("%s imports encoding/json; decode through internal/wire", name)
			}
		}
	}
}
