package contactpatch_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/require"
)

// propertyCases is how many generated cases each property checks.
const propertyCases = 10_000

// defaultSeed makes go test deterministic; CONTACTPATCH_SEED varies it.
const defaultSeed = 20260224

// propertySeed is CONTACTPATCH_SEED when set and defaultSeed otherwise; a
// failing test prints it so that the failure can be replayed.
func propertySeed(t *testing.T) uint64 {
	seed := uint64(defaultSeed)
	if s := os.Getenv("CONTACTPATCH_SEED"); s != "" {
		var err error
		seed, err = strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with CONTACTPATCH_SEED=%d", seed)
		}
	})
	return seed
}

// gen makes contacts and patches valid under the default profile, most of
// the time, from a seeded source: two gens with one seed make the same.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) gen { return gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g gen) pick(list ...string) string { return list[g.r.IntN(len(list))] }

var (
	words  = []string{"", "a", "Acme", "  padded  ", "Zoë", "東京", "O'Brien", "x-y", "mixed Case", "emoji 😀", "tab\there"}
	names  = []string{"Jane Doe", "Dr. Ludwig van Beethoven", "Doe, Jane", "Madonna", `William "Bill" Gates III`, "  José   Álvarez "}
	emails = []string{"jane@example.com", "J.Doe@Example.ORG", "o'brien+crm@mail.example.co.uk"}
	phones = []string{"+14155552671", "+1 (415) 555-2671", "+44 20 7946 0958", "+33 1 42 68 53 00"}
	urls   = []string{"https://example.com", "http://linkedin.com/in/jane", "https://x.dev/a?b=c#d"}
)

// text returns a value, a null (where nullable) or omitted.
func (g gen) text(nullable bool, values ...string) cp.Optional[string] {
	switch n := g.r.IntN(10); {
	case n < 4:
		return cp.Optional[string]{}
	case n < 5 && nullable:
		return cp.Null[string]()
	}
	return cp.Value(g.pick(values...))
}

func (g gen) tags() []string {
	tags := make([]string, g.r.IntN(5))
	for i := range tags {
		tags[i] = g.pick("vip", "lead", "Lead", " spaced ", "東京", "vip")
	}
	return tags
}

func (g gen) custom() map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for _, k := range []string{"plan", "seats"} {
		switch g.r.IntN(4) {
		case 0:
			m[k] = json.RawMessage(`"` + g.pick("gold", "silver") + `"`)
		case 1:
			m[k] = json.RawMessage(strconv.Itoa(g.r.IntN(100)))
		case 2:
			m[k] = json.RawMessage(`{"a":` + strconv.Itoa(g.r.IntN(3)) + `,"b":null}`)
		}
	}
	return m
}

// contact makes a stored contact, not always one a patch could produce.
func (g gen) contact() cp.Contact {
	c := cp.Contact{ID: "c" + strconv.Itoa(g.r.IntN(3)), Version: uint64(g.r.IntN(5))}
	c.FullName = g.text(true, names...)
	c.FirstName = g.text(true, "Jane", "Ludwig", "")
	c.LastName = g.text(true, "Doe", "van Beethoven", "")
	c.Email = g.text(true, "jane@example.com", "old@example.org")
	c.Phone = g.text(true, "+14155552671")
	c.JobTitle = g.text(true, words...)
	c.Company = g.text(true, words...)
	c.Notes = g.text(false, "first", "line one\nline two", "")
	c.Status = g.text(false, "active", "inactive")
	c.LeadSource = g.text(false, "api", "manual")
	c.LinkedIn = g.text(true, urls...)
	if g.r.IntN(2) == 0 {
		c.Tags = g.tags()
	}
	if g.r.IntN(2) == 0 {
		c.CustomFields = g.custom()
	}
	c.IsDND = g.r.IntN(2) == 0
	if g.r.IntN(2) == 0 {
		c.CreatedAt = time.Date(2025, 1, 1+g.r.IntN(28), 0, 0, g.r.IntN(60), 0, time.UTC)
		c.UpdatedAt = c.CreatedAt.Add(time.Hour)
	}
	return c
}

// patch makes a patch of the default profile; withNotes adds a note to
// append.
func (g gen) patch(withNotes bool) cp.Patch {
	p := cp.Patch{
		FullName:   g.text(true, names...),
		Email:      g.text(true, emails...),
		Phone:      g.text(true, phones...),
		JobTitle:   g.text(true, words...),
		Company:    g.text(true, words...),
		University: g.text(true, words...),
		Location:   g.text(true, words...),
		Website:    g.text(true, urls...),
		Status:     g.text(false, "active", "inactive"),
		LeadSource: g.text(false, "api", "webhook", "carrier pigeon"),
	}
	if g.r.IntN(3) == 0 {
		p.FirstName = g.text(true, "Janet", "Ludo", "")
		p.LastName = g.text(true, "Smith", "de la Cruz", "")
	}
	if g.r.IntN(3) == 0 {
		p.Tags = cp.Value(g.tags())
	}
	if g.r.IntN(3) == 0 {
		p.IsDND = cp.Value(g.r.IntN(2) == 0)
	}
	if g.r.IntN(3) == 0 {
		m := g.custom()
		if g.r.IntN(2) == 0 {
			m["plan"] = json.RawMessage("null")
		}
		p.CustomFields = cp.Value(m)
	}
	if withNotes {
		p.Notes = cp.Value(g.pick("x", "two\nlines", "\ttabbed", "Zoë"))
	}
	return p
}

