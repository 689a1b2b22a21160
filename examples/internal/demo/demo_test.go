package demo

import (
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunPrintsResponseChangesAndWarnings(t *testing.T) {
	var out strings.Builder
	err := Run(profiles.Callaidan(), cp.Contact{ID: "c1", Notes: cp.Value("a\nb")},
		cp.Options{CustomFields: []string{"plan"}}, strings.NewReader(`{"notes":"c","x":1}`), &out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Equal(t, "200", lines[0])
	assert.Contains(t, lines[1], `"notes":"c"`)
	assert.Equal(t, `# changed notes: "a\nb" -> "c"`, lines[2])
	assert.Equal(t, "# warning x: Unknown field ignored (ignored)", lines[3])
}

func TestRunPrintsTheErrorEnvelope(t *testing.T) {
	var out strings.Builder
	err := Run(profiles.Leadlex(), cp.Contact{}, cp.Options{}, strings.NewReader(`{"email":"x"}`), &out)
	require.Error(t, err)
	assert.Equal(t, "400\n"+`{"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"email":"Invalid email format"}}}}`+"\n", out.String())
}
