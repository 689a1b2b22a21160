package contactpatch

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// problem is why a value was refused; the zero problem means it was not.
type problem struct {
	code Code
	msg  string
}

func (p problem) ok() bool { return p.code == "" }

// checkChars refuses text that is not valid UTF-8 or holds a control
// character (SPEC R9). Multiline text may hold newlines, carriage returns
// and tabs; single-line text may not.
func checkChars(s string, multiline bool) problem {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return problem{CodeInvalidUTF8, "Invalid UTF-8"}
		}
		if isControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return problem{CodeInvalidCharacter, "Must not contain control characters"}
		}
	}
	return problem{}
}

// isControl reports C0 and C1 control characters and DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// validEmail reports whether s is a bare address as SPEC R12 describes it:
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

func dotAtom(s string) bool {
	for _, atom := range strings.Split(s, ".") {
		if atom == "" || strings.IndexFunc(atom, func(r rune) bool { return !isAtext(r) }) >= 0 {
			return false
		}
	}
	return true
}

// isAtext reports the characters RFC 5322 allows unquoted in a local part.
func isAtext(r rune) bool {
	return isAlnum(r) || strings.ContainsRune("!#$%&'*+-/=?^_`{|}~", r)
}

func isAlnum(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

func hostname(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if strings.IndexFunc(l, func(r rune) bool { return !isAlnum(r) && r != '-' }) >= 0 {
			return false
		}
	}
	return true
}

// validLenientPhone reports whether s is "+" followed by 7 to 15 digits,
// which may be separated by spaces, dashes, dots and parentheses (SPEC L7).
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
// be a valid number (SPEC R13).
func e164(s, region string) (string, bool) {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	return phonenumbers.Format(num, phonenumbers.E164), true
}

// validHTTPURL reports whether s is an absolute http or https URL with a
// host and no white space (SPEC L8).
func validHTTPURL(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool { return r == ' ' || isControl(r) }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
