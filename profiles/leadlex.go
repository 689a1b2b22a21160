package profiles

import cp "github.com/contactpatch/contactpatch"

// leadlex follows the L API (rules L1-L8). The document says
// nothing of unknown keys; they are ignored with a warning, so that a
// client echoing a response object back still succeeds. It does not say
// any field is nullable, so null is refused everywhere.
var leadlex = cp.MustProfile(cp.Schema{
	Name: "leadlex",
	Fields: []cp.FieldSpec{
		{Name: "id", Field: cp.FieldID, ReadOnly: true},
		{Name: "full_name", Field: cp.FieldFullName},
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email()},
		{Name: "phone", Field: cp.FieldPhone, Policy: cp.PhoneLenient()},
		{Name: "job_title", Field: cp.FieldJobTitle},
		{Name: "company_name", Field: cp.FieldCompany},
		{Name: "linkedin_url", Field: cp.FieldLinkedIn, Policy: cp.HTTPURL()},
		{Name: "notes", Field: cp.FieldNotes, Policy: cp.Append("\n")},
		{Name: "updated_date", Field: cp.FieldUpdatedAt, ReadOnly: true},
	},
	UnknownKeys: cp.IgnoreUnknown,
	Errors:      cp.EnvelopeJSON,
	View: cp.View{
		Envelope: "data",
		Fields: []cp.ViewField{
			{Name: "id", Field: cp.FieldID, Always: true},
			{Name: "full_name", Field: cp.FieldFullName},
			{Name: "email", Field: cp.FieldEmail},
			{Name: "phone", Field: cp.FieldPhone},
			{Name: "job_title", Field: cp.FieldJobTitle},
			{Name: "company_name", Field: cp.FieldCompany},
			{Name: "linkedin_url", Field: cp.FieldLinkedIn},
			{Name: "notes", Field: cp.FieldNotes},
			{Name: "updated_date", Field: cp.FieldUpdatedAt},
		},
		Empty: cp.EmptyOmitted,
	},
})

// Leadlex returns the profile of the L API, PATCH /v1/contacts/:id:
// notes appended with a newline, phone checked leniently, linkedin_url an
// absolute http(s) URL, responses as {"data": {...}} with empty fields
// left out and updated_date in RFC 3339.
func Leadlex() *cp.Profile { return leadlex }
