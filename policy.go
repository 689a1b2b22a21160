package contactpatch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contactpatch/contactpatch/internal/wire"
	"github.com/nyaruka/phonenumbers"
)

// Policy says how a field's value is checked, normalized and merged. Build
// one with the functions below; the zero Policy is the field's plain one:
// single-line text replaced, tags replaced, booleans set.
//
// Everything a policy does lives in this file: which fields it fits, how
// it trims, which length limit it takes, how it checks and normalizes a
// value, and how it merges the value with the stored one. Apply only
// calls these methods in order.
type Policy struct {
	kind    policyKind
	sep     string
	values  []string
	def     string
	region  string
	unknown UnknownKeys
}

type policyKind uint8

const (
	policyPlain policyKind = iota
	policyMultiline
	policyAppend
	policyName
	policyOneOf
	policyCoerce
	policyEmail
	policyPhoneAsIs
	policyPhoneLenient
	policyPhoneE164
	policyURL
	policyCustom
)

// Multiline is text that may hold newlines and tabs, is not trimmed, and
// is replaced by a new value (rule C8).
func Multiline() Policy { return Policy{kind: policyMultiline} }

// Append is multiline text that a new value extends instead of replacing:
// stored + sep + sent (rule L3). Appending to an empty field stores the sent
// text alone, appending "" changes nothing, and a field with this policy
// cannot be nullable, since append mode cannot erase history.
func Append(sep string) Policy { return Policy{kind: policyAppend, sep: sep} }

// ParseName fits the full_name field: the name is stored as sent (trimmed,
// inner whitespace collapsed) and also sets the name parts the profile
// has (first, middle and last name, title, suffix, nickname) to what
// [fullname.Parse] finds in it (rules C2, R11). An explicit part in the
// same patch wins; a patch that changes only parts recomputes full_name
// from them.
func ParseName() Policy { return Policy{kind: policyName} }

// OneOf accepts only the listed values and rejects any other with
// invalid_enum (rule G6). It needs at least one value.
func OneOf(values ...string) Policy {
	return Policy{kind: policyOneOf, values: slices.Clone(values)}
}

// OneOfOr accepts the listed values and stores def in place of any other,
// with a coerced warning (rule C6). def must be one of the values.
func OneOfOr(def string, values ...string) Policy {
	return Policy{kind: policyCoerce, def: def, values: slices.Clone(values)}
}

// Email accepts a bare address (rule R12): at most 254 characters, one
// "@", a dot-atom local part of at most 64 characters (letters, digits and
// !#$%&'*+-/=?^_`{|}~ in runs joined by single dots), and a domain of at
// least two labels of letters, digits and inner hyphens. Display names,
// comments, quoted local parts and non-ASCII addresses are refused, as a
// browser's email input refuses them.
func Email() Policy { return Policy{kind: policyEmail} }

// PhoneAsIs stores a phone number exactly as sent, not even trimmed
// (rule C4); control characters and the length limit still apply.
func PhoneAsIs() Policy { return Policy{kind: policyPhoneAsIs} }

// PhoneLenient accepts "+" followed by 7 to 15 digits, which may be
// separated by spaces, dashes, dots and parentheses, and stores the number
// as sent, trimmed (rules L7, G8).
func PhoneLenient() Policy { return Policy{kind: policyPhoneLenient} }

// PhoneE164 parses a number with github.com/nyaruka/phonenumbers, using
// region (such as "US") for numbers without a leading "+", rejects numbers
// that library does not hold valid or that have more than E.164's 15
// digits, and stores the E.164 form (rule R13). region must be one the
// library knows, or "" for none, in which case numbers must start with "+".
func PhoneE164(region string) Policy { return Policy{kind: policyPhoneE164, region: region} }

// HTTPURL accepts an absolute http or https URL with a host (rule L8).
func HTTPURL() Policy { return Policy{kind: policyURL} }

// CustomFields merges a custom_fields object into the stored one as RFC
// 7396 merges objects: a null member deletes the name, an object member
// is merged into an object value, any other member replaces. Only names in
// [Options.CustomFields] are stored; unknown says what happens to others
// (rule C7).
func CustomFields(unknown UnknownKeys) Policy {
	return Policy{kind: policyCustom, unknown: unknown}
}

// check reports why the policy cannot serve field f, or "" when it can.
// Format policies (email, phone, URL, enumerations, name parsing) need a
// single-line text field: notes cannot be an email address.
func (p *Policy) check(spec *FieldSpec) string {
	f, k := spec.Field, spec.textKind()
	switch p.kind {
	case policyPlain:
		return ""
	case policyCustom:
		if k != kindCustom {
			return "the custom-fields policy fits only custom fields"
		}
		return ""
	case policyName:
		if f != FieldFullName {
			return "the name policy fits only the full name"
		}
	case policyOneOf:
		if len(p.values) == 0 {
			return "OneOf needs at least one value"
		}
	case policyCoerce:
		if !slices.Contains(p.values, p.def) {
			return fmt.Sprintf("default %q is not among the values", p.def)
		}
	case policyPhoneE164:
		if p.region != "" && phonenumbers.GetCountryCodeForRegion(p.region) == 0 {
			return fmt.Sprintf("phone region %q is not one the phone library knows", p.region)
		}
	}
	switch {
	case k != kindText:
		return "a text policy fits only text fields"
	case f != 0 && f.multiline() && !p.multiline():
		return "a format policy does not fit multiline text"
	}
	return ""
}

