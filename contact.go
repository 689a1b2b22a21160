package contactpatch

// The stored contact's own behaviour: its ETag and If-Match, copies that
// share nothing, and its field values as Changes reports them.

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/contactpatch/contactpatch/internal/etag"
)

// The Contact type itself is generated, with Patch, from the table of
// fields (field_gen.go); this file holds what is written by hand about it.

// ETag returns a strong HTTP entity tag for the stored state of c, derived
// from its Version: `"v3"` for version 3. Pass the client's If-Match header
// as [Options.IfMatch] to make Apply refuse a stale write.
func ETag(c Contact) string {
	return `"v` + strconv.FormatUint(c.Version, 10) + `"`
}

// MatchesIfMatch evaluates an If-Match header (its repeated lines joined
// with commas) against c as RFC 9110 §13.1.1 does: true when the header
// is empty, "*" alone, or lists ETag(c) by strong comparison. A GET whose
// If-Match does not hold is answered 412, as a PATCH is.
func MatchesIfMatch(header string, c Contact) bool {
	return strings.TrimSpace(header) == "" || etag.Matches(header, ETag(c), false)
}

// detach gives c its own copies of its slice, map and byte slices, so that
// it shares nothing with the contact it was copied from.
func (c *Contact) detach() {
	c.Tags = slices.Clone(c.Tags)
	if c.CustomFields != nil {
		c.CustomFields = cloneRaw(c.CustomFields)
	}
	if c.Extensions != nil {
		c.Extensions = cloneRaw(c.Extensions)
	}
}

// value returns the value of f in c as Change reports it: nil for no value,
// else a string, []string, bool, map[string]json.RawMessage or time.Time.
func (c *Contact) value(f Field) any {
	switch f.kind() {
	case kindText:
		if v, ok := c.text(f).Get(); ok {
			return v
		}
		return nil
	case kindID:
		return *c.idField(f)
	case kindTags:
		return slices.Clone(*c.tagsField(f))
	case kindBool:
		return *c.boolField(f)
	case kindCustom:
		return maps.Clone(*c.customField(f))
	case kindTime:
		if t := *c.timeField(f); !t.IsZero() {
			return t
		}
		return nil
	}
	panic("contactpatch: value has no case for " + f.String())
}

// sameText reports whether two stored text values mean the same: omitted
// and null both mean "no value".
func sameText(a, b Optional[string]) bool {
	av, aok := a.Get()
	bv, bok := b.Get()
	return aok == bok && av == bv
}
