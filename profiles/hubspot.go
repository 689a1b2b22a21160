package profiles

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	cp "github.com/contactpatch/contactpatch"
)

// HubSpot's default lifecycle stages and lead statuses, as its contact
// properties list their options (rule H4).
var (
	lifecycleStages = []string{"subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
		"opportunity", "customer", "evangelist", "other"}
	leadStatuses = []string{"NEW", "OPEN", "IN_PROGRESS", "OPEN_DEAL", "UNQUALIFIED",
		"ATTEMPTED_TO_CONTACT", "CONNECTED", "BAD_TIMING"}
)

// property is a HubSpot property: "" clears it, as null does (rule H2).
func property(name string, f cp.Field, pol cp.Policy) cp.FieldSpec {
	return cp.FieldSpec{Name: name, Field: f, Policy: pol, Nullable: true, EmptyAsNull: true}
}

// custom is a property of the portal's own, an extension field.
func custom(name string, k cp.Kind, pol cp.Policy) cp.FieldSpec {
	return cp.FieldSpec{Name: name, Kind: k, Policy: pol, Nullable: true, EmptyAsNull: true}
}

// hubspot follows HubSpot's CRM v3 contacts API (rules H1-H8). Besides
// the default properties it covers, a portal's own properties are
// extension fields, one of each kind; lifecyclestage and hs_lead_status
// are extension enumerations, since the canonical Contact has no place
// for them.
var hubspot = cp.MustProfile(cp.Schema{
	Name: "hubspot",
	Fields: []cp.FieldSpec{
		{Name: "hs_object_id", Field: cp.FieldID, ReadOnly: true},
		property("firstname", cp.FieldFirstName, cp.Policy{}),
		property("lastname", cp.FieldLastName, cp.Policy{}),
		{Name: "email", Field: cp.FieldEmail, Policy: cp.Email(), Lowercase: true, Nullable: true, EmptyAsNull: true, Unique: true},
		property("phone", cp.FieldPhone, cp.Policy{}),
		property("company", cp.FieldCompany, cp.Policy{}),
		property("jobtitle", cp.FieldJobTitle, cp.Policy{}),
		property("website", cp.FieldWebsite, cp.Policy{}),
		custom("lifecyclestage", cp.KindText, cp.OneOf(lifecycleStages...)),
		custom("hs_lead_status", cp.KindText, cp.OneOf(leadStatuses...)),
		custom("twitterhandle", cp.KindText, cp.Policy{}),
		custom("seat_count", cp.KindNumber, cp.Policy{}),
		custom("newsletter_opt_in", cp.KindBool, cp.Policy{}),
		custom("renewal_date", cp.KindDate, cp.Policy{}),
		custom("last_demo_at", cp.KindDateTime, cp.Policy{}),
		custom("product_interests", cp.KindStrings, cp.Policy{}),
		custom("integration_metadata", cp.KindJSON, cp.Policy{}),
		{Name: "createdate", Field: cp.FieldCreatedAt, ReadOnly: true},
		{Name: "lastmodifieddate", Field: cp.FieldUpdatedAt, ReadOnly: true},
	},
	UnknownKeys:    cp.RejectUnknown,
	Envelope:       "properties",
	EnvelopeKeys:   []string{"objectWriteTraceId"},
	StringForms:    true,
	StrictReadOnly: true,
	EpochMillis:    true,
	Errors:         hubspotErrors,
	View: cp.View{
		Fields: []cp.ViewField{
			{Name: "id", Field: cp.FieldID, Always: true},
			{Name: "properties", Strings: true, Nested: []cp.ViewField{
				{Name: "company", Field: cp.FieldCompany},
				{Name: "createdate", Field: cp.FieldCreatedAt, Always: true},
				{Name: "email", Field: cp.FieldEmail},
				{Name: "firstname", Field: cp.FieldFirstName},
				{Name: "hs_lead_status", Extension: "hs_lead_status"},
				{Name: "hs_object_id", Field: cp.FieldID, Always: true},
				{Name: "integration_metadata", Extension: "integration_metadata"},
				{Name: "jobtitle", Field: cp.FieldJobTitle},
				{Name: "last_demo_at", Extension: "last_demo_at"},
				{Name: "lastmodifieddate", Field: cp.FieldUpdatedAt, Always: true},
				{Name: "lastname", Field: cp.FieldLastName},
				{Name: "lifecyclestage", Extension: "lifecyclestage"},
				{Name: "newsletter_opt_in", Extension: "newsletter_opt_in"},
				{Name: "phone", Field: cp.FieldPhone},
				{Name: "product_interests", Extension: "product_interests"},
				{Name: "renewal_date", Extension: "renewal_date"},
				{Name: "seat_count", Extension: "seat_count"},
				{Name: "twitterhandle", Extension: "twitterhandle"},
				{Name: "website", Field: cp.FieldWebsite},
			}},
			{Name: "createdAt", Field: cp.FieldCreatedAt, Always: true},
			{Name: "updatedAt", Field: cp.FieldUpdatedAt, Always: true},
			{Name: "archived", State: cp.StateArchived, Always: true},
			{Name: "archivedAt", State: cp.StateArchivedAt, Always: true},
		},
		Empty:      cp.EmptyNull,
		TimeLayout: "2006-01-02T15:04:05.000Z07:00",
	},
})

