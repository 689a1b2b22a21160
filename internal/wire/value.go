package wire

// Whole values judged and read by the strict scanner, for values that did
// not come through the decoder: stored contacts, a Patch built in Go, a
// profile's literals. encoding/json would accept what R3 refuses.

// Valid reports whether raw is one JSON value in valid UTF-8, with white
// space around it allowed. Keys twice in one object are the decoder's to
// report, where it can say where they are; Valid does not judge them.
func Valid(raw []byte) bool {
	sc := New(raw, Limits{})
	if sc.Peek() == 0 || sc.Skip() != nil {
		return false
	}
	return sc.Peek() == 0 && sc.Pos() == len(raw)
}

// Strings reads raw as a JSON array of strings; false when it is not one.
func Strings(raw []byte) ([]string, bool) {
	list := []string{}
	sc := New(raw, Limits{Depth: 1})
	if sc.Peek() != '[' {
		return nil, false
	}
	err := sc.Array(func(int) *Error {
		s, err := sc.Text()
		list = append(list, s)
		return err
	})
	return list, err == nil && sc.Peek() == 0 && sc.Pos() == len(raw)
}
