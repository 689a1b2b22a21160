// Command gomry applies a PATCH body read from standard input to a sample
// contact under the G API's profile (SPEC G1-G8) and prints the response.
// The address taken@example.com belongs to another contact, to show the
// 409 of G4:
//
//	echo '{"first_name": "Janet", "job_title": "CTO", "tags": ["vip", "speaker"]}' | go run ./examples/gomry
package main

import (
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/demo"
	"github.com/contactpatch/contactpatch/profiles"
)

// sample is the contact of the document's example, before the update.
var sample = cp.Contact{
	ID:        "AbCdEfGhIjKlMnOpQrSt",
	FirstName: cp.Value("Jane"),
	LastName:  cp.Value("Doe"),
	Email:     cp.Value("jane@example.com"),
	Phone:     cp.Value("+1234567890"),
	Status:    cp.Value("active"),
	JobTitle:  cp.Value("Engineer"),
	Company:   cp.Value("Acme Inc"),
	Location:  cp.Value("New York"),
	Tags:      []string{"lead"},
	CreatedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
}

// owners maps the organization's email addresses to their contacts.
var owners = map[string]string{"jane@example.com": sample.ID, "taken@example.com": "ZzYyXxWwVvUuTtSsRrQq"}

func main() {
	demo.Main(profiles.Gomry(), sample, cp.Options{
		EmailOwner: func(email string) (string, error) { return owners[email], nil },
	})
}