// HubSpot returns the profile of HubSpot's CRM v3 contacts API,
// PATCH /crm/v3/objects/contacts/{contactId}: the properties sent in
// {"properties": {...}} overwrite the stored ones, "" or null clears one,
// unknown and read-only properties are refused naming the property,
// lifecyclestage and hs_lead_status take only their options, values that
// are not text may also be sent as strings ("42", "true", "a;b"), and the
// response is {"id", "properties", "createdAt", "updatedAt", "archived"}
// with every property value a string. Errors take HubSpot's shape (rule
// H7). Email is unique, as HubSpot keeps it.
func HubSpot() *cp.Profile { return hubspot }

// hubspotCategories are the categories HubSpot's errors carry, by status.
var hubspotCategories = map[int]string{
	http.StatusUnauthorized:    "INVALID_AUTHENTICATION",
	http.StatusForbidden:       "MISSING_SCOPES",
	http.StatusNotFound:        "OBJECT_NOT_FOUND",
	http.StatusConflict:        "CONFLICT",
	http.StatusTooManyRequests: "RATE_LIMITS",
}

// hubspotCodes are HubSpot's codes for the library's field error codes;
// any other is written in upper case.
var hubspotCodes = map[cp.Code]string{
	cp.CodeInvalidEnum: "INVALID_OPTION",
	cp.CodeConflict:    "CONFLICT",
}

// hubspotError is the body of a HubSpot error.
type hubspotError struct {
	Status        string          `json:"status"`
	Message       string          `json:"message"`
	ErrorType     string          `json:"errorType,omitempty"`
	CorrelationID string          `json:"correlationId"`
	Category      string          `json:"category"`
	PolicyName    string          `json:"policyName,omitempty"`
	Errors        []hubspotDetail `json:"errors,omitempty"`
}

type hubspotDetail struct {
	Message string          `json:"message"`
	Code    string          `json:"code"`
	In      string          `json:"in"`
	Context *hubspotContext `json:"context,omitempty"`
}

type hubspotContext struct {
	PropertyName []string `json:"propertyName"`
}

// hubspotValidation is one property's entry in the message of a
// validation error, as HubSpot writes it there (rule H13).
type hubspotValidation struct {
	IsValid bool   `json:"isValid"`
	Message string `json:"message"`
	Error   string `json:"error"`
	Name    string `json:"name"`
}

// hubspotDetailOf is HubSpot's code and words for a field error: its
// own where its responses give them, else the library's code in upper
// case with the library's message.
func hubspotDetailOf(f cp.FieldError) (code, msg string) {
	switch {
	case f.Code == cp.CodeUnknownField:
		return "PROPERTY_DOESNT_EXIST", `Property "` + f.Field + `" does not exist`
	case f.Code == cp.CodeReadOnly:
		return "READ_ONLY_VALUE", f.Field + " is a read only property; its value cannot be set."
	case f.Code == cp.CodeInvalidFormat && f.Field == "email":
		return "INVALID_EMAIL", "Email address is invalid"
	}
	code, known := hubspotCodes[f.Code]
	if !known {
		code = strings.ToUpper(string(f.Code))
	}
	return code, f.Message
}

// hubspotErrors renders errors as HubSpot does (rule H7):
//
//	{"status":"error","message":"...","correlationId":"...","category":"VALIDATION_ERROR",
//	 "errors":[{"message":"...","code":"INVALID_OPTION","in":"/properties/lifecyclestage",
//	            "context":{"propertyName":["lifecyclestage"]}}]}
func hubspotErrors(pr cp.Problem) (string, []byte) {
	out := hubspotError{Status: "error", Message: pr.Message, CorrelationID: pr.CorrelationID}
	category, ok := hubspotCategories[pr.Status]
	switch {
	case ok:
	case pr.Status >= 500 || pr.Status == 499:
		category = "INTERNAL_ERROR"
	default:
		category = "VALIDATION_ERROR"
	}
	out.Category = category
	if pr.Status == http.StatusTooManyRequests {
		// What HubSpot's own client libraries look for before they
		// retry a 429 (rule H14): the policy of the ten-second window.
		out.Message, out.ErrorType, out.PolicyName = "You have reached your ten_secondly_rolling limit.", "RATE_LIMIT", "TEN_SECONDLY_ROLLING"
	}
	var valid []hubspotValidation
	broken := ""
	for _, f := range pr.Fields {
		code, msg := hubspotDetailOf(f)
		d := hubspotDetail{Message: msg, Code: code, In: f.Pointer}
		switch {
		case f.Code == cp.CodeMalformedJSON || f.Code == cp.CodeInvalidUTF8:
			broken = msg // broken JSON is the body's, not a property's
		case f.Field != "body":
			d.Context = &hubspotContext{PropertyName: []string{f.Field}}
			valid = append(valid, hubspotValidation{Message: msg, Error: code, Name: f.Field})
		}
		out.Errors = append(out.Errors, d)
	}
	switch {
	case broken != "":
		out.Message = "Invalid input JSON: " + broken
	case len(valid) > 0 && pr.Status == http.StatusBadRequest:
		// HubSpot's message carries each property's verdict as JSON,
		// which its clients read.
		list, _ := json.Marshal(valid) // only strings and a bool: it cannot fail
		out.Message = "Property values were not valid: " + string(list)
	case pr.Status == http.StatusConflict && pr.OwnerID != "":
		// The words HubSpot's create and upsert conflicts use, which
		// clients parse for the id; the owner is of the caller's tenant.
		out.Message = "Contact already exists. Existing ID: " + pr.OwnerID
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil { // only strings: it cannot fail
		panic(err)
	}
	return "application/json", bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
