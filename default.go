package contactpatch

// The default profile (rules D): every canonical field under its own
// name, with the policies a CRM most often wants.

// leadSources are the lead_source values of rule C6; the default profile
// shares them.
var leadSources = []string{"manual", "api", "webhook", "facebook", "instagram", "import"}

// defaultPolicies are the fields of the default profile that are not
// plain: every other text field is plain nullable text, and the other
// kinds take their zero policy, not nullable.
var defaultPolicies = map[Field]FieldSpec{
	FieldFullName:          {Policy: ParseName(), Nullable: true},
	FieldEmail:             {Policy: Email(), Lowercase: true, Nullable: true},
	FieldPhone:             {Policy: PhoneE164(""), Nullable: true},
	FieldLinkedIn:          {Policy: HTTPURL(), Nullable: true},
	FieldWebsite:           {Policy: HTTPURL(), Nullable: true},
	FieldProfilePictureURL: {Policy: HTTPURL(), Nullable: true},
	FieldNotes:             {Policy: Append("\n")},
	FieldStatus:            {Policy: OneOf("active", "inactive")},
	FieldLeadSource:        {Policy: OneOfOr("manual", leadSources...)},
	FieldCustomFields:      {Policy: CustomFields(RejectUnknown)},
}

// defaultSchema lists every canonical field under its canonical name, in
// Field order, so that a field added to the table of fields joins the
// default profile with no other edit.
func defaultSchema() Schema {
	s := Schema{Name: "default"}
	for f := FieldID; f < numFields; f++ {
		spec, special := defaultPolicies[f]
		spec.Name, spec.Field = f.String(), f
		switch k := f.kind(); {
		case k == kindID || k == kindTime:
			spec.ReadOnly = true
		case k == kindText && !special:
			spec.Nullable = true
		}
		s.Fields = append(s.Fields, spec)
	}
	return s
}

// defaultProfile is built once and never modified.
var defaultProfile = MustProfile(defaultSchema())

// Default returns the canonical profile of rule D1, which needs no
// configuration: every Contact field under its canonical snake_case name,
// unknown keys rejected, notes appended with "\n", tags replaced,
// full_name parsed into its parts (title, first, middle and last name,
// suffix, nickname), status one of active or inactive, lead_source
// coerced to "manual" when unknown, email lower-cased, phone normalized to
// E.164 (numbers must start with "+", as no default region is assumed),
// URLs checked, custom fields limited to the names in
// Options.CustomFields. Optional text fields are nullable;
// notes, status, lead_source, tags, is_dnd and custom_fields are not. The
// id and timestamps are read-only. It renders every field as a bare
// object, null for no value.
func Default() *Profile { return defaultProfile }