// textKind is the field's kind for the policies: an extension of
// KindText is text, and other extensions are of no canonical kind.
func (spec *FieldSpec) textKind() kind {
	switch {
	case !spec.isExtension():
		return spec.Field.kind()
	case spec.Kind == KindText:
		return kindText
	}
	return 0
}

// multiline reports whether the policy keeps newlines, tabs and outer space.
func (p *Policy) multiline() bool {
	return p.kind == policyMultiline || p.kind == policyAppend
}

// appends reports whether a sent value extends the stored one.
func (p *Policy) appends() bool { return p.kind == policyAppend }

// nullMessage explains why null is refused for a field that is not nullable.
func (p *Policy) nullMessage() string {
	if p.appends() {
		return "Cannot be null: this field is append-only"
	}
	return "Cannot be null"
}

// textClass says which characters the field's text may hold: multiline
// text more, a person's name the joiners its script may need.
func (spec *FieldSpec) textClass() textClass {
	switch {
	case spec.Policy.multiline():
		return multiline
	case !spec.isExtension() && spec.Field.personal():
		return personal
	}
	return singleLine
}

// maxLen returns the length limit of a text field: its own MaxLen, or the
// limit of its class (URL, multiline, single-line).
func (spec *FieldSpec) maxLen(l *Limits) int {
	switch {
	case spec.MaxLen > 0:
		return spec.MaxLen
	case spec.Policy.kind == policyURL:
		return l.URL
	case spec.Policy.multiline():
		return l.LongText
	}
	return l.Text
}

// normalize applies the text rules (R9) and the field's policy to a sent
// value and returns what to store, or the problem that refuses it. A
// coerced value comes with the warning message to report.
func (spec *FieldSpec) normalize(s string, l *Limits) (v Optional[string], pr problem, coerced string) {
	pol := &spec.Policy
	if pol.kind != policyPhoneAsIs && !pol.multiline() {
		s = strings.TrimSpace(s)
	}
	if pol.kind == policyName {
		s = collapseSpace(s)
	}
	if pr := checkChars(s, spec.textClass()); !pr.ok() {
		return v, pr, ""
	}
	if spec.EmptyAsNull && s == "" {
		return Null[string](), problem{}, ""
	}
	if spec.Lowercase {
		s = strings.ToLower(s)
	}
	if max := spec.maxLen(l); !pol.appends() && tooLong(s, max) {
		return v, problem{code: CodeTooLong, msg: "Must be at most " + strconv.Itoa(max) + " characters", limit: max}, ""
	}
	switch pol.kind {
	case policyEmail:
		if !validEmail(s) {
			return v, problem{code: CodeInvalidFormat, msg: "Invalid email format"}, ""
		}
	case policyPhoneLenient:
		if !validLenientPhone(s) {
			return v, problem{code: CodeInvalidFormat, msg: "Invalid phone format: use + and the country code"}, ""
		}
	case policyPhoneE164:
		n, ok := e164(s, pol.region)
		if !ok {
			return v, problem{code: CodeInvalidFormat, msg: "Invalid phone number"}, ""
		}
		s = n
	case policyURL:
		if !validHTTPURL(s) {
			return v, problem{code: CodeInvalidFormat, msg: "Invalid URL format: use an absolute http or https URL"}, ""
		}
	case policyOneOf:
		if !slices.Contains(pol.values, s) {
			return v, problem{code: CodeInvalidEnum, msg: "Must be one of: " + strings.Join(pol.values, ", "), allowed: pol.values}, ""
		}
	case policyCoerce:
		if !slices.Contains(pol.values, s) {
			coerced = fmt.Sprintf("%q is not one of %s; stored %q", s, strings.Join(pol.values, ", "), pol.def)
			s = pol.def
		}
	}
	return Value(s), problem{}, coerced
}

// merge combines a normalized value with the stored one: an appending
// policy extends the stored text (rule L3) and refuses, never truncates,
// a result past the limit (R9); every other policy replaces it.
func (spec *FieldSpec) merge(stored, sent Optional[string], l *Limits) (Optional[string], problem) {
	if !spec.Policy.appends() {
		return sent, problem{}
	}
	return spec.appendTo(stored, sent, l)
}

