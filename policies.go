package contactpatch

// The built-in policies, one small type each, carrying all it does: which
// fields it fits, how it trims, which length limit it takes, how it
// checks and normalizes a value, how it merges it with the stored one,
// and how it describes itself to the API's clients. A new policy is a new
// type here, and its constructor.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// basePolicy is what a policy does unless it says otherwise: single-line
// text, trimmed, checked for nothing more, replacing the stored value.
type basePolicy struct{}

func (basePolicy) fits(spec *FieldSpec) string                { return textFits(spec, false) }
func (basePolicy) multiline() bool                            { return false }
func (basePolicy) extends() bool                              { return false }
func (basePolicy) trim(s string) string                       { return strings.TrimSpace(s) }
func (basePolicy) maxLen(l *Limits) int                       { return l.Text }
func (basePolicy) format(s string) (string, *refusal, string) { return s, nil, "" }

// accepted is format's answer for a policy that accepts or refuses a value
// but never rewrites it: s as sent when ok, an invalid_format refusal
// saying msg when not.
func accepted(s string, ok bool, msg string) (string, *refusal, string) {
	if !ok {
		return s, &refusal{code: CodeInvalidFormat, msg: msg}, ""
	}
	return s, nil, ""
}
func (basePolicy) merge(_, sent Optional[string], _ int) (Optional[string], *refusal) {
	return sent, nil
}
func (basePolicy) nullMessage() string              { return "Cannot be null" }
func (basePolicy) implies(Optional[string]) implied { return implied{} }
func (basePolicy) derivedFrom() fieldSet            { return 0 }
func (basePolicy) derive(Contact) Optional[string]  { return Optional[string]{} }
func (basePolicy) describe() string                 { return "" }
func (basePolicy) keywords() map[string]any         { return nil }
func (basePolicy) values() []string                 { return nil }
func (basePolicy) fallback() string                 { return "" }
func (basePolicy) separator() string                { return "" }
func (basePolicy) region() string                   { return "" }
func (basePolicy) unknownNames() UnknownKeys        { return RejectUnknown }

// textFits reports why a policy for text cannot serve spec: it needs a
// text field, and, unless it keeps text multiline, a single-line one
// (notes cannot be an email address).
func textFits(spec *FieldSpec, multiline bool) string {
	switch f := spec.Field; {
	case spec.textKind() != kindText:
		return "a text policy fits only text fields"
	case f != 0 && f.multiline() && !multiline:
		return "a format policy does not fit multiline text"
	}
	return ""
}

// plainPolicy is the zero Policy: single-line text replaced, tags
// replaced, booleans set; it fits every field.
type plainPolicy struct{ basePolicy }

func (plainPolicy) name() string           { return "plain" }
func (plainPolicy) fits(*FieldSpec) string { return "" }

// Multiline is text that may hold newlines and tabs, is not trimmed, and
// is replaced by a new value (rule C8).
func Multiline() Policy { return newPolicy(multilinePolicy{}) }

type multilinePolicy struct{ basePolicy }

func (multilinePolicy) name() string                { return "multiline" }
func (multilinePolicy) fits(spec *FieldSpec) string { return textFits(spec, true) }
func (multilinePolicy) multiline() bool             { return true }
func (multilinePolicy) trim(s string) string        { return s }
func (multilinePolicy) maxLen(l *Limits) int        { return l.LongText }
func (multilinePolicy) describe() string            { return "multiline text, replaced" }

// Append is multiline text that a new value extends instead of replacing:
// stored + sep + sent (rule L3). Appending to an empty field stores the sent
// text alone, appending "" changes nothing, and a field with this policy
// cannot be nullable, since append mode cannot erase history.
func Append(sep string) Policy { return newPolicy(appendPolicy{sep: sep}) }

type appendPolicy struct {
	multilinePolicy
	sep string
}

func (appendPolicy) name() string        { return "append" }
func (appendPolicy) extends() bool       { return true }
func (a appendPolicy) separator() string { return a.sep }
func (appendPolicy) nullMessage() string { return "Cannot be null: this field is append-only" }
func (a appendPolicy) describe() string {
	return "appended to the stored text, after " + quoteSeparator(a.sep)
}

// keywords of an append say nothing of length: the limit is the result's,
// and a sent value alone never passes it.
func (appendPolicy) keywords() map[string]any { return nil }

// merge extends the stored text, and refuses, never truncates, a result
// past the limit (R9).
func (a appendPolicy) merge(stored, sent Optional[string], max int) (Optional[string], *refusal) {
	add := sent.Or("")
	if add == "" {
		return stored, nil
	}
	if cur := stored.Or(""); cur != "" {
		add = cur + a.sep + add
	}
	if tooLong(add, max) {
		return stored, &refusal{code: CodeTooLong, msg: "Would exceed " + strconv.Itoa(max) + " characters after appending", limit: max}
	}
	return Value(add), nil
}

