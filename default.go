package contactpatch

// leadSources are the lead_source values of rule C6; the default profile
// shares them.
var leadSources = []string{"manual", "api", "webhook", "facebook", "instagram", "import"}

// defaultProfile is built once from a literal Schema and never modified.
var defaultProfile = MustProfile(Schema{
	Name: "default",
	Fields: []FieldSpec{
		{Name: "id", Field: FieldID, ReadOnly: true},
		{Name: "full_name", Field: FieldFullName, Policy: ParseName(), Nullable: true},
		{Name: "first_name", Field: FieldFirstName, Nullable: true},
		{Name: "last_name", Field: FieldLastName, Nullable: true},
		{Name: "email", Field: FieldEmail, Policy: Email(), Lowercase: true, Nullable: true},
		{Name: "phone", Field: FieldPhone, Policy: PhoneE164(""), Nullable: true},
		{Name: "job_title", Field: FieldJobTitle, Nullable: true},
		{Name: "company", Field: FieldCompany, Nullable: true},
		{Name: "university", Field: FieldUniversity, Nullable: true},
		{Name: "gender", Field: FieldGender, Nullable: true},
		{Name: "birthday", Field: FieldBirthday, Nullable: true},
		{Name: "location", Field: FieldLocation, Nullable: true},
		{Name: "linkedin", Field: FieldLinkedIn, Policy: HTTPURL(), Nullable: true},
		{Name: "instagram", Field: FieldInstagram, Nullable: true},
		{Name: "twitter", Field: FieldTwitter, Nullable: true},
		{Name: "github", Field: FieldGitHub, Nullable: true},
		{Name: "website", Field: FieldWebsite, Policy: HTTPURL(), Nullable: true},
		{Name: "notes", Field: FieldNotes, Policy: Append("\n")},
		{Name: "status", Field: FieldStatus, Policy: OneOf("active", "inactive")},
		{Name: "lead_source", Field: FieldLeadSource, Policy: OneOfOr("manual", leadSources...)},
		{Name: "profile_picture_url", Field: FieldProfilePictureURL, Policy: HTTPURL(), Nullable: true},
		{Name: "tags", Field: FieldTags},
		{Name: "is_dnd", Field: FieldIsDND},
		{Name: "custom_fields", Field: FieldCustomFields, Policy: CustomFields(RejectUnknown)},
		{Name: "created_at", Field: FieldCreatedAt, ReadOnly: true},
		{Name: "updated_at", Field: FieldUpdatedAt, ReadOnly: true},
		{Name: "last_activity", Field: FieldLastActivity, ReadOnly: true},
	},
})

// Default returns the canonical default profile (docs/semantics.md, "The default profile"), which needs no
// configuration: every Contact field under its canonical snake_case name,
// unknown keys rejected, notes appended with "\n", tags replaced,
// full_name parsed into first and last name, status one of active or
// inactive, lead_source coerced to "manual" when unknown, email
// lower-cased, phone normalized to E.164 (numbers must start with "+", as
// no default region is assumed), URLs checked, custom fields limited to
// the names in Options.CustomFields. Optional text fields are nullable;
// notes, status, lead_source, tags, is_dnd and custom_fields are not. The
// id and timestamps are read-only. It renders every field as a bare
// object, null for no value.
func Default() *Profile { return defaultProfile }
