package contactpatch_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/nyaruka/phonenumbers"
)

// The reference workload lives in testdata/bench: a stored contact of 15
// fields and patches named <profile>_<fields>[_phone].json. bench/run.sh
// runs these benchmarks with the baselines and prints the ratios.

func benchFile(b testing.TB, name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "bench", name+".json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func benchStored(b testing.TB) cp.Contact {
	var c cp.Contact
	if err := json.Unmarshal(benchFile(b, "stored"), &c); err != nil {
		b.Fatal(err)
	}
	return c
}

var benchClock = cp.Options{Now: fixedClock}

// BenchmarkDecodeApply measures the whole path a handler pays for:
// strict decode, validation, normalization and merge, as ApplyJSON does.
func BenchmarkDecodeApply(b *testing.B) {
	for _, bc := range []struct {
		prof  *cp.Profile
		patch string
	}{
		{cp.Default(), "default_1"},
		{cp.Default(), "default_1_phone"},
		{cp.Default(), "default_8"},
		{cp.Default(), "default_8_phone"},
		{cp.Default(), "default_20"},
		{cp.Default(), "default_20_phone"},
		{profiles.Leadlex(), "leadlex_doc"},
		{profiles.Gomry(), "gomry_doc"},
		{profiles.Callaidan(), "callaidan_8"},
	} {
		b.Run(bc.patch, func(b *testing.B) {
			stored, body := benchStored(b), benchFile(b, bc.patch)
			if _, err := bc.prof.ApplyJSON(context.Background(), stored, body, benchClock); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.prof.ApplyJSON(context.Background(), stored, body, benchClock); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecode measures the decoder alone.
func BenchmarkDecode(b *testing.B) {
	body := benchFile(b, "default_8")
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cp.Default().Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

// onBodies runs op on each named body of the workload as a sub-benchmark,
// reporting throughput and allocations.
func onBodies(b *testing.B, names []string, op func(body []byte) error) {
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			body := benchFile(b, name)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := op(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBaselineValid is baseline (a): one validating scan of the same
// bytes, the floor any decoder stands on.
func BenchmarkBaselineValid(b *testing.B) {
	onBodies(b, []string{"default_8", "default_20"}, func(body []byte) error {
		if !json.Valid(body) {
			return errors.New("invalid")
		}
		return nil
	})
}

// pointerPatch is what a hand-written handler decodes into: a pointer per
// field, nil when omitted (and, unlike Optional, also nil for null).
type pointerPatch struct {
	FullName          *string                    `json:"full_name"`
	FirstName         *string                    `json:"first_name"`
	LastName          *string                    `json:"last_name"`
	Email             *string                    `json:"email"`
	Phone             *string                    `json:"phone"`
	JobTitle          *string                    `json:"job_title"`
	Company           *string                    `json:"company"`
	University        *string                    `json:"university"`
	Gender            *string                    `json:"gender"`
	Birthday          *string                    `json:"birthday"`
	Location          *string                    `json:"location"`
	LinkedIn          *string                    `json:"linkedin"`
	Instagram         *string                    `json:"instagram"`
	Twitter           *string                    `json:"twitter"`
	GitHub            *string                    `json:"github"`
	Website           *string                    `json:"website"`
	Notes             *string                    `json:"notes"`
	Status            *string                    `json:"status"`
	LeadSource        *string                    `json:"lead_source"`
	ProfilePictureURL *string                    `json:"profile_picture_url"`
	Tags              *[]string                  `json:"tags"`
	IsDND             *bool                      `json:"is_dnd"`
	CustomFields      map[string]json.RawMessage `json:"custom_fields"`
}

// BenchmarkBaselineUnmarshal is baseline (b): encoding/json into a struct
// of pointers, with no validation, normalization or merge at all.
func BenchmarkBaselineUnmarshal(b *testing.B) {
	onBodies(b, []string{"default_8", "default_20"}, func(body []byte) error {
		var p pointerPatch
		return json.Unmarshal(body, &p)
	})
}

// BenchmarkBaselinePhone is baseline (d): the phonenumbers calls the E.164
// policy makes, on the number of the *_phone patches.
func BenchmarkBaselinePhone(b *testing.B) {
	const number = "+1 (415) 555-2672"
	b.ReportAllocs()
	for b.Loop() {
		num, err := phonenumbers.Parse(number, "")
		if err != nil || !phonenumbers.IsValidNumber(num) {
			b.Fatal("invalid", err)
		}
		_ = phonenumbers.Format(num, phonenumbers.E164)
	}
}

// BenchmarkRender measures writing a response: the stored contact under
// the G view, which writes every field.
func BenchmarkRender(b *testing.B) {
	c := benchStored(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := profiles.Gomry().Render(c); err != nil {
			b.Fatal(err)
		}
	}
}