func (spec *FieldSpec) appendTo(stored, sent Optional[string], l *Limits) (Optional[string], problem) {
	add := sent.Or("")
	if add == "" {
		return stored, problem{}
	}
	if cur := stored.Or(""); cur != "" {
		add = cur + spec.Policy.sep + add
	}
	if max := spec.maxLen(l); tooLong(add, max) {
		return stored, problem{code: CodeTooLong, msg: "Would exceed " + strconv.Itoa(max) + " characters after appending", limit: max}
	}
	return Value(add), problem{}
}

// implies returns the values that a stored value of this policy's field
// sets in other fields: a parsed full name sets first and last name.
func (p *Policy) implies(v Optional[string]) implied {
	if p.kind == policyName {
		return nameParts(v)
	}
	return implied{}
}

// derivedFrom returns the fields from which the policy rebuilds its own
// field when a patch changes only those: first and last name for a
// parsed full name.
func (p *Policy) derivedFrom() fieldSet {
	if p.kind == policyName {
		return nameSources
	}
	return 0
}

// derive rebuilds the policy's field from the fields it is derived from;
// it is called only for a policy whose derivedFrom is not empty.
func (p *Policy) derive(c *Contact) Optional[string] {
	if p.kind == policyName {
		return fullNameOf(c)
	}
	panic("contactpatch: derive called for a policy that derives nothing")
}

// implied lists values a policy sets in other fields: those the profile
// has, and those marked always whether it has them or not.
type implied struct {
	n     int
	parts [6]struct {
		f      Field
		v      Optional[string]
		always bool
	}
}

// replaceTags checks and normalizes a sent tag list, which replaces the
// stored one (rules G5, C5): each tag trimmed, none empty, none too long,
// repeats stored once with a deduplicated warning.
func (spec *FieldSpec) replaceTags(list []string, l *Limits, r *findings) []string {
	if len(list) > l.Tags {
		r.fail(spec.Name, wire.Pointer(spec.Name), problem{code: CodeTooMany, msg: "At most " + strconv.Itoa(l.Tags) + " tags", limit: l.Tags})
		return nil
	}
	out := make([]string, 0, len(list))
	for i, t := range list {
		t = strings.TrimSpace(t)
		pr := checkChars(t, singleLine)
		switch {
		case !pr.ok():
		case t == "":
			pr = problem{code: CodeInvalidFormat, msg: "Tag cannot be empty"}
		case tooLong(t, l.Tag):
			pr = problem{code: CodeTooLong, msg: "Must be at most " + strconv.Itoa(l.Tag) + " characters", limit: l.Tag}
		case slices.Contains(out, t):
			continue
		}
		if !pr.ok() {
			r.fail(spec.Name, wire.Pointer(spec.Name, strconv.Itoa(i)), pr)
		}
		out = append(out, t)
	}
	if len(out) < len(list) {
		r.warn(spec.Name, wire.Pointer(spec.Name), CodeDeduplicated, "Repeated tags were stored once")
	}
	return out
}

// mergeCustom merges sent custom fields into the stored ones (rule C7),
// keeping only the tenant's names, and returns the new set.
func (spec *FieldSpec) mergeCustom(stored, sent map[string]json.RawMessage, names []string, l *Limits, r *findings) map[string]json.RawMessage {
	next := maps.Clone(stored)
	if next == nil {
		next = map[string]json.RawMessage{}
	}
	for _, name := range slices.Sorted(maps.Keys(sent)) {
		ptr := wire.Pointer(spec.Name, name)
		switch {
		case !slices.Contains(names, name):
			if spec.Policy.unknown == IgnoreUnknown {
				r.warn(spec.Name, ptr, CodeDropped, "Not a custom field of this company; not stored")
			} else {
				r.fail(spec.Name, ptr, problem{code: CodeUnknownField, msg: "Not a custom field of this company"})
			}
		case tooLong(name, l.CustomFieldName):
			r.fail(spec.Name, ptr, problem{code: CodeTooLong, msg: "Custom field names are at most " + strconv.Itoa(l.CustomFieldName) + " characters", limit: l.CustomFieldName})
		case !wire.Valid(sent[name]):
			r.fail(spec.Name, ptr, problem{code: CodeInvalidFormat, msg: "Must be a JSON value"})
		case wire.IsNull(sent[name]):
			delete(next, name)
		default:
			v := wire.MergePatch(next[name], sent[name])
			if len(v) > l.CustomFieldValue {
				r.fail(spec.Name, ptr, problem{code: CodeTooLong, msg: "Value exceeds " + strconv.Itoa(l.CustomFieldValue) + " bytes", limit: l.CustomFieldValue})
				continue
			}
			next[name] = v
		}
	}
	if len(next) > l.CustomFields {
		r.fail(spec.Name, wire.Pointer(spec.Name), problem{code: CodeTooMany, msg: "At most " + strconv.Itoa(l.CustomFields) + " custom fields", limit: l.CustomFields})
	}
	return next
}

// tooLong reports whether s has more than max characters, counting them
// only when its length in bytes leaves a doubt.
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}

func sameCustom(a, b map[string]json.RawMessage) bool {
	return maps.EqualFunc(a, b, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) })
}
