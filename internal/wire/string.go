package wire

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// arenaMax is the largest input whose string values Text cuts from one
// copy of the input instead of copying each on its own. Cutting saves an
// allocation per value, but every value then keeps the whole input alive;
// for inputs this small that costs less than the allocations it saves.
const arenaMax = 8 << 10

// String reads a string token and returns its decoded bytes, which alias
// the input when the token has no escapes.
func (s *Scanner) String() ([]byte, *Error) {
	s.pos++ // '"'
	start := s.pos
	for s.pos+8 <= len(s.buf) { // the common bytes, eight at a time
		if m := stopMask(binary.LittleEndian.Uint64(s.buf[s.pos:])); m != 0 {
			s.pos += firstFlagged(m)
			break
		}
		s.pos += 8
	}
	for s.pos < len(s.buf) && plain[s.buf[s.pos]] {
		s.pos++
	}
	s.printable = true // until a byte says otherwise
	for s.pos < len(s.buf) {
		switch c := s.buf[s.pos]; {
		case c == '"':
			s.pos++
			return s.buf[start : s.pos-1], nil
		case c == '\\':
			s.printable = false
			return s.escaped(append([]byte(nil), s.buf[start:s.pos]...))
		case c < 0x20:
			return nil, s.syntax("control character in a string")
		case c < utf8.RuneSelf: // DEL
			s.printable = false
			s.pos++
		default:
			s.printable = false
			if err := s.rune(); err != nil {
				return nil, err
			}
		}
	}
	return nil, s.syntax("unterminated string")
}

// Printable reports whether the last string token read held only
// printable ASCII (0x20 to 0x7E) and no escape: text that needs no
// further check of its characters.
func (s *Scanner) Printable() bool { return s.printable }

// Text reads a string token as a Go string. For a small input, a token
// without escapes is cut from one copy of the whole input.
func (s *Scanner) Text() (string, *Error) {
	start := s.pos + 1
	b, err := s.String()
	switch {
	case err != nil || len(b) == 0:
		return "", err
	case &b[0] != &s.buf[start] || len(s.buf) > arenaMax: // escaped, or too big to share
		return string(b), nil
	}
	if s.arena == "" {
		s.arena = string(s.buf)
	}
	return s.arena[start : start+len(b)], nil
}

// rune passes over one multi-byte UTF-8 sequence, refusing invalid ones.
func (s *Scanner) rune() *Error {
	r, size := utf8.DecodeRune(s.buf[s.pos:])
	if r == utf8.RuneError && size == 1 {
		return s.fail(BadUTF8, "Invalid UTF-8")
	}
	s.pos += size
	return nil
}

// escaped finishes a string that holds escapes, appending to out.
func (s *Scanner) escaped(out []byte) ([]byte, *Error) {
	for s.pos < len(s.buf) {
		c := s.buf[s.pos]
		switch {
		case c == '"':
			s.pos++
			return out, nil
		case c == '\\':
			var err *Error
			if out, err = s.escape(out); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, s.syntax("control character in a string")
		case c < utf8.RuneSelf:
			out = append(out, c)
			s.pos++
		default:
			start := s.pos
			if err := s.rune(); err != nil {
				return nil, err
			}
			out = append(out, s.buf[start:s.pos]...)
		}
	}
	return nil, s.syntax("unterminated string")
}

// plain marks the bytes a string token holds as they are: printable ASCII
// but the quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// The words of eight bytes that stopMask and printableMask read: each
// flags, in the high bit of a byte, the bytes of w that end a run, using
// the classic "has a zero byte" and "has a byte less than n" tricks. Only
// the lowest flag is exact (a borrow can raise flags above it), and the
// lowest is all that firstFlagged reads.
const ones, highs = 0x0101010101010101, 0x8080808080808080

func zeroBytes(w uint64) uint64          { return (w - ones) &^ w & highs }
func bytesBelow(w uint64, n byte) uint64 { return (w - ones*uint64(n)) &^ w & highs }

// firstFlagged returns the index of the first byte a mask flags.
func firstFlagged(m uint64) int { return bits.TrailingZeros64(m) / 8 }

// stopMask flags the bytes that are not plain: below 0x20, the quote, the
// backslash, DEL, and every byte of a multi-byte character.
func stopMask(w uint64) uint64 {
	return printableMask(w) | zeroBytes(w^(ones*'"')) | zeroBytes(w^(ones*'\\'))
}

// printableMask flags the bytes that are not printable ASCII.
func printableMask(w uint64) uint64 {
	return bytesBelow(w, 0x20) | zeroBytes(w^(ones*0x7f)) | w&highs
}

// PrintablePrefix returns the length of the longest prefix of s that is
// printable ASCII (0x20 to 0x7E), the common text that needs no rune-by-
// rune check, reading it eight bytes at a time.
func PrintablePrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if m := printableMask(w); m != 0 {
			return i + firstFlagged(m)
		}
	}
	for i < len(s) && s[i] >= 0x20 && s[i] < 0x7f {
		i++
	}
	return i
}

var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// escape decodes the escape at the position; a \u escape must not leave a
// lone surrogate, which has no UTF-8 form.
func (s *Scanner) escape(out []byte) ([]byte, *Error) {
	if s.pos+1 >= len(s.buf) {
		return nil, s.syntax("unterminated string")
	}
	e := s.buf[s.pos+1]
	s.pos += 2
	if e != 'u' {
		if simpleEscapes[e] == 0 {
			return nil, s.syntax("invalid escape")
		}
		return append(out, simpleEscapes[e]), nil
	}
	r, err := s.hex4()
	if err != nil {
		return nil, err
	}
	if utf16.IsSurrogate(r) {
		low := rune(-1)
		if r < 0xDC00 && bytes.HasPrefix(s.buf[s.pos:], []byte(`\u`)) {
			s.pos += 2
			if low, err = s.hex4(); err != nil {
				return nil, err
			}
		}
		if r = utf16.DecodeRune(r, low); r == utf8.RuneError {
			return nil, s.fail(BadUTF8, "Lone UTF-16 surrogate in a \\u escape")
		}
	}
	return utf8.AppendRune(out, r), nil
}

func (s *Scanner) hex4() (rune, *Error) {
	if s.pos+4 > len(s.buf) {
		return 0, s.syntax("short \\u escape")
	}
	v, err := strconv.ParseUint(string(s.buf[s.pos:s.pos+4]), 16, 32)
	if err != nil {
		return 0, s.syntax("invalid \\u escape")
	}
	s.pos += 4
	return rune(v), nil
}
