// Command callaidan applies a PATCH body read from standard input to a
// sample contact under the C API's profile (SPEC C1-C9) and prints the
// response. The sample company's custom fields are "plan" and "seats":
//
//	echo '{"full_name": "Dr. Maria de la Cruz", "lead_source": "linkedin", "custom_fields": {"plan": "gold", "color": "red"}}' | go run ./examples/callaidan
package main

import (
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/demo"
	"github.com/contactpatch/contactpatch/profiles"
)

var sample = cp.Contact{
	ID:         "3c90c3cc-0d44-4b50-8888-8dd25736052a",
	FullName:   cp.Value("Maria Cruz"),
	FirstName:  cp.Value("Maria"),
	LastName:   cp.Value("Cruz"),
	Email:      cp.Value("maria@example.com"),
	Company:    cp.Value("Cruz Bakery"),
	Tags:       []string{"bakery"},
	LeadSource: cp.Value("api"),
	CreatedAt:  time.Date(2023, 11, 7, 5, 31, 56, 0, time.UTC),
}

func main() {
	demo.Main(profiles.Callaidan(), sample, cp.Options{CustomFields: []string{"plan", "seats"}})
}
