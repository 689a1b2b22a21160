package contactpatch

// Read-only fields (rule R5): a sent value is accepted only when it is
// the stored one.

import (
	"slices"

	"github.com/google/uuid"
)

// echoes reports whether a patch sends read-only field f with the value
// stored (rule R5), as clients do when they send back an object they read.
// Ids that are both UUIDs compare as UUIDs, so case does not matter;
// timestamps compare as the profile renders them, so an echo of a
// rendering at second precision matches.
func (p *Profile) echoes(patch *Patch, stored *Contact, f Field) bool {
	switch f.kind() {
	case kindID:
		id, old := patch.idField(f).Or(""), *stored.idField(f)
		a, errA := uuid.Parse(id)
		b, errB := uuid.Parse(old)
		if errA == nil && errB == nil {
			return a == b
		}
		return id == old
	case kindTime:
		t, ok := patch.timeField(f).Get()
		old := *stored.timeField(f)
		if !ok || old.IsZero() {
			return !ok && old.IsZero()
		}
		return p.formatTime(t) == p.formatTime(old)
	case kindText:
		return sameText(*patch.text(f), *stored.text(f))
	case kindTags:
		return slices.Equal(patch.tagsField(f).Or(nil), *stored.tagsField(f))
	case kindBool:
		return patch.boolField(f).Or(false) == *stored.boolField(f)
	case kindCustom:
		return sameCustom(patch.customField(f).Or(nil), *stored.customField(f))
	}
	panic("contactpatch: read-only check has no case for " + f.String())
}
