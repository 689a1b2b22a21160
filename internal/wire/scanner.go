package wire

import (
	"bytes"
	"strconv"
)

// Limits bound what a Scanner reads. A zero limit means no limit.
type Limits struct {
	Depth int // nesting of objects and arrays; the outermost value is 1
	Keys  int // members of any one object
}

// Scanner reads one JSON text. Its methods follow the grammar of RFC 8259:
// Document reads the whole text, Object and Array a container, String,
// Literal and Number a token, Skip any value. Each leaves the scanner on
// the first byte after what it read.
//
// A method returns a non-nil *Error only for a problem that stops the
// scan; what a caller finds wrong with a well-formed value is the
// caller's to record, and the scan can go on past it.
//
// The zero Scanner is not usable; make one with New.
type Scanner struct {
	buf    []byte
	pos    int
	limits Limits
	path   path
	arena  string // the input as one string, once a String has needed it
	dups   []string
	// printable: the last string token read was printable ASCII as sent.
	printable bool
}

// New returns a Scanner over buf. Byte slices it returns may alias buf.
func New(buf []byte, limits Limits) Scanner {
	return Scanner{buf: buf, limits: limits}
}

// Pos returns the offset of the next byte to read.
func (s *Scanner) Pos() int { return s.pos }

// Bytes returns the input from start up to the current position: the
// raw text of a value just read.
func (s *Scanner) Bytes(start int) []byte { return s.buf[start:s.pos] }

// Peek returns the next byte after white space, or 0 at the end of input.
// The common case, no white space, is small enough to inline.
func (s *Scanner) Peek() byte {
	if s.pos < len(s.buf) && s.buf[s.pos] > ' ' {
		return s.buf[s.pos]
	}
	s.ws()
	return s.peekByte()
}

// Document reads the whole input, which must be one JSON object with
// nothing but white space around it, calling member for each of its keys.
func (s *Scanner) Document(member func(key []byte) *Error) *Error {
	s.ws()
	switch {
	case s.pos == len(s.buf):
		return s.syntax("empty body")
	case s.buf[s.pos] != '{':
		return s.syntax("the body must be a JSON object")
	}
	if err := s.Object(member); err != nil {
		return err
	}
	if s.ws(); s.pos != len(s.buf) { // a NUL byte is data too, not an end
		return s.syntax("data after the JSON object")
	}
	return nil
}

// Object reads the object at the current position, calling member for
// each key with the scanner on the first byte of its value; member must
// read that value. The key may alias the input and is valid only during
// the call. Duplicate keys are member's to notice (see Skip).
func (s *Scanner) Object(member func(key []byte) *Error) *Error {
	return s.container('}', func(n int) *Error {
		if s.limits.Keys > 0 && n >= s.limits.Keys {
			return s.fail(TooManyKeys, "More than "+strconv.Itoa(s.limits.Keys)+" keys in one object")
		}
		if s.Peek() != '"' {
			return s.syntax("expected a string key")
		}
		start := s.pos
		key, err := s.String()
		if err != nil {
			return err
		}
		end := s.pos
		if s.Peek() != ':' {
			return s.syntax("expected ':' after a key")
		}
		s.pos++
		s.ws()
		s.path.key(start, end)
		return member(key)
	})
}

// Array reads the array at the current position, calling element for
// each item with the scanner on its first byte; element must read it.
func (s *Scanner) Array(element func(i int) *Error) *Error {
	return s.container(']', func(i int) *Error {
		s.ws()
		s.path.index(i)
		return element(i)
	})
}

// container reads the object or array at the current position up to
// closing, calling item for the i-th member or element, and keeps the
// path's frame for the container up to date.
func (s *Scanner) container(closing byte, item func(i int) *Error) *Error {
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++ // '{' or '['
	if s.Peek() == closing {
		s.pos++
		s.path.pop()
		return nil
	}
	for i := 0; ; i++ {
		if err := item(i); err != nil {
			return err
		}
		s.path.clear()
		if done, err := s.next(closing); done || err != nil {
			if err == nil {
				s.path.pop()
			}
			return err
		}
	}
}

// enter opens a container level, refusing one past the depth limit.
func (s *Scanner) enter() *Error {
	if s.limits.Depth > 0 && s.path.depth() >= s.limits.Depth {
		return s.fail(TooDeep, "Nested deeper than "+strconv.Itoa(s.limits.Depth)+" levels")
	}
	s.path.push()
	return nil
}

