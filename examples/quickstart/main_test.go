package main

import (
	"os"
	"strings"
	"testing"
)

// The README's contact service is this program, line for line.
func TestReadmeShowsTheQuickstart(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, code, _ := strings.Cut(string(src), "// quickstart:start\n")
	code, _, _ = strings.Cut(code, "\n// quickstart:end")
	if !strings.Contains(string(readme), "```go\npackage main\n\n"+code+"```") {
		t.Errorf("the README's service is not examples/quickstart/main.go:\n%s", code)
	}
}
