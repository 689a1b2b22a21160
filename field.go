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

type fieldInfo struct {
	name string
	kind kind
}

// fields is the one table that ties a Field to its canonical name and
// shape. Where a text field lives in a Contact and in a Patch is for
// Contact.text and Patch.text to say.
var fields = [numFields]fieldInfo{
	FieldID:                {"id", kindID},
	FieldFullName:          {"full_name", kindText},
	FieldFirstName:         {"first_name", kindText},
	FieldLastName:          {"last_name", kindText},
	FieldEmail:             {"email", kindText},
	FieldPhone:             {"phone", kindText},
	FieldJobTitle:          {"job_title", kindText},
	FieldCompany:           {"company", kindText},
	FieldUniversity:        {"university", kindText},
	FieldGender:            {"gender", kindText},
	FieldBirthday:          {"birthday", kindText},
	FieldLocation:          {"location", kindText},
	FieldLinkedIn:          {"linkedin", kindText},
	FieldInstagram:         {"instagram", kindText},
	FieldTwitter:           {"twitter", kindText},
	FieldGitHub:            {"github", kindText},
	FieldWebsite:           {"website", kindText},
	FieldNotes:             {"notes", kindText},
	FieldStatus:            {"status", kindText},
	FieldLeadSource:        {"lead_source", kindText},
	FieldProfilePictureURL: {"profile_picture_url", kindText},
	FieldTags:              {"tags", kindTags},
	FieldIsDND:             {"is_dnd", kindBool},
	FieldCustomFields:      {"custom_fields", kindCustom},
	FieldCreatedAt:         {"created_at", kindTime},
	FieldUpdatedAt:         {"updated_at", kindTime},
	FieldLastActivity:      {"last_activity", kindTime},
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
