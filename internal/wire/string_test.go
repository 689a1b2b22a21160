package wire

import (
	"encoding/binary"
	"testing"
)

// The masks must find the first byte the byte tables stop at, on every
// word: checked on words built from bytes around each boundary the tricks
// rely on, with a second odd byte after the first to catch borrows.
func TestMasksFindTheFirstStop(t *testing.T) {
	printable := func(c byte) bool { return c >= 0x20 && c < 0x7f }
	isPlain := func(c byte) bool { return plain[c] }
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"' - 1, '"', '"' + 1, '\\' - 1, '\\', '\\' + 1, 'a', 0x7e, 0x7f, 0x80, 0x81, 0xc3, 0xfe, 0xff}
	var word [8]byte
	check := func() {
		w := binary.LittleEndian.Uint64(word[:])
		for _, m := range []struct {
			name string
			mask func(uint64) uint64
			keep func(byte) bool
		}{{"stopMask", stopMask, isPlain}, {"printableMask", printableMask, printable}} {
			want := 0
			for want < len(word) && m.keep(word[want]) {
				want++
			}
			got := 8
			if f := m.mask(w); f != 0 {
				got = firstFlagged(f)
			}
			if got != want {
				t.Fatalf("%s(% x) stops at %d, want %d", m.name, word, got, want)
			}
		}
		if got, want := PrintablePrefix(string(word[:])+"tail"), 0; got < 8 {
			for want < 8 && printable(word[want]) {
				want++
			}
			if got != want {
				t.Fatalf("PrintablePrefix(% x) = %d, want %d", word, got, want)
			}
		}
	}
	for pos := range word {
		for _, base := range []byte{'a', ' ', 0x7e} {
			for i := range word {
				word[i] = base
			}
			for _, c := range edges {
				word[pos] = c
				check()
				for _, c2 := range edges {
					word[(pos+3)%8] = c2
					check()
				}
			}
		}
	}
}
