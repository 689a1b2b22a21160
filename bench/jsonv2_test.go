//go:build goexperiment.jsonv2

package bench

// Baselines from encoding/json/v2 (built with GOEXPERIMENT=jsonv2): the
// strictest decoder of the standard library, with unknown members
// refused as the default profile refuses them (duplicate names and
// invalid UTF-8 are refused by default), decoding the 8- and 20-field
// bodies into a struct of *string fields, and decoding them onto a copy
// of the stored contact's struct, which is the decode and the apply of a
// handler without field policies.

import (
	"encoding/json/v2"
	"testing"
)

// v2Contact is the default profile's text fields as a hand-written
// handler would declare them.
type v2Contact struct {
	ID                *string  `json:"id"`
	FullName          *string  `json:"full_name"`
	FirstName         *string  `json:"first_name"`
	LastName          *string  `json:"last_name"`
	MiddleName        *string  `json:"middle_name"`
	NameTitle         *string  `json:"name_title"`
	NameSuffix        *string  `json:"name_suffix"`
	Nickname          *string  `json:"nickname"`
	Email             *string  `json:"email"`
	Phone             *string  `json:"phone"`
	JobTitle          *string  `json:"job_title"`
	Company           *string  `json:"company"`
	University        *string  `json:"university"`
	Gender            *string  `json:"gender"`
	Birthday          *string  `json:"birthday"`
	Location          *string  `json:"location"`
	LinkedIn          *string  `json:"linkedin"`
	Instagram         *string  `json:"instagram"`
	Twitter           *string  `json:"twitter"`
	GitHub            *string  `json:"github"`
	Website           *string  `json:"website"`
	Notes             *string  `json:"notes"`
	Status            *string  `json:"status"`
	LeadSource        *string  `json:"lead_source"`
	ProfilePictureURL *string  `json:"profile_picture_url"`
	Tags              []string `json:"tags"`
	IsDND             *bool    `json:"is_dnd"`
}

var strict = json.RejectUnknownMembers(true)

func BenchmarkBaselineJSONv2Decode(b *testing.B) {
	onBodies(b, func(body []byte) error {
		var c v2Contact
		return json.Unmarshal(body, &c, strict)
	})
}

func BenchmarkBaselineJSONv2DecodeApply(b *testing.B) {
	var stored v2Contact
	if err := json.Unmarshal(workload(b, "stored"), &stored); err != nil {
		b.Fatal(err)
	}
	onBodies(b, func(body []byte) error {
		c := stored
		return json.Unmarshal(body, &c, strict)
	})
}
