// Command leadlex applies a PATCH body read from standard input to a sample
// contact under the L API's profile (SPEC L1-L8) and prints the response:
//
//	echo '{"job_title": "Chief Legal Officer", "notes": "Promoted to CLO in Q1 2026"}' | go run ./examples/leadlex
package main

import (
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/demo"
	"github.com/contactpatch/contactpatch/profiles"
)

// sample is the contact of the document's examples, before the update.
var sample = cp.Contact{
	ID:        "123e4567-e89b-12d3-a456-426614174000",
	FullName:  cp.Value("Jane Doe"),
	Email:     cp.Value("jane@example.com"),
	JobTitle:  cp.Value("General Counsel"),
	Company:   cp.Value("Acme Legal"),
	Notes:     cp.Value("Met at conference. Interested in legal automation tools."),
	UpdatedAt: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC),
}

func main() { demo.Main(profiles.Leadlex(), sample, cp.Options{}) }
