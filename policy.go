package contactpatch

// What a policy is, and the steps Apply takes through it: the text rules
// (R9), normalization, merging, tags (G5, C5) and custom fields (C7).
// The built-in policies themselves are in policies.go.

import (
	"bytes"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// Policy says how a field's value is checked, normalized and merged. Build
// one with the functions of policies.go; the zero Policy is the field's
// plain one: single-line text replaced, tags replaced, booleans set.
type Policy struct {
	p policy
	// What Apply asks of every text value, read once from p when the
	// policy is made, so that the common policy costs no call.
	keepsLines, extends bool
	derives             fieldSet
}

// newPolicy wraps a policy type, noting what Apply asks of it often.
func newPolicy(p policy) Policy {
	return Policy{p: p, keepsLines: p.multiline(), extends: p.extends(), derives: p.derivedFrom()}
}

// policy is what each built-in policy type (policies.go) implements.
// Its methods are unexported, so that the package alone defines
// policies, and Apply, Schema and the descriptions only ask them.
type policy interface {
	name() string                // the constructor's name, for Policy.Name
	fits(spec *FieldSpec) string // why the policy cannot serve spec, or ""
	multiline() bool             // text keeps newlines, tabs and outer space
	extends() bool               // a sent value extends the stored one
	trim(s string) string        // what the policy trims from a sent value
	maxLen(l *Limits) int        // the length class a value of the policy takes
	// format checks a value that passed the text rules and returns what
	// to store, or the problem that refuses it; coerced is the warning's
	// message for a value replaced.
	format(s string) (v string, pr *refusal, coerced string)
	// merge combines a formatted value with the stored one, within max.
	merge(stored, sent Optional[string], max int) (Optional[string], *refusal)
	nullMessage() string                // why null is refused when the field is not nullable
	implies(v Optional[string]) implied // what a stored value sets in other fields; asked only of a policy that derivedFrom says derives

	derivedFrom() fieldSet             // the fields the policy's own is rebuilt from
	derive(c Contact) Optional[string] // the rebuilt value, from a copy (a pointer would move the merge state to the heap); only when derivedFrom is not empty
	describe() string                  // what a sent value becomes, in words; "" for plain
	keywords() map[string]any          // JSON Schema keywords of a text value
	values() []string                  // an enumeration's values
	fallback() string                  // an enumeration's default
	separator() string                 // an append's separator
	region() string                    // a phone's default region
	unknownNames() UnknownKeys         // what custom fields do with unknown names
}

// impl is the policy's behaviour: the plain one for the zero Policy.
func (p Policy) impl() policy {
	if p.p == nil {
		return plainPolicy{}
	}
	return p.p
}

// check reports why the policy cannot serve the field, or "" when it can.
func (p *Policy) check(spec *FieldSpec) string { return p.impl().fits(spec) }

// multiline reports whether the policy keeps newlines, tabs and outer space.
func (p *Policy) multiline() bool { return p.keepsLines }

// appends reports whether a sent value extends the stored one.
func (p *Policy) appends() bool { return p.extends }

func (p *Policy) nullMessage() string { return p.impl().nullMessage() }

// implies is asked only of a policy whose derivedFrom is not empty: only
// a field derived from others implies values in them.
func (p *Policy) implies(v Optional[string]) implied { return p.impl().implies(v) }
func (p *Policy) derivedFrom() fieldSet              { return p.derives }
func (p *Policy) derive(c Contact) Optional[string]  { return p.impl().derive(c) }

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
// limit of its policy's class (URL, multiline, single-line).
func (spec *FieldSpec) maxLen(l *Limits) int {
	if spec.MaxLen > 0 {
		return spec.MaxLen
	}
	return spec.Policy.impl().maxLen(l)
}

// normalize applies the text rules (R9) and the field's policy to a sent
// value and returns what to store, or the problem that refuses it. A
// coerced value comes with the warning message to report. A value the
// decoder found printable ASCII passes R9's character check as it is.
func (spec *FieldSpec) normalize(s string, printable bool, l *Limits) (v Optional[string], pr *refusal, coerced string) {
	pol := spec.Policy.impl()
	s = pol.trim(s)
	if !printable {
		if pr := checkChars(s, spec.textClass()); !pr.ok() {
			return v, pr, ""
		}
	}
	if spec.EmptyAsNull && s == "" {
		return Null[string](), nil, ""
	}
	if spec.Lowercase {
		s = strings.ToLower(s)
	}
	if max := spec.maxLen(l); !spec.Policy.appends() && tooLong(s, max) {
		return v, &refusal{code: CodeTooLong, msg: "Must be at most " + strconv.Itoa(max) + " characters", limit: max}, ""
	}
	s, pr, coerced = pol.format(s)
	if !pr.ok() {
		return v, pr, ""
	}
	return Value(s), nil, coerced
}

// merge combines a normalized value with the stored one under the
// field's policy: an append extends the stored text (rule L3); every
// other policy replaces it.
func (spec *FieldSpec) merge(stored, sent Optional[string], l *Limits) (Optional[string], *refusal) {
	if !spec.Policy.extends {
		return sent, nil
	}
	return spec.Policy.impl().merge(stored, sent, spec.maxLen(l))
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
		r.fail(spec.Name, wire.Pointer(spec.Name), &refusal{code: CodeTooMany, msg: "At most " + strconv.Itoa(l.Tags) + " tags", limit: l.Tags})
		return nil
	}
	out := make([]string, 0, len(list))
	for i, t := range list {
		t = strings.TrimSpace(t)
		pr := checkChars(t, singleLine)
		switch {
		case !pr.ok():
		case t == "":
			pr = &refusal{code: CodeInvalidFormat, msg: "Tag cannot be empty"}
		case tooLong(t, l.Tag):
			pr = &refusal{code: CodeTooLong, msg: "Must be at most " + strconv.Itoa(l.Tag) + " characters", limit: l.Tag}
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
func (spec *FieldSpec) mergeCustom(stored, sent map[string]rawJSON, names []string, l *Limits, r *findings) map[string]rawJSON {
	next := maps.Clone(stored)
	if next == nil {
		next = map[string]rawJSON{}
	}
	for _, name := range slices.Sorted(maps.Keys(sent)) {
		ptr := wire.Pointer(spec.Name, name)
		switch {
		case !slices.Contains(names, name):
			if spec.Policy.impl().unknownNames() == IgnoreUnknown {
				r.warn(spec.Name, ptr, CodeDropped, "Not a custom field of this company; not stored")
			} else {
				r.fail(spec.Name, ptr, &refusal{code: CodeUnknownField, msg: "Not a custom field of this company"})
			}
		case tooLong(name, l.CustomFieldName):
			r.fail(spec.Name, ptr, &refusal{code: CodeTooLong, msg: "Custom field names are at most " + strconv.Itoa(l.CustomFieldName) + " characters", limit: l.CustomFieldName})
		case !wire.Valid(sent[name]):
			r.fail(spec.Name, ptr, &refusal{code: CodeInvalidFormat, msg: "Must be a JSON value"})
		case wire.IsNull(sent[name]):
			delete(next, name)
		default:
			v := wire.MergePatch(next[name], sent[name])
			if len(v) > l.CustomFieldValue {
				r.fail(spec.Name, ptr, &refusal{code: CodeTooLong, msg: "Value exceeds " + strconv.Itoa(l.CustomFieldValue) + " bytes", limit: l.CustomFieldValue})
				continue
			}
			next[name] = v
		}
	}
	if len(next) > l.CustomFields {
		r.fail(spec.Name, wire.Pointer(spec.Name), &refusal{code: CodeTooMany, msg: "At most " + strconv.Itoa(l.CustomFields) + " custom fields", limit: l.CustomFields})
	}
	return next
}

// tooLong reports whether s has more than max characters, counting them
// only when its length in bytes leaves a doubt.
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}

func sameCustom(a, b map[string]rawJSON) bool {
	return maps.EqualFunc(a, b, func(x, y rawJSON) bool { return bytes.Equal(x, y) })
}
