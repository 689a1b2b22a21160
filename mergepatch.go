package contactpatch

import (
	"encoding/json"
	"maps"
	"slices"
)

// mergePatch applies an RFC 7396 merge patch to target, both JSON texts:
// an object patch is merged member by member into target (an object, or {}
// when target is anything else), a null member deletes the name, and any
// other patch replaces target. The result is compact, with object members
// sorted by name.
func mergePatch(target, patch json.RawMessage) json.RawMessage {
	pobj, ok := object(patch)
	if !ok {
		return compact(patch)
	}
	tobj, _ := object(target)
	if tobj == nil {
		tobj = map[string]json.RawMessage{}
	}
	for name, v := range pobj {
		if isJSONNull(v) {
			delete(tobj, name)
			continue
		}
		tobj[name] = mergePatch(tobj[name], v)
	}
	return appendObject(nil, tobj)
}

// object decodes raw as a JSON object, or reports that it is not one.
func object(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return m, true
}

// appendObject writes m as a compact JSON object with sorted names.
func appendObject(b []byte, m map[string]json.RawMessage) []byte {
	b = append(b, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = append(b, compact(m[k])...)
	}
	return append(b, '}')
}
