package wire

// MergePatch applies the RFC 7396 merge patch patch to target, both valid
// JSON values: an object patch is merged member by member into target (an
// object, or {} when target is anything else), a null member deletes the
// name, and any other patch replaces target. The result is compact, with
// object members sorted by name.
func MergePatch(target, patch []byte) []byte {
	pobj, ok := Members(patch)
	if !ok {
		return Compact(patch)
	}
	tobj, _ := Members(target)
	if tobj == nil {
		tobj = map[string][]byte{}
	}
	for name, v := range pobj {
		if IsNull(v) {
			delete(tobj, name)
			continue
		}
		tobj[name] = MergePatch(tobj[name], v)
	}
	return AppendObject(nil, tobj)
}

// Members reads raw as a JSON object into its members' raw values (not
// compacted), or reports that it is not one. Of repeated names the last wins, as RFC
// 7396 leaves it; the decoder refuses repeats before they get here.
func Members(raw []byte) (map[string][]byte, bool) {
	s := New(raw, Limits{})
	if s.Peek() != '{' {
		return nil, false
	}
	m := map[string][]byte{}
	err := s.Object(func(key []byte) *Error {
		start := s.Pos()
		if err := s.Skip(); err != nil {
			return err
		}
		m[string(key)] = s.Bytes(start)
		return nil
	})
	if s.ws(); err != nil || s.pos != len(s.buf) {
		return nil, false
	}
	return m, true
}
