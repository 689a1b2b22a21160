package wire

import (
	"encoding/binary"
	"testing"
)

// plainWord must agree with the byte table on every word: checked on
// words built from bytes around each boundary the tricks rely on.
func TestPlainWordAgreesWithTheByteTable(t *testing.T) {
	edges := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, '"' - 1, '"', '"' + 1, '\\' - 1, '\\', '\\' + 1, 'a', 0x7e, 0x7f, 0x80, 0x81, 0xc3, 0xfe, 0xff}
	var word [8]byte
	check := func() {
		w := binary.LittleEndian.Uint64(word[:])
		want := true
		for _, c := range word {
			want = want && plain[c]
		}
		if got := plainWord(w); got != want {
			t.Fatalf("plainWord(% x) = %t, want %t", word, got, want)
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
