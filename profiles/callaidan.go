package profiles

import cp "github.com/contactpatch/contactpatch"

// leadSources are the lead_source values of the C API (rule C6).
var leadSources = []string{"manual", "api", "webhook", "facebook", "instagram", "import"}

// callaidan follows the C API (rules C1-C9). Its response names some fields
// differently from its request (name for full_name, phone for
// phone_number); a client that echoes a response back has those keys
// ignored with a warning, as the document applies "only sent keys" it
// knows. The fields it returns but does not accept are read-only.
var callaidan = cp.MustProfile(cp.Schema{
	Name: "callaidan",
	Fields: []cp.FieldSpec{
		{Name: "id", Field: cp.FieldID, ReadOnly: true},
		{Name: "full_name", Field: cp.FieldFullName, Policy: cp.ParseName()},
		{Name: "first_name", Field: cp.FieldFirstName},
		{Name: "last_name", Field: cp.FieldLastName},
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), EmptyAsNull: true},
		{Name: "phone_number", Field: cp.FieldPhone, Policy: cp.PhoneAsIs()},
		{Name: "business_name", Field: cp.FieldCompany},
		{Name: "notes", Field: cp.FieldNotes, Policy: cp.Multiline()},
		{Name: "tags", Field: cp.FieldTags},
		{Name: "is_dnd", Field: cp.FieldIsDND},
		{Name: "lead_source", Field: cp.FieldLeadSource, Policy: cp.OneOfOr("manual", leadSources...)},
		{Name: "custom_fields", Field: cp.FieldCustomFields, Policy: cp.CustomFields(cp.IgnoreUnknown)},
		{Name: "profile_picture_url", Field: cp.FieldProfilePictureURL, ReadOnly: true},
		{Name: "last_activity", Field: cp.FieldLastActivity, ReadOnly: true},
		{Name: "created_at", Field: cp.FieldCreatedAt, ReadOnly: true},
	},
	UnknownKeys: cp.IgnoreUnknown,
	Errors:      cp.EnvelopeJSON,
	View: cp.View{
		Fields: []cp.ViewField{
			{Name: "id", Field: cp.FieldID, Always: true},
			{Name: "name", Field: cp.FieldFullName},
			{Name: "email", Field: cp.FieldEmail},
			{Name: "phone", Field: cp.FieldPhone},
			{Name: "business_name", Field: cp.FieldCompany},
			{Name: "notes", Field: cp.FieldNotes},
			{Name: "tags", Field: cp.FieldTags},
			{Name: "lead_source", Field: cp.FieldLeadSource},
			{Name: "is_dnd", Field: cp.FieldIsDND},
			{Name: "profile_picture_url", Field: cp.FieldProfilePictureURL},
			{Name: "last_activity", Field: cp.FieldLastActivity},
			{Name: "created_at", Field: cp.FieldCreatedAt},
		},
		Empty: cp.EmptyAsStored,
	},
})

// Callaidan returns the profile of the C API, PATCH /contacts/{contact_id}/:
// full_name parsed into first and last name, email "" stored as null,
// phone stored exactly as sent, notes and tags replaced, unknown
// lead_source values stored as "manual", custom fields limited to the
// company's names (Options.CustomFields) with others dropped, and
// responses as a bare object.
func Callaidan() *cp.Profile { return callaidan }