func quoteSeparator(sep string) string {
	switch sep {
	case "\n":
		return "a newline"
	case "":
		return "nothing"
	}
	return strconv.Quote(sep)
}

// ParseName fits the full_name field: the name is stored as sent (trimmed,
// inner whitespace collapsed) and also sets the name parts the profile
// has (first, middle and last name, title, suffix, nickname) to what
// [fullname.Parse] finds in it (rules C2, R11). An explicit part in the
// same patch wins; a patch that changes only parts recomputes full_name
// from them.
func ParseName() Policy { return newPolicy(namePolicy{}) }

type namePolicy struct{ basePolicy }

func (namePolicy) name() string { return "parse_name" }
func (namePolicy) fits(spec *FieldSpec) string {
	if spec.Field != FieldFullName {
		return "the name policy fits only the full name"
	}
	return textFits(spec, false)
}
func (namePolicy) trim(s string) string               { return collapseSpace(s) }
func (namePolicy) implies(v Optional[string]) implied { return nameParts(v) }
func (namePolicy) derivedFrom() fieldSet              { return nameSources }
func (namePolicy) derive(c Contact) Optional[string]  { return fullNameOf(&c) }
func (namePolicy) describe() string {
	return "stored as sent (trimmed, inner spaces collapsed) and parsed into first, middle and last name, title, suffix and nickname"
}

// OneOf accepts only the listed values and rejects any other with
// invalid_enum (rule G6). It needs at least one value.
func OneOf(values ...string) Policy { return newPolicy(oneOfPolicy{set: slices.Clone(values)}) }

type oneOfPolicy struct {
	basePolicy
	set []string
}

func (oneOfPolicy) name() string       { return "one_of" }
func (o oneOfPolicy) values() []string { return o.set }
func (o oneOfPolicy) fits(spec *FieldSpec) string {
	if len(o.set) == 0 {
		return "OneOf needs at least one value"
	}
	return textFits(spec, false)
}
func (o oneOfPolicy) format(s string) (string, *refusal, string) {
	if !slices.Contains(o.set, s) {
		return s, &refusal{code: CodeInvalidEnum, msg: "Must be one of: " + strings.Join(o.set, ", "), allowed: o.set}, ""
	}
	return s, nil, ""
}
func (o oneOfPolicy) describe() string         { return "one of: " + strings.Join(o.set, ", ") }
func (o oneOfPolicy) keywords() map[string]any { return map[string]any{"enum": slices.Clone(o.set)} }

// OneOfOr accepts the listed values and stores def in place of any other,
// with a coerced warning (rule C6). def must be one of the values.
func OneOfOr(def string, values ...string) Policy {
	return newPolicy(oneOfOrPolicy{set: slices.Clone(values), def: def})
}

type oneOfOrPolicy struct {
	basePolicy
	set []string
	def string
}

func (oneOfOrPolicy) name() string       { return "one_of_or" }
func (o oneOfOrPolicy) values() []string { return o.set }
func (o oneOfOrPolicy) fallback() string { return o.def }
func (o oneOfOrPolicy) fits(spec *FieldSpec) string {
	if !slices.Contains(o.set, o.def) {
		return fmt.Sprintf("default %q is not among the values", o.def)
	}
	return textFits(spec, false)
}
func (o oneOfOrPolicy) format(s string) (string, *refusal, string) {
	if !slices.Contains(o.set, s) {
		return o.def, nil, fmt.Sprintf("%q is not one of %s; stored %q", s, strings.Join(o.set, ", "), o.def)
	}
	return s, nil, ""
}
func (o oneOfOrPolicy) describe() string {
	return "one of: " + strings.Join(o.set, ", ") + "; any other value is stored as " + o.def
}

// Email accepts a bare address (rule R12): at most 254 characters, one
// "@", a dot-atom local part of at most 64 characters (letters, digits and
// !#$%&'*+-/=?^_`{|}~ in runs joined by single dots), and a domain of at
// least two labels of letters, digits and inner hyphens. Display names,
// comments, quoted local parts and non-ASCII addresses are refused, as a
// browser's email input refuses them.
func Email() Policy { return newPolicy(emailPolicy{}) }

type emailPolicy struct{ basePolicy }

func (emailPolicy) name() string { return "email" }

// maxLen is an address's own limit, 254, or the text limit if less.
func (emailPolicy) maxLen(l *Limits) int { return min(l.Text, maxEmail) }
func (emailPolicy) format(s string) (string, *refusal, string) {
	return accepted(s, validEmail(s), "Invalid email format")
}
func (emailPolicy) describe() string {
	return "an email address (a bare address, at most 254 characters)"
}
func (emailPolicy) keywords() map[string]any {
	return map[string]any{"format": "email", "pattern": `^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$`}
}

