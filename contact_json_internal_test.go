package contactpatch

// Contact's own JSON methods against encoding/json over the same struct
// tags: the bytes written, and what a read leaves in a contact that
// already holds values, for the stored form and for inputs that stray
// from it.

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const contactJSONCases = 3000

type jsonGen struct{ r *rand.Rand }

var jsonTexts = []string{"", "Jane", "<b>&amp;</b>", "Zoë 東京 😀", "line\nbreak\ttab\"quote\\", "\u2028sep\u2029", "bad\xffutf8", "\x01ctl"}

func (g jsonGen) text() Optional[string] {
	switch g.r.IntN(3) {
	case 0:
		return Optional[string]{}
	case 1:
		return Null[string]()
	}
	return Value(jsonTexts[g.r.IntN(len(jsonTexts))])
}

func (g jsonGen) raw() map[string]json.RawMessage {
	switch g.r.IntN(3) {
	case 0:
		return nil
	case 1:
		return map[string]json.RawMessage{}
	}
	return map[string]json.RawMessage{
		"plan": json.RawMessage(`"gold"`), "seats": json.RawMessage(` 12 `),
		"nested": json.RawMessage(`{"a": [1, 2.5e3, null], "b":"<x>"}`), "z": nil,
	}
}

func (g jsonGen) time() time.Time {
	if g.r.IntN(2) == 0 {
		return time.Time{}
	}
	zone := time.FixedZone("", 3600*(g.r.IntN(5)-2))
	return time.Date(2020+g.r.IntN(6), 1+time.Month(g.r.IntN(12)), 1+g.r.IntN(28), g.r.IntN(24), 0, 0, g.r.IntN(3)*123456789, zone)
}

func (g jsonGen) contact() Contact {
	c := Contact{ID: jsonTexts[g.r.IntN(4)], Version: g.r.Uint64() >> g.r.IntN(64), IsDND: g.r.IntN(2) == 0}
	for f := FieldID; f < numFields; f++ {
		switch f.kind() {
		case kindText:
			*c.text(f) = g.text()
		case kindTags:
			switch g.r.IntN(3) {
			case 1:
				c.Tags = []string{}
			case 2:
				c.Tags = []string{"vip", "<lead>", "東京"}
			}
		case kindCustom:
			c.CustomFields = g.raw()
		case kindTime:
			*c.timeField(f) = g.time()
		}
	}
	c.Extensions, c.ArchivedAt = g.raw(), g.time()
	return c
}

func TestContactMarshalJSONMatchesTheStructTags(t *testing.T) {
	g := jsonGen{rand.New(rand.NewPCG(20261203, 1))}
	for range contactJSONCases {
		c := g.contact()
		want, wantErr := json.Marshal((*contactFields)(&c))
		got, err := json.Marshal(c)
		require.Equal(t, wantErr == nil, err == nil, "%v / %v", wantErr, err)
		require.Equal(t, string(want), string(got))
		direct, err := c.MarshalJSON()
		require.NoError(t, err)
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, direct), "MarshalJSON writes one JSON value")
	}
}

func TestContactMarshalJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	for _, c := range []Contact{
		{CustomFields: map[string]json.RawMessage{"x": json.RawMessage(`{"a":`)}},
		{Extensions: map[string]json.RawMessage{"x": json.RawMessage(`1 2`)}},
		{CreatedAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, wantErr := json.Marshal((*contactFields)(&c))
		require.Error(t, wantErr)
		_, err := json.Marshal(c)
		require.Error(t, err)
	}
}

// strays are edits that take a stored form away from the one the fast
// reader expects.
var strays = []func(s string, r *rand.Rand) string{
	func(s string, _ *rand.Rand) string { return s },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"email"`, `"EMAIL"`, 1) },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"version":`, `"version":-`, 1) },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"version":`, `"version":"1","v":`, 1) },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"is_dnd":`, `"is_dnd":null,"x":`, 1) },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"tags":`, `"tags":[1],"y":`, 1) },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"id":`, `"id":null,"id2":`, 1) },
	func(s string, _ *rand.Rand) string {
		return strings.Replace(s, `{`, `{"custom_fields":{"dup":1},"extensions":null,"created_at":null,"first_name":null, `, 1)
	},
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"created_at":"`, `"created_at":"x`, 1) },
	func(s string, _ *rand.Rand) string { return strings.ReplaceAll(s, `,`, " ,\n\t") },
	func(s string, r *rand.Rand) string { return s[:r.IntN(len(s))] },
	func(s string, _ *rand.Rand) string { return `null` },
	func(s string, _ *rand.Rand) string { return s + `{}` },
	func(s string, _ *rand.Rand) string { return strings.Replace(s, `"`, `"\ud800`, 3) },
}

func TestContactUnmarshalJSONMatchesTheStructTags(t *testing.T) {
	g := jsonGen{rand.New(rand.NewPCG(20261203, 2))}
	for i := range contactJSONCases {
		src, held := g.contact(), g.contact()
		raw, err := json.Marshal((*contactFields)(&src))
		if err != nil {
			continue // the generator made a value encoding/json refuses
		}
		in := strays[i%len(strays)](string(raw), g.r)
		want, got := held, held
		want.detach()
		got.detach()
		wantErr := json.Unmarshal([]byte(in), (*contactFields)(&want))
		err = json.Unmarshal([]byte(in), &got)
		require.Equal(t, wantErr == nil, err == nil, "%s: %v / %v", in, wantErr, err)
		require.True(t, reflect.DeepEqual(want, got), "%s:\nwant %#v\ngot  %#v", in, want, got)
	}
}

func TestContactJSONRoundTrips(t *testing.T) {
	g := jsonGen{rand.New(rand.NewPCG(20261203, 3))}
	for range contactJSONCases {
		c := g.contact()
		raw, err := c.MarshalJSON()
		if err != nil {
			continue
		}
		// Invalid UTF-8 is written as U+FFFD, so the first read settles
		// the form; from then on it reads back to itself.
		var once, twice Contact
		require.NoError(t, once.UnmarshalJSON(raw))
		raw, err = once.MarshalJSON()
		require.NoError(t, err)
		require.NoError(t, twice.UnmarshalJSON(raw))
		require.True(t, reflect.DeepEqual(once, twice), "%s", raw)
		again, err := twice.MarshalJSON()
		require.NoError(t, err)
		require.Equal(t, string(raw), string(again))
	}
}

func BenchmarkContactJSON(b *testing.B) {
	c := Contact{ID: "c1", FirstName: Value("Jane"), LastName: Value("Doe"), Email: Value("jane@example.com"),
		JobTitle: Value("Counsel"), Phone: Value("+14155552671"), Tags: []string{"vip"}, Version: 7,
		CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	raw, _ := json.Marshal((*contactFields)(&c))
	for _, bench := range []struct {
		name string
		fn   func() error
	}{
		{"MarshalReflect", func() error { _, err := json.Marshal((*contactFields)(&c)); return err }},
		{"Marshal", func() error { _, err := c.MarshalJSON(); return err }},
		{"UnmarshalReflect", func() error { var d Contact; return json.Unmarshal(raw, (*contactFields)(&d)) }},
		{"Unmarshal", func() error { var d Contact; return d.UnmarshalJSON(raw) }},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bench.fn(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