// next consumes the ',' between members or elements, or the closing byte.
func (s *Scanner) next(closing byte) (done bool, err *Error) {
	switch s.Peek() {
	case ',':
		s.pos++
		return false, nil
	case closing:
		s.pos++
		return true, nil
	}
	return true, s.syntax("expected ',' or '" + string(closing) + "'")
}

// Null consumes a null literal if one is next and reports whether it did.
func (s *Scanner) Null() (bool, *Error) {
	if s.Peek() != 'n' {
		return false, nil
	}
	return true, s.Literal("null")
}

// Bool reads true or false; ok is false, and nothing is read, when the
// next value is something else.
func (s *Scanner) Bool() (v, ok bool, err *Error) {
	switch s.Peek() {
	case 't':
		return true, true, s.Literal("true")
	case 'f':
		return false, true, s.Literal("false")
	}
	return false, false, nil
}

// Literal consumes word (true, false or null), or fails.
func (s *Scanner) Literal(word string) *Error {
	if !bytes.HasPrefix(s.buf[s.pos:], []byte(word)) {
		return s.syntax("invalid value")
	}
	s.pos += len(word)
	return nil
}

// Skip checks and passes over one value. Objects inside it are still
// checked for duplicate keys, which are recorded (see Duplicates) rather
// than stopping the scan.
func (s *Scanner) Skip() *Error {
	switch c := s.Peek(); c {
	case '{':
		var keys keySet
		return s.Object(func(key []byte) *Error {
			if keys.repeats(key) {
				s.dups = append(s.dups, s.Pointer())
			}
			return s.Skip()
		})
	case '[':
		return s.Array(func(int) *Error { return s.Skip() })
	case '"':
		_, err := s.String()
		return err
	case 't':
		return s.Literal("true")
	case 'f':
		return s.Literal("false")
	case 'n':
		return s.Literal("null")
	}
	return s.Number()
}

// Duplicates returns the pointers of the duplicate keys Skip has found
// since the last call, and forgets them.
func (s *Scanner) Duplicates() []string {
	d := s.dups
	s.dups = nil
	return d
}

// Number checks a number token against the grammar
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *Scanner) Number() *Error {
	if s.peekByte() == '-' {
		s.pos++
	}
	switch c := s.peekByte(); {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return s.syntax("invalid value")
	}
	if s.peekByte() == '.' {
		s.pos++
		if s.digits() == 0 {
			return s.syntax("invalid number")
		}
	}
	if c := s.peekByte(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peekByte(); c == '+' || c == '-' {
			s.pos++
		}
		if s.digits() == 0 {
			return s.syntax("invalid number")
		}
	}
	return nil
}

func (s *Scanner) digits() int {
	start := s.pos
	for s.pos < len(s.buf) && s.buf[s.pos] >= '0' && s.buf[s.pos] <= '9' {
		s.pos++
	}
	return s.pos - start
}

// ws passes over insignificant white space.
func (s *Scanner) ws() {
	for s.pos < len(s.buf) && whiteSpace[s.buf[s.pos]] {
		s.pos++
	}
}

// whiteSpace marks JSON's four white-space bytes; a table costs a pretty-
// printed body one load a byte where a switch costs four comparisons.
var whiteSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// peekByte returns the byte at the position, white space included.
func (s *Scanner) peekByte() byte {
	if s.pos < len(s.buf) {
		return s.buf[s.pos]
	}
	return 0
}

func (s *Scanner) syntax(what string) *Error {
	if s.pos >= len(s.buf) {
		what = "unexpected end of body"
	}
	return s.fail(Syntax, "Malformed JSON: "+what+" at byte "+strconv.Itoa(s.pos))
}

func (s *Scanner) fail(kind Kind, msg string) *Error {
	return &Error{Kind: kind, Message: msg, Offset: s.pos, Pointer: s.Pointer()}
}

// Pointer returns the RFC 6901 JSON Pointer of the value being read:
// "/tags/2" for the third element of the array under "tags".
func (s *Scanner) Pointer() string { return s.path.pointer(s.buf) }

// IsNumber reports whether s is one JSON number and nothing else.
func IsNumber(s string) bool {
	sc := New([]byte(s), Limits{})
	return s != "" && sc.Number() == nil && sc.pos == len(s)
}
