package contactpatch

// Read-only fields (rules R5, H15): a sent value is accepted only when it
// is the stored one, or, for a profile with StrictReadOnly, never.

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

// readOnly judges a read-only field the patch sends, echoed when its
// value is the stored one (rule R5): a strict profile refuses it
// whatever its value (rule H15), the others unless echoed.
func (m *merge) readOnly(spec *FieldSpec, echoed bool) {
	switch {
	case m.p.schema.StrictReadOnly:
		m.fail(spec, &refusal{code: CodeReadOnly, msg: "Read-only field: it cannot be set"})
	case !echoed:
		m.fail(spec, &refusal{code: CodeReadOnly, msg: "Read-only field: send the stored value or leave it out"})
	}
}
