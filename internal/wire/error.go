package wire

import "strconv"

// Kind says what class of problem stopped a scan.
type Kind uint8

const (
	// Syntax is broken JSON: a missing quote, comma or colon, an invalid
	// literal or number, a control byte, data after the value.
	Syntax Kind = iota + 1
	// BadUTF8 is a byte sequence that is not UTF-8, or a \u escape that
	// leaves a lone surrogate.
	BadUTF8
	// TooDeep is nesting past the depth limit.
	TooDeep
	// TooManyKeys is an object with more members than the key limit.
	TooManyKeys
)

// Code is the library's field error code for a problem of this kind,
// the one mapping the decoder and the HTTP layer's batch reader share.
func (k Kind) Code() string {
	switch k {
	case BadUTF8:
		return "invalid_utf8"
	case TooDeep:
		return "too_deep"
	case TooManyKeys:
		return "too_many"
	}
	return "malformed_json"
}

// Error is a problem that stops the scan. Pointer locates the value being
// read when it happened, as an RFC 6901 JSON Pointer ("" for the document).
type Error struct {
	Kind    Kind
	Message string
	Offset  int
	Pointer string
}

// Error returns the message and where it happened.
func (e *Error) Error() string {
	return e.Message + " (at byte " + strconv.Itoa(e.Offset) + ")"
}
