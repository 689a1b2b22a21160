package contactpatch_test

import (
	"context"
	"testing"

	cp "github.com/contactpatch/contactpatch"
)

// The allocation budget of the path every PATCH pays, gated in go test
// rather than only in bench/run.sh: the 8-field patch of the benchmark
// workload allocates the body's string arena, the appended note and the
// tag list that keeps the result apart from its input (rule R2).
func TestApplyJSONAllocationBudget(t *testing.T) {
	stored, body := benchStored(t), benchFile(t, "default_8")
	for _, c := range []struct {
		prof   *cp.Profile
		body   []byte
		budget float64
	}{
		{cp.Default(), body, 3},
		{cp.Default(), benchFile(t, "default_1"), 2},
	} {
		allocs := testing.AllocsPerRun(200, func() {
			if _, err := c.prof.ApplyJSON(context.Background(), stored, c.body, benchClock); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > c.budget {
			t.Errorf("ApplyJSON allocates %.0f times per call, budget %.0f: %s", allocs, c.budget, c.body)
		}
	}
}

// Decoding alone allocates only the string arena.
func TestDecodeAllocationBudget(t *testing.T) {
	body := benchFile(t, "default_8")
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := cp.Default().Decode(body); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 1 {
		t.Errorf("Decode allocates %.0f times per call, budget 1", allocs)
	}
}