// PhoneAsIs stores a phone number exactly as sent, not even trimmed
// (rule C4); control characters and the length limit still apply.
func PhoneAsIs() Policy { return newPolicy(phoneAsIsPolicy{}) }

type phoneAsIsPolicy struct{ basePolicy }

func (phoneAsIsPolicy) name() string         { return "phone_as_is" }
func (phoneAsIsPolicy) trim(s string) string { return s }
func (phoneAsIsPolicy) describe() string     { return "stored exactly as sent" }

// PhoneLenient accepts "+" followed by 7 to 15 digits, which may be
// separated by spaces, dashes, dots and parentheses, and stores the number
// as sent, trimmed (rules L7, G8).
func PhoneLenient() Policy { return newPolicy(phoneLenientPolicy{}) }

type phoneLenientPolicy struct{ basePolicy }

func (phoneLenientPolicy) name() string { return "phone_lenient" }
func (phoneLenientPolicy) format(s string) (string, *refusal, string) {
	return accepted(s, validLenientPhone(s), "Invalid phone format: use + and the country code")
}
func (phoneLenientPolicy) describe() string {
	return "+ and 7 to 15 digits, with spaces, dashes, dots or parentheses; stored as sent"
}
func (phoneLenientPolicy) keywords() map[string]any {
	return map[string]any{"pattern": `^\s*\+[0-9 ().-]+\s*$`}
}

// PhoneE164 parses a number with github.com/nyaruka/phonenumbers, using
// region (such as "US") for numbers without a leading "+", rejects numbers
// that library does not hold valid or that have more than E.164's 15
// digits, and stores the E.164 form (rule R13). region must be one the
// library knows, or "" for none, in which case numbers must start with "+".
func PhoneE164(region string) Policy { return newPolicy(phoneE164Policy{home: region}) }

type phoneE164Policy struct {
	basePolicy
	home string
}

func (phoneE164Policy) name() string     { return "phone_e164" }
func (p phoneE164Policy) region() string { return p.home }
func (p phoneE164Policy) fits(spec *FieldSpec) string {
	if p.home != "" && phonenumbers.GetCountryCodeForRegion(p.home) == 0 {
		return fmt.Sprintf("phone region %q is not one the phone library knows", p.home)
	}
	return textFits(spec, false)
}
func (p phoneE164Policy) format(s string) (string, *refusal, string) {
	n, ok := e164(s, p.home)
	if !ok {
		return s, &refusal{code: CodeInvalidFormat, msg: "Invalid phone number"}, ""
	}
	return n, nil, ""
}
func (p phoneE164Policy) describe() string {
	region := "numbers must start with +"
	if p.home != "" {
		region = "default region " + p.home
	}
	return "a valid phone number, stored in E.164 (" + region + ")"
}

// HTTPURL accepts an absolute http or https URL with a host (rule L8).
func HTTPURL() Policy { return newPolicy(urlPolicy{}) }

type urlPolicy struct{ basePolicy }

func (urlPolicy) name() string         { return "http_url" }
func (urlPolicy) maxLen(l *Limits) int { return l.URL }
func (urlPolicy) format(s string) (string, *refusal, string) {
	return accepted(s, validHTTPURL(s), "Invalid URL format: use an absolute http or https URL")
}
func (urlPolicy) describe() string { return "an absolute http or https URL" }
func (urlPolicy) keywords() map[string]any {
	return map[string]any{"format": "uri", "pattern": `^\s*[hH][tT][tT][pP][sS]?://`}
}

// CustomFields merges a custom_fields object into the stored one as RFC
// 7396 merges objects: a null member deletes the name, an object member
// is merged into an object value, any other member replaces. Only names in
// [Options.CustomFields] are stored; unknown says what happens to others
// (rule C7).
func CustomFields(unknown UnknownKeys) Policy { return newPolicy(customPolicy{unknown: unknown}) }

type customPolicy struct {
	basePolicy
	unknown UnknownKeys
}

func (customPolicy) name() string                { return "custom_fields" }
func (c customPolicy) unknownNames() UnknownKeys { return c.unknown }
func (customPolicy) fits(spec *FieldSpec) string {
	if spec.textKind() != kindCustom {
		return "the custom-fields policy fits only custom fields"
	}
	return ""
}
func (c customPolicy) describe() string {
	what := "refused"
	if c.unknown == IgnoreUnknown {
		what = "dropped"
	}
	return "merged into the stored custom fields (null deletes one); names the company does not have are " + what
}
