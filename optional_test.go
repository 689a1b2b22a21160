package contactpatch_test

import (
	"encoding/json"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionalStates(t *testing.T) {
	var o cp.Optional[int]
	assert.True(t, o.IsOmitted())
	assert.True(t, o.IsZero())
	assert.False(t, o.IsNull())
	assert.False(t, o.HasValue())
	assert.Equal(t, 7, o.Or(7))
	assert.Equal(t, "omitted", o.String())

	n := cp.Null[int]()
	assert.True(t, n.IsNull())
	assert.False(t, n.IsZero())
	assert.Equal(t, 7, n.Or(7))
	assert.Equal(t, "null", n.String())

	v := cp.Value(0) // a zero value is still a value
	assert.True(t, v.HasValue())
	assert.False(t, v.IsZero())
	assert.Equal(t, 0, v.Or(7))
	assert.Equal(t, "0", v.String())
	assert.NotEqual(t, v, n)
	assert.NotEqual(t, n, o)
}

func TestOptionalJSONRoundTrip(t *testing.T) {
	type doc struct {
		A cp.Optional[string]   `json:"a,omitzero"`
		B cp.Optional[string]   `json:"b,omitzero"`
		C cp.Optional[string]   `json:"c,omitzero"`
		D cp.Optional[[]string] `json:"d,omitzero"`
	}
	in := `{"a":null,"b":"","d":[]}`
	var d doc
	require.NoError(t, json.Unmarshal([]byte(in), &d))
	assert.True(t, d.A.IsNull())
	assert.Equal(t, cp.Value(""), d.B)
	assert.True(t, d.C.IsOmitted())
	list, ok := d.D.Get()
	assert.True(t, ok)
	assert.Equal(t, []string{}, list)
	out, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, in, string(out))

	// Without omitzero an omitted Optional has no form of its own: null.
	b, err := json.Marshal(struct{ X cp.Optional[int] }{})
	require.NoError(t, err)
	assert.Equal(t, `{"X":null}`, string(b))

	var bad doc
	assert.Error(t, json.Unmarshal([]byte(`{"a": 5}`), &bad))
}

// A Patch marshalled with encoding/json is a body the default profile
// decodes back to the same Patch.
func TestPatchJSONRoundTripsThroughDefaultProfile(t *testing.T) {
	p := cp.Patch{
		JobTitle: cp.Value("CTO"),
		Company:  cp.Null[string](),
		Tags:     cp.Value([]string{"a"}),
		IsDND:    cp.Value(false),
	}
	body, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"job_title":"CTO","company":null,"tags":["a"],"is_dnd":false}`, string(body))
	got, err := cp.Default().Decode(body)
	require.NoError(t, err)
	assert.Equal(t, p, got)
}

// Optional is a plain value: setting and reading it never allocates.
func TestOptionalDoesNotAllocate(t *testing.T) {
	s := "CTO"
	var sink string
	allocs := testing.AllocsPerRun(100, func() {
		o := cp.Value(s)
		n := cp.Null[string]()
		v, _ := o.Get()
		sink = v + n.Or("")
		_ = o.IsNull() || o.IsOmitted() || n.HasValue()
	})
	assert.Zero(t, allocs)
	assert.Equal(t, "CTO", sink)
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// Text Optionals encode and decode without encoding/json's reflection;
// the JSON they write reads back through encoding/json as the same
// string, and they read what encoding/json writes, escapes included.
func TestOptionalTextRoundTrips(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ back`, "line\nbreak\ttab\x01", "<a&b>", "é 日本 🎉", "\u2028"} {
		out, err := json.Marshal(cp.Value(s))
		require.NoError(t, err)
		var back string
		require.NoError(t, json.Unmarshal(out, &back), "%s", out)
		assert.Equal(t, s, back)
		std, _ := json.Marshal(s)
		var o cp.Optional[string]
		require.NoError(t, json.Unmarshal(std, &o))
		assert.Equal(t, cp.Value(s), o, "%s", std)
	}
	var o cp.Optional[string]
	require.Error(t, json.Unmarshal([]byte(`"unterminated`), &o))
	require.NoError(t, json.Unmarshal([]byte("\"bad \xff byte\""), &o), "invalid UTF-8 falls back to encoding/json, which replaces it")
	assert.Equal(t, cp.Value("bad \ufffd byte"), o)
}