var propertyOptions = cp.Options{CustomFields: []string{"plan", "seats"}, Now: fixedClock}

// sentKeys is the set of canonical keys a patch sends.
func sentKeys(t *testing.T, p cp.Patch) (map[string]json.RawMessage, []byte) {
	body, err := json.Marshal(p)
	require.NoError(t, err)
	var sent map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &sent))
	return sent, body
}

// Omitted fields never change, and Changes lists exactly the fields whose
// value differs.
func TestPropertyOnlySentFieldsChangeAndChangesAreExact(t *testing.T) {
	g := newGen(propertySeed(t))
	applied := 0
	for range propertyCases {
		stored, patch := g.contact(), g.patch(g.r.IntN(2) == 0)
		sent, body := sentKeys(t, patch)
		res, err := cp.Default().ApplyJSON(context.Background(), stored, body, propertyOptions)
		if err != nil {
			checkTyped(t, err)
			continue
		}
		applied++
		checkOnlySentChanged(t, stored, &res, sent)
		if t.Failed() {
			t.Fatalf("stored %+v\nbody %s", stored, body)
		}
	}
	requireApplied(t, applied)
}

// requireApplied fails a property whose generator stopped making patches
// that apply: a property checked on no case proves nothing.
func requireApplied(t *testing.T, applied int) {
	t.Helper()
	require.Greater(t, applied, propertyCases/2, "only %d of %d generated cases applied", applied, propertyCases)
}

// A patch without appends, applied twice, equals the patch applied once.
func TestPropertyReplacePatchIsIdempotent(t *testing.T) {
	g := newGen(propertySeed(t))
	applied := 0
	for range propertyCases {
		stored, patch := g.contact(), g.patch(false)
		once, err := cp.Default().Apply(context.Background(), stored, patch, propertyOptions)
		if err != nil {
			checkTyped(t, err)
			continue
		}
		applied++
		twice, err := cp.Default().Apply(context.Background(), once.Contact, patch, propertyOptions)
		require.NoError(t, err)
		if twice.Changed() || !reflect.DeepEqual(once.Contact, twice.Contact) {
			t.Fatalf("second apply changed %v\nstored %+v\npatch %+v", twice.Changes(), stored, patch)
		}
	}
	requireApplied(t, applied)
}

// Appending keeps the old notes as a prefix, joined by one newline.
func TestPropertyAppendKeepsOldNotesAsPrefix(t *testing.T) {
	g := newGen(propertySeed(t))
	applied := 0
	for range propertyCases {
		stored, patch := g.contact(), g.patch(true)
		res, err := cp.Default().Apply(context.Background(), stored, patch, propertyOptions)
		if err != nil {
			checkTyped(t, err)
			continue
		}
		applied++
		old, added := stored.Notes.Or(""), patch.Notes.Or("")
		want := added
		if old != "" {
			want = old + "\n" + added
		}
		if got := res.Contact.Notes.Or(""); got != want {
			t.Fatalf("notes %q + %q gave %q", old, added, got)
		}
	}
	requireApplied(t, applied)
}

// Apply never changes its inputs, and the result shares nothing with them.
func TestPropertyApplyNeverMutatesItsInputs(t *testing.T) {
	seed := propertySeed(t)
	g, twin := newGen(seed), newGen(seed)
	applied := 0
	for range propertyCases {
		stored, patch := g.contact(), g.patch(g.r.IntN(2) == 0)
		storedCopy, patchCopy := twin.contact(), twin.patch(twin.r.IntN(2) == 0)
		res, err := cp.Default().Apply(context.Background(), stored, patch, propertyOptions)
		if err == nil {
			applied++
			for i := range res.Contact.Tags {
				res.Contact.Tags[i] = "mutated"
			}
			for k, v := range res.Contact.CustomFields {
				for i := range v {
					v[i] = '!'
				}
				res.Contact.CustomFields[k+"x"] = nil
			}
		}
		if !reflect.DeepEqual(stored, storedCopy) || !reflect.DeepEqual(patch, patchCopy) {
			t.Fatalf("an input changed\nstored %+v\nwant   %+v\npatch %+v\nwant  %+v", stored, storedCopy, patch, patchCopy)
		}
	}
	requireApplied(t, applied)
}

// Rendering a contact, parsing the rendering and rendering again gives the
// same bytes under every profile: a view loses nothing it shows.
func TestPropertyRenderParseRoundTrip(t *testing.T) {
	g := newGen(propertySeed(t))
	profs := []*cp.Profile{cp.Default(), profiles.Leadlex(), profiles.Gomry(), profiles.Callaidan()}
	for i := range propertyCases {
		prof := profs[i%len(profs)]
		c := g.contact()
		out, err := prof.Render(c)
		require.NoError(t, err)
		back, err := prof.ParseContact(out)
		require.NoError(t, err, "%s: %s", prof.Name(), out)
		again, err := prof.Render(back)
		require.NoError(t, err)
		if string(out) != string(again) {
			t.Fatalf("%s: rendered\n%s\nthen, after parsing,\n%s", prof.Name(), out, again)
		}
		if strings.Contains(string(out), `"id"`) && back.ID != c.ID {
			t.Fatalf("%s: id %q came back as %q", prof.Name(), c.ID, back.ID)
		}
	}
}
