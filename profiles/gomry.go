package profiles

import cp "github.com/contactpatch/contactpatch"

// gomry follows the G API (rules G1-G8). The document marks which fields
// take null; the social and website fields are described as URLs or
// handles but nothing says they are checked, so they are plain text.
var gomry = cp.MustProfile(cp.Schema{
	Name: "gomry",
	Fields: []cp.FieldSpec{
		{Name: "id", Field: cp.FieldID, ReadOnly: true},
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), Lowercase: true, Unique: true},
		{Name: "phone_number", Field: cp.FieldPhone, Policy: cp.PhoneLenient()},
		{Name: "first_name", Field: cp.FieldFirstName},
		{Name: "last_name", Field: cp.FieldLastName},
		{Name: "job_title", Field: cp.FieldJobTitle, Nullable: true},
		{Name: "company", Field: cp.FieldCompany, Nullable: true},
		{Name: "university", Field: cp.FieldUniversity, Nullable: true},
		{Name: "gender", Field: cp.FieldGender, Nullable: true},
		{Name: "birthday", Field: cp.FieldBirthday, Nullable: true},
		{Name: "location", Field: cp.FieldLocation, Nullable: true},
		{Name: "linkedin", Field: cp.FieldLinkedIn, Nullable: true},
		{Name: "instagram", Field: cp.FieldInstagram, Nullable: true},
		{Name: "twitter", Field: cp.FieldTwitter, Nullable: true},
		{Name: "github", Field: cp.FieldGitHub, Nullable: true},
		{Name: "website", Field: cp.FieldWebsite, Nullable: true},
		{Name: "tags", Field: cp.FieldTags},
		{Name: "status", Field: cp.FieldStatus, Policy: cp.OneOf("active", "inactive")},
		{Name: "created_at", Field: cp.FieldCreatedAt, ReadOnly: true},
		{Name: "updated_at", Field: cp.FieldUpdatedAt, ReadOnly: true},
	},
	UnknownKeys: cp.RejectUnknown,
	Errors:      cp.EnvelopeJSON,
	View: cp.View{
		Envelope: "data",
		Fields: []cp.ViewField{
			{Name: "id", Field: cp.FieldID, Always: true},
			{Name: "first_name", Field: cp.FieldFirstName},
			{Name: "last_name", Field: cp.FieldLastName},
			{Name: "email", Field: cp.FieldEmail},
			{Name: "phone_number", Field: cp.FieldPhone},
			{Name: "status", Field: cp.FieldStatus},
			{Name: "job_title", Field: cp.FieldJobTitle},
			{Name: "company", Field: cp.FieldCompany},
			{Name: "university", Field: cp.FieldUniversity},
			{Name: "gender", Field: cp.FieldGender},
			{Name: "birthday", Field: cp.FieldBirthday},
			{Name: "location", Field: cp.FieldLocation},
			{Name: "linkedin", Field: cp.FieldLinkedIn},
			{Name: "instagram", Field: cp.FieldInstagram},
			{Name: "twitter", Field: cp.FieldTwitter},
			{Name: "github", Field: cp.FieldGitHub},
			{Name: "website", Field: cp.FieldWebsite},
			{Name: "tags", Field: cp.FieldTags},
			{Name: "created_at", Field: cp.FieldCreatedAt},
			{Name: "updated_at", Field: cp.FieldUpdatedAt},
		},
		Empty:      cp.EmptyNull,
		TimeLayout: "2006-01-02T15:04:05.000Z07:00",
	},
})

// Gomry returns the profile of the G API, PATCH /contacts/{contactId}:
// strict body (unknown keys rejected), null clears only the fields the
// document marks nullable, email lower-cased, tags replaced, status one of
// active or inactive, responses as {"data": {...}} with every nullable
// field present, null when empty, and millisecond timestamps. Pass
// Options.EmailOwner (contactpatch.EmailOwnerIn, inside the tenant) for a
// fast 409 on an email another contact holds; the guarantee is the unique
// email, which Profile.Update has the Store enforce inside the write.
func Gomry() *cp.Profile { return gomry }
