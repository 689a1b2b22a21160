package main

// field is one canonical field of a Contact: the single place where its
// identity is written. Everything else about it (the Field constant, its
// name table entry, its place in Contact and Patch, and the accessors the
// decoder, Apply and Render reach it through) is generated from this row.
type field struct {
	Go   string // Go name in Contact and Patch, and FieldGo the constant
	Name string // canonical snake_case name: JSON key and Field.String()
	Kind string // text, id, tags, bool, custom or time
	// Multiline marks text that holds newlines by nature (notes), which
	// format policies such as Email cannot serve.
	Multiline bool
	// Personal marks a person's name or one of its parts, which may hold
	// the zero-width joiners some scripts need inside words.
	Personal bool
	Doc      string // the comment on the Contact field, if any
}

// fields lists the canonical fields in the order Apply visits them. Add a
// field here, run go generate, and every part of the library knows it.
var fields = []field{
	{Go: "ID", Name: "id", Kind: "id", Doc: `ID identifies the contact as its API spells it. It is a string and
not a uuid.UUID because not every API uses UUIDs (G's ids are opaque
20-character strings); a profile that does checks echoed ids as UUIDs.`},
	{Go: "FullName", Name: "full_name", Kind: "text", Personal: true},
	{Go: "FirstName", Name: "first_name", Kind: "text", Personal: true},
	{Go: "LastName", Name: "last_name", Kind: "text", Personal: true},
	{Go: "MiddleName", Name: "middle_name", Kind: "text", Personal: true, Doc: `MiddleName, NameTitle, NameSuffix and Nickname hold the other parts
a parsed full name has (see fullname.Parse).`},
	{Go: "NameTitle", Name: "name_title", Kind: "text", Personal: true},
	{Go: "NameSuffix", Name: "name_suffix", Kind: "text", Personal: true},
	{Go: "Nickname", Name: "nickname", Kind: "text", Personal: true},
	{Go: "Email", Name: "email", Kind: "text"},
	{Go: "Phone", Name: "phone", Kind: "text"},
	{Go: "JobTitle", Name: "job_title", Kind: "text"},
	{Go: "Company", Name: "company", Kind: "text"},
	{Go: "University", Name: "university", Kind: "text"},
	{Go: "Gender", Name: "gender", Kind: "text"},
	{Go: "Birthday", Name: "birthday", Kind: "text"},
	{Go: "Location", Name: "location", Kind: "text"},
	{Go: "LinkedIn", Name: "linkedin", Kind: "text"},
	{Go: "Instagram", Name: "instagram", Kind: "text"},
	{Go: "Twitter", Name: "twitter", Kind: "text"},
	{Go: "GitHub", Name: "github", Kind: "text"},
	{Go: "Website", Name: "website", Kind: "text"},
	{Go: "Notes", Name: "notes", Kind: "text", Multiline: true},
	{Go: "Status", Name: "status", Kind: "text"},
	{Go: "LeadSource", Name: "lead_source", Kind: "text"},
	{Go: "ProfilePictureURL", Name: "profile_picture_url", Kind: "text"},
	{Go: "Tags", Name: "tags", Kind: "tags", Doc: `Tags is nil or empty for a contact without tags.`},
	{Go: "IsDND", Name: "is_dnd", Kind: "bool", Doc: `IsDND is true when the contact asked not to be disturbed.`},
	{Go: "CustomFields", Name: "custom_fields", Kind: "custom", Doc: `CustomFields maps a tenant's custom-field names to JSON values, kept
as the compact JSON text the client sent so that nothing is lost.`},
	{Go: "CreatedAt", Name: "created_at", Kind: "time", Doc: `CreatedAt, UpdatedAt and LastActivity are zero when unknown. Apply
sets UpdatedAt from its clock whenever a patch changes something.`},
	{Go: "UpdatedAt", Name: "updated_at", Kind: "time"},
	{Go: "LastActivity", Name: "last_activity", Kind: "time"},
}
