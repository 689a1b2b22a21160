package contactpatch

// The checks of text values (rules R9, R12, R13, L7, L8): characters,
// email addresses, phone numbers and URLs.

import (
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/contactpatch/contactpatch/internal/wire"
)

// refusal is why a value was refused; a nil *refusal means it was not,
// so that the common outcome costs one word wherever it is returned.
type refusal struct {
	code    Code
	msg     string
	limit   int      // the limit passed, for too_long and too_many
	allowed []string // the values allowed, for invalid_enum
}

func (p *refusal) ok() bool { return p == nil }

// textClass says which characters a text value may hold beyond printable
// ones.
type textClass uint8

const (
	singleLine textClass = iota // no control or format character
	personal                    // a person's name: ZWJ and ZWNJ too, which scripts need
	multiline                   // newlines, carriage returns and tabs, and format characters
)

// checkChars refuses text that is not valid UTF-8 or holds a control
// character (rule R9), and in single-line text an invisible format
// character (Unicode category Cf: bidirectional overrides and isolates,
// zero-width spaces, the byte order mark), which can make text display
// as something it is not. Names may hold the zero-width joiner and
// non-joiner that Persian and Indic scripts write inside words.
func checkChars(s string, class textClass) *refusal {
	rest := s[wire.PrintablePrefix(s):] // the common case, which needs no rune-by-rune check
	for i, r := range rest {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(rest[i:], "\uFFFD"):
			return &refusal{code: CodeInvalidUTF8, msg: "Invalid UTF-8"}
		case isControl(r) && !(class == multiline && (r == '\n' || r == '\r' || r == '\t')):
			return &refusal{code: CodeInvalidCharacter, msg: "Must not contain control characters"}
		case class != multiline && isFormat(r) && !(class == personal && (r == zwj || r == zwnj)):
			return &refusal{code: CodeInvalidCharacter, msg: "Must not contain invisible formatting characters"}
		}
	}
	return nil
}

// The joiners that scripts need inside words.
const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// collapseSpace trims s and replaces each run of white space with one
// space, as personal names are stored.
func collapseSpace(s string) string {
	if collapsed(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// collapsed reports whether s has no outer white space and no white space
// inside but single ASCII spaces: the common case, which needs no copy.
func collapsed(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		space := r == ' ' || uint32(r-'\t') <= '\r'-'\t' // ASCII white space, without a call
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		if space && (prevSpace || r != ' ') {
			return false
		}
		prevSpace = space
		i += size
	}
	return !prevSpace || s == ""
}

// isFormat reports Unicode format characters (category Cf).
func isFormat(r rune) bool { return r >= 0xAD && unicode.Is(unicode.Cf, r) }

// isControl reports C0 and C1 control characters and DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// validEmail reports whether s is a bare address as rule R12 describes it:
// at most 254 bytes, one "@", a local part of at most 64 bytes that is a
// dot-atom (atext runs joined by single dots), and a domain of at least two
// LDH labels (letters, digits, inner hyphens; 1 to 63 bytes each).
// Display names, comments, quoted local parts and non-ASCII addresses are
// refused, as browsers refuse them in an email input.
func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if len(s) > maxEmail || at < 1 || at > 64 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return false
	}
	return dotAtom(s[:at]) && hostname(s[at+1:])
}

// dotAtom reports whether s is runs of atext joined by single dots.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	return allASCIIIn(s, &dotAtext)
}

// The ASCII character classes of addresses and hosts, as lookup tables.
var (
	// atext, the characters RFC 5322 allows unquoted in a local part,
	// and the dots that join its runs.
	dotAtext = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
	ldh      = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
	// The bytes of a URL's host name, and of its userinfo (RFC 3986:
	// unreserved, sub-delimiters, ":" and the "%" of an escape).
	hostChar = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
	userinfo = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:%")
)

func asciiSet(chars string) (set [utf8.RuneSelf]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

// hostname reports whether s is two or more LDH labels joined by dots.
func hostname(s string) bool {
	labels := 0
	for {
		label, rest, more := strings.Cut(s, ".")
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		if !allASCIIIn(label, &ldh) {
			return false
		}
		labels++
		if !more {
			return labels >= 2
		}
		s = rest
	}
}

// validLenientPhone reports whether s is "+" followed by 7 to 15 digits,
// which may be separated by spaces, dashes, dots and parentheses (rule L7).
func validLenientPhone(s string) bool {
	rest, ok := strings.CutPrefix(s, "+")
	if !ok {
		return false
	}
	digits := 0
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case !strings.ContainsRune(" -.()", r):
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// e164 parses s with region as the default for numbers without "+" and
// returns its E.164 form, or false when phonenumbers does not hold it to
// be a valid number (rule R13), or when that form has more than the 15
// digits E.164 allows: phonenumbers accepts some longer national plans
// (German numbers of 16 digits, for one) that have no E.164 form.
func e164(s, region string) (string, bool) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	n := phonenumbers.Format(num, phonenumbers.E164)
	return n, len(n) <= 1+maxE164Digits
}

// maxE164Digits is the most digits an E.164 number has, country code
// included (ITU-T E.164).
const maxE164Digits = 15

// validHTTPURL reports whether s is an absolute http or https URL with a
// host (rule L8): the scheme in any case, then "//", optional userinfo of
// unreserved characters, sub-delimiters and percent escapes, a host name
// of letters, digits, "-", ".", "_", "~" or non-ASCII letters (or an IPv6
// literal in brackets), an optional port up to 65535, and then nothing or
// a path, query or fragment. White space, control and format characters
// are refused anywhere, and every "%" must start a valid escape, so that
// what it accepts net/url parses too. It is written out rather than built
// on net/url, which allocates and takes far more than a stored profile
// link needs.
func validHTTPURL(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f || (c == '%' && !(i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]))) {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || isControl(r) || isFormat(r) {
			return false
		}
		i += size
	}
	rest, ok := cutPrefixFold(s, "https://")
	if !ok {
		if rest, ok = cutPrefixFold(s, "http://"); !ok {
			return false
		}
	}
	authority := rest
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '?' || c == '#' {
			authority = rest[:i]
			break
		}
	}
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		if !allASCIIIn(authority[:i], &userinfo) {
			return false
		}
		authority = authority[i+1:]
	}
	host, port := authority, ""
	if i := strings.LastIndexByte(authority, ':'); i >= 0 && !strings.HasSuffix(authority, "]") {
		host, port = authority[:i], authority[i+1:]
	}
	if !validPort(port) {
		return false
	}
	if literal, ok := strings.CutPrefix(host, "["); ok {
		literal, ok = strings.CutSuffix(literal, "]")
		addr, err := netip.ParseAddr(literal)
		return ok && err == nil && addr.Is6() && addr.Zone() == ""
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; c < utf8.RuneSelf && !hostChar[c] {
			return false // non-ASCII letters pass; the loop above checked them
		}
	}
	return host != ""
}

// allASCIIIn reports whether every byte of s is an ASCII byte of set.
func allASCIIIn(s string, set *[utf8.RuneSelf]bool) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || !set[c] {
			return false
		}
	}
	return true
}

// validPort reports an empty port or a decimal number up to 65535.
func validPort(port string) bool {
	n := 0
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
		if n = n*10 + int(port[i]-'0'); n > 65535 {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// cutPrefixFold is strings.CutPrefix with ASCII case folding.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}
