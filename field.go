package contactpatch

// Field names one field of the canonical [Contact]. Profiles map their wire
// names onto Fields; errors, warnings and changes report them.
type Field uint8

// The fields of a Contact, in the order Apply visits them. The zero Field
// is not a field.
const (
	FieldID Field = iota + 1
	FieldFullName
	FieldFirstName
	FieldLastName
	FieldEmail
	FieldPhone
	FieldJobTitle
	FieldCompany
	FieldUniversity
	FieldGender
	FieldBirthday
	FieldLocation
	FieldLinkedIn
	FieldInstagram
	FieldTwitter
	FieldGitHub
	FieldWebsite
	FieldNotes
	FieldStatus
	FieldLeadSource
	FieldProfilePictureURL
	FieldTags
	FieldIsDND
	FieldCustomFields
	FieldCreatedAt
	FieldUpdatedAt
	FieldLastActivity

	numFields = iota + 1
)

// kind is the JSON shape of a field's value and so which policies fit it.
type kind uint8

const (
	kindText kind = iota
	kindID
	kindTags
	kindBool
	kindCustom
	kindTime
)

type textOf[R any] func(*R) *Optional[string]

type fieldInfo struct {
	name    string
	kind    kind
	contact textOf[Contact] // nil unless kind is kindText
	patch   textOf[Patch]
}

// fields is the one table that ties a Field to its canonical name, its
// shape and, for text fields, where it lives in a Contact and a Patch.
var fields = [numFields]fieldInfo{
	FieldID:                {name: "id", kind: kindID},
	FieldFullName:          text("full_name", func(c *Contact) *Optional[string] { return &c.FullName }, func(p *Patch) *Optional[string] { return &p.FullName }),
	FieldFirstName:         text("first_name", func(c *Contact) *Optional[string] { return &c.FirstName }, func(p *Patch) *Optional[string] { return &p.FirstName }),
	FieldLastName:          text("last_name", func(c *Contact) *Optional[string] { return &c.LastName }, func(p *Patch) *Optional[string] { return &p.LastName }),
	FieldEmail:             text("email", func(c *Contact) *Optional[string] { return &c.Email }, func(p *Patch) *Optional[string] { return &p.Email }),
	FieldPhone:             text("phone", func(c *Contact) *Optional[string] { return &c.Phone }, func(p *Patch) *Optional[string] { return &p.Phone }),
	FieldJobTitle:          text("job_title", func(c *Contact) *Optional[string] { return &c.JobTitle }, func(p *Patch) *Optional[string] { return &p.JobTitle }),
	FieldCompany:           text("company", func(c *Contact) *Optional[string] { return &c.Company }, func(p *Patch) *Optional[string] { return &p.Company }),
	FieldUniversity:        text("university", func(c *Contact) *Optional[string] { return &c.University }, func(p *Patch) *Optional[string] { return &p.University }),
	FieldGender:            text("gender", func(c *Contact) *Optional[string] { return &c.Gender }, func(p *Patch) *Optional[string] { return &p.Gender }),
	FieldBirthday:          text("birthday", func(c *Contact) *Optional[string] { return &c.Birthday }, func(p *Patch) *Optional[string] { return &p.Birthday }),
	FieldLocation:          text("location", func(c *Contact) *Optional[string] { return &c.Location }, func(p *Patch) *Optional[string] { return &p.Location }),
	FieldLinkedIn:          text("linkedin", func(c *Contact) *Optional[string] { return &c.LinkedIn }, func(p *Patch) *Optional[string] { return &p.LinkedIn }),
	FieldInstagram:         text("instagram", func(c *Contact) *Optional[string] { return &c.Instagram }, func(p *Patch) *Optional[string] { return &p.Instagram }),
	FieldTwitter:           text("twitter", func(c *Contact) *Optional[string] { return &c.Twitter }, func(p *Patch) *Optional[string] { return &p.Twitter }),
	FieldGitHub:            text("github", func(c *Contact) *Optional[string] { return &c.GitHub }, func(p *Patch) *Optional[string] { return &p.GitHub }),
	FieldWebsite:           text("website", func(c *Contact) *Optional[string] { return &c.Website }, func(p *Patch) *Optional[string] { return &p.Website }),
	FieldNotes:             text("notes", func(c *Contact) *Optional[string] { return &c.Notes }, func(p *Patch) *Optional[string] { return &p.Notes }),
	FieldStatus:            text("status", func(c *Contact) *Optional[string] { return &c.Status }, func(p *Patch) *Optional[string] { return &p.Status }),
	FieldLeadSource:        text("lead_source", func(c *Contact) *Optional[string] { return &c.LeadSource }, func(p *Patch) *Optional[string] { return &p.LeadSource }),
	FieldProfilePictureURL: text("profile_picture_url", func(c *Contact) *Optional[string] { return &c.ProfilePictureURL }, func(p *Patch) *Optional[string] { return &p.ProfilePictureURL }),
	FieldTags:              {name: "tags", kind: kindTags},
	FieldIsDND:             {name: "is_dnd", kind: kindBool},
	FieldCustomFields:      {name: "custom_fields", kind: kindCustom},
	FieldCreatedAt:         {name: "created_at", kind: kindTime},
	FieldUpdatedAt:         {name: "updated_at", kind: kindTime},
	FieldLastActivity:      {name: "last_activity", kind: kindTime},
}

func text(name string, c textOf[Contact], p textOf[Patch]) fieldInfo {
	return fieldInfo{name: name, kind: kindText, contact: c, patch: p}
}

// String returns the field's canonical snake_case name, the key the
// default profile uses for it, such as "full_name" or "is_dnd".
func (f Field) String() string {
	if !f.valid() {
		return "invalid_field"
	}
	return fields[f].name
}

func (f Field) valid() bool { return f > 0 && f < numFields }

func (f Field) kind() kind { return fields[f].kind }

// fieldSet is a set of Fields; numFields stays well below 64.
type fieldSet uint64

func (s fieldSet) has(f Field) bool { return s&(1<<f) != 0 }

func (s *fieldSet) add(f Field) { *s |= 1 << f }
