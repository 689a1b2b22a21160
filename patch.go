package contactpatch

import (
	"encoding/json"
	"time"
)

// Patch is a decoded PATCH body in canonical terms: each field is omitted
// (leave unchanged), null (clear) or a value (set through the field's
// policy), SPEC R1. [Profile.Decode] builds one from JSON; Go code may also
// build one directly and pass it to [Profile.Apply], which checks it against
// the profile just as it checks a decoded one.
//
// Its JSON form uses the canonical names and leaves omitted fields out, so
// a Patch marshalled with encoding/json is a body the default profile
// decodes back to the same Patch.
type Patch struct {
	// ID and the timestamps are read-only: a client may echo them back
	// unchanged (SPEC R5).
	ID Optional[string] `json:"id,omitzero"`

	FullName          Optional[string] `json:"full_name,omitzero"`
	FirstName         Optional[string] `json:"first_name,omitzero"`
	LastName          Optional[string] `json:"last_name,omitzero"`
	Email             Optional[string] `json:"email,omitzero"`
	Phone             Optional[string] `json:"phone,omitzero"`
	JobTitle          Optional[string] `json:"job_title,omitzero"`
	Company           Optional[string] `json:"company,omitzero"`
	University        Optional[string] `json:"university,omitzero"`
	Gender            Optional[string] `json:"gender,omitzero"`
	Birthday          Optional[string] `json:"birthday,omitzero"`
	Location          Optional[string] `json:"location,omitzero"`
	LinkedIn          Optional[string] `json:"linkedin,omitzero"`
	Instagram         Optional[string] `json:"instagram,omitzero"`
	Twitter           Optional[string] `json:"twitter,omitzero"`
	GitHub            Optional[string] `json:"github,omitzero"`
	Website           Optional[string] `json:"website,omitzero"`
	Notes             Optional[string] `json:"notes,omitzero"`
	Status            Optional[string] `json:"status,omitzero"`
	LeadSource        Optional[string] `json:"lead_source,omitzero"`
	ProfilePictureURL Optional[string] `json:"profile_picture_url,omitzero"`

	Tags         Optional[[]string]                   `json:"tags,omitzero"`
	IsDND        Optional[bool]                       `json:"is_dnd,omitzero"`
	CustomFields Optional[map[string]json.RawMessage] `json:"custom_fields,omitzero"`

	CreatedAt    Optional[time.Time] `json:"created_at,omitzero"`
	UpdatedAt    Optional[time.Time] `json:"updated_at,omitzero"`
	LastActivity Optional[time.Time] `json:"last_activity,omitzero"`

	// Ignored lists the keys of the body that the profile does not know
	// and ignores (SPEC R4); Apply reports each as a warning.
	Ignored []string `json:"-"`
}

// text returns where text field f lives in p; see Contact.text.
func (p *Patch) text(f Field) *Optional[string] {
	switch f {
	case FieldFullName:
		return &p.FullName
	case FieldFirstName:
		return &p.FirstName
	case FieldLastName:
		return &p.LastName
	case FieldEmail:
		return &p.Email
	case FieldPhone:
		return &p.Phone
	case FieldJobTitle:
		return &p.JobTitle
	case FieldCompany:
		return &p.Company
	case FieldUniversity:
		return &p.University
	case FieldGender:
		return &p.Gender
	case FieldBirthday:
		return &p.Birthday
	case FieldLocation:
		return &p.Location
	case FieldLinkedIn:
		return &p.LinkedIn
	case FieldInstagram:
		return &p.Instagram
	case FieldTwitter:
		return &p.Twitter
	case FieldGitHub:
		return &p.GitHub
	case FieldWebsite:
		return &p.Website
	case FieldNotes:
		return &p.Notes
	case FieldStatus:
		return &p.Status
	case FieldLeadSource:
		return &p.LeadSource
	}
	return &p.ProfilePictureURL
}

// sent returns the set of fields the patch sends, as null or as a value.
// One pass over the states is much cheaper than asking field by field.
func (p *Patch) sent() fieldSet {
	var s fieldSet
	for f, state := range [numFields]presence{
		FieldID: p.ID.state, FieldFullName: p.FullName.state, FieldFirstName: p.FirstName.state,
		FieldLastName: p.LastName.state, FieldEmail: p.Email.state, FieldPhone: p.Phone.state,
		FieldJobTitle: p.JobTitle.state, FieldCompany: p.Company.state, FieldUniversity: p.University.state,
		FieldGender: p.Gender.state, FieldBirthday: p.Birthday.state, FieldLocation: p.Location.state,
		FieldLinkedIn: p.LinkedIn.state, FieldInstagram: p.Instagram.state, FieldTwitter: p.Twitter.state,
		FieldGitHub: p.GitHub.state, FieldWebsite: p.Website.state, FieldNotes: p.Notes.state,
		FieldStatus: p.Status.state, FieldLeadSource: p.LeadSource.state,
		FieldProfilePictureURL: p.ProfilePictureURL.state, FieldTags: p.Tags.state, FieldIsDND: p.IsDND.state,
		FieldCustomFields: p.CustomFields.state, FieldCreatedAt: p.CreatedAt.state,
		FieldUpdatedAt: p.UpdatedAt.state, FieldLastActivity: p.LastActivity.state,
	} {
		if state != omitted {
			s.add(Field(f))
		}
	}
	return s
}

func (p *Patch) timeField(f Field) *Optional[time.Time] {
	switch f {
	case FieldCreatedAt:
		return &p.CreatedAt
	case FieldUpdatedAt:
		return &p.UpdatedAt
	}
	return &p.LastActivity
}

// Decode reads a PATCH body under the profile's rules (SPEC R3, R4): the
// body must be one JSON object of valid UTF-8 with no duplicate keys and
// nothing after it; keys match the profile's names exactly; each value must
// have its field's JSON type. Unknown keys are rejected or recorded in
// Patch.Ignored, as the profile says.
//
// Every problem found is reported in one [*ValidationError]; broken syntax
// stops the scan, while a wrong type, a duplicate or an unknown key is
// recorded and the scan goes on. Decode checks shapes only: formats,
// lengths and read-only values are Apply's to check.
func (p *Profile) Decode(body []byte) (Patch, error) {
	var patch Patch
	if errs, _ := p.decode(body, &patch); len(errs) > 0 {
		return Patch{}, &ValidationError{Fields: errs}
	}
	return patch, nil
}
