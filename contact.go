package contactpatch

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"time"
)

// Contact is the canonical stored contact: a superset of the fields of the
// reference APIs. A profile exposes some of them under its own wire names.
//
// Text fields are Optional so that null stays apart from "" (SPEC C3): an
// omitted or null field has no value, Value("") is an empty string. The
// zero Contact is an empty contact, ready to use.
//
// Its JSON form is the canonical one, with the names [Field.String]
// returns; fields with no value are left out unless they hold an explicit
// null, so a Contact round-trips through encoding/json unchanged.
type Contact struct {
	// ID identifies the contact as its API spells it. It is a string and
	// not a uuid.UUID because not every API uses UUIDs (G's ids are opaque
	// 20-character strings); a profile that does checks echoed ids as UUIDs.
	ID string `json:"id"`

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

	// Tags is nil or empty for a contact without tags.
	Tags []string `json:"tags"`
	// IsDND is true when the contact asked not to be disturbed.
	IsDND bool `json:"is_dnd"`
	// CustomFields maps a tenant's custom-field names to JSON values, kept
	// as the compact JSON text the client sent so that nothing is lost.
	CustomFields map[string]json.RawMessage `json:"custom_fields"`

	// CreatedAt, UpdatedAt and LastActivity are zero when unknown. Apply
	// sets UpdatedAt from its clock whenever a patch changes something.
	CreatedAt    time.Time `json:"created_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
	LastActivity time.Time `json:"last_activity,omitzero"`

	// Version counts the changes Apply made; it backs [ETag] so that hosts
	// can refuse a write based on a stale read (SPEC R14).
	Version uint64 `json:"version"`
}

// ETag returns a strong HTTP entity tag for the stored state of c, derived
// from its Version: `"v3"` for version 3. Pass the client's If-Match header
// as [Options.IfMatch] to make Apply refuse a stale write.
func ETag(c Contact) string {
	return `"v` + strconv.FormatUint(c.Version, 10) + `"`
}

// detach gives c its own copies of its slice, map and byte slices, so that
// it shares nothing with the contact it was copied from.
func (c *Contact) detach() {
	c.Tags = slices.Clone(c.Tags)
	if c.CustomFields != nil {
		m := make(map[string]json.RawMessage, len(c.CustomFields))
		for k, v := range c.CustomFields {
			m[k] = bytes.Clone(v)
		}
		c.CustomFields = m
	}
}

// text returns where text field f lives in c. It is a switch rather than
// a table of accessors so that the compiler sees the pointer stay on the
// stack: Apply allocates nothing to reach a field.
func (c *Contact) text(f Field) *Optional[string] {
	switch f {
	case FieldFullName:
		return &c.FullName
	case FieldFirstName:
		return &c.FirstName
	case FieldLastName:
		return &c.LastName
	case FieldEmail:
		return &c.Email
	case FieldPhone:
		return &c.Phone
	case FieldJobTitle:
		return &c.JobTitle
	case FieldCompany:
		return &c.Company
	case FieldUniversity:
		return &c.University
	case FieldGender:
		return &c.Gender
	case FieldBirthday:
		return &c.Birthday
	case FieldLocation:
		return &c.Location
	case FieldLinkedIn:
		return &c.LinkedIn
	case FieldInstagram:
		return &c.Instagram
	case FieldTwitter:
		return &c.Twitter
	case FieldGitHub:
		return &c.GitHub
	case FieldWebsite:
		return &c.Website
	case FieldNotes:
		return &c.Notes
	case FieldStatus:
		return &c.Status
	case FieldLeadSource:
		return &c.LeadSource
	}
	return &c.ProfilePictureURL
}

// value returns the value of f in c as Change reports it: nil for no value,
// else a string, []string, bool, map[string]json.RawMessage or time.Time.
func (c *Contact) value(f Field) any {
	switch f.kind() {
	case kindText:
		if v, ok := c.text(f).Get(); ok {
			return v
		}
		return nil
	case kindID:
		return c.ID
	case kindTags:
		return slices.Clone(c.Tags)
	case kindBool:
		return c.IsDND
	case kindCustom:
		return maps.Clone(c.CustomFields)
	}
	t := *c.timeField(f)
	if t.IsZero() {
		return nil
	}
	return t
}

func (c *Contact) timeField(f Field) *time.Time {
	switch f {
	case FieldCreatedAt:
		return &c.CreatedAt
	case FieldUpdatedAt:
		return &c.UpdatedAt
	}
	return &c.LastActivity
}

// sameText reports whether two stored text values mean the same: omitted
// and null both mean "no value".
func sameText(a, b Optional[string]) bool {
	av, aok := a.Get()
	bv, bok := b.Get()
	return aok == bok && av == bv
}
