package contactpatch

// The full-name policy's glue to the parser of package fullname: the parts
// a stored full name implies (rule R11), and the full name rebuilt from
// its parts.

import "github.com/contactpatch/contactpatch/fullname"

// nameSources are the fields a parsed full name is rebuilt from.
const nameSources = fieldSet(1<<FieldNameTitle | 1<<FieldFirstName | 1<<FieldMiddleName | 1<<FieldLastName | 1<<FieldNameSuffix)

// nameParts returns the parts a stored full name implies (rule R11):
// first and last name always, in every profile that parses full names
// ("" where the name has none), and title, middle name, suffix and
// nickname in profiles that have those fields, with no value where the
// name has none. A cleared full name clears them all.
func nameParts(full Optional[string]) implied {
	n := fullname.Parse(full.Or(""))
	imp := implied{n: 6}
	for i, p := range [6]struct {
		f Field
		v string
	}{{FieldFirstName, n.First}, {FieldLastName, n.Last}, {FieldNameTitle, n.Title},
		{FieldMiddleName, n.Middle}, {FieldNameSuffix, n.Suffix}, {FieldNickname, n.Nickname}} {
		imp.parts[i].f, imp.parts[i].always = p.f, i < 2
		switch {
		case full.IsNull() || (i >= 2 && p.v == ""):
			imp.parts[i].v = Null[string]()
		default:
			imp.parts[i].v = Value(p.v)
		}
	}
	return imp
}

// fullNameOf rebuilds a parsed full name from its parts, for a patch that
// changed only those (rule R11).
func fullNameOf(c *Contact) Optional[string] {
	n := fullname.Name{Title: c.NameTitle.Or(""), First: c.FirstName.Or(""), Middle: c.MiddleName.Or(""),
		Last: c.LastName.Or(""), Suffix: c.NameSuffix.Or("")}
	if n == (fullname.Name{}) && !c.FirstName.HasValue() && !c.LastName.HasValue() {
		return Null[string]()
	}
	return Value(collapseSpace(n.String()))
}

// deriveNameParts fills the name parts of a parsed contact from its full
// name when its view did not carry them and the profile parses full
// names, as Apply would have stored them.
func deriveNameParts(p *Profile, c *Contact, seen fieldSet) {
	spec := p.spec(FieldFullName)
	full, ok := c.FullName.Get()
	if spec == nil || spec.Policy.derivedFrom() == 0 || !ok || seen&nameSources != 0 {
		return
	}
	imp := nameParts(Value(full))
	for _, part := range imp.parts[:imp.n] {
		if part.always || p.spec(part.f) != nil {
			*c.text(part.f) = part.v
		}
	}
}
