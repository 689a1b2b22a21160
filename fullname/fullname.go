// Package fullname reads a personal name written as one string into its
// parts (title, first, middle and last name, suffix, nickname) as a person
// would, and writes parts back as a name that reads the same. It is the
// parser behind contactpatch's full-name policy (rule R11), and imports
// nothing of it.
package fullname

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Name is a personal name in its parts, as [Parse] finds them in
// a full name. Every word of every part is a word of the text
// it was parsed from; a part the name lacks is "".
type Name struct {
	Title    string // honorifics before the name: "Dr.", "Rt. Hon.", "Mr. and Mrs."
	First    string // the first given name
	Middle   string // further given names and initials: "Fitzgerald", "R. R."
	Last     string // the surname, particles included: "van Beethoven", "Velasquez y Garcia"
	Suffix   string // generational and post-nominal: "Jr.", "PhD", "CLU, CFP, LUTC", "QC MP"
	Nickname string // from quotes or parentheses, without them: "Bill"
}

// String joins the parts back into a full name that Parse reads
// as the same parts: title, first name, nickname in quotes, middle and
// last name, then the suffix after a comma; or, where that order would
// read differently (a surname of several words, "Garcia Marquez"), the
// surname first and a comma, as in "Garcia Marquez, Gabriel".
func (n Name) String() string {
	for _, order := range [...]joinOrder{givenNamesFirst, surnameFirstOrder} {
		if s := n.join(order); Parse(s) == n {
			return s
		}
	}
	// Given names that would read as a suffix ("Ph. D."): one per comma.
	return n.join(eachGivenName)
}

// joinOrder is a way to write a name's parts.
type joinOrder uint8

const (
	givenNamesFirst   joinOrder = iota // "Dr. Jane Doe, PhD"
	surnameFirstOrder                  // "Doe, Dr. Jane, PhD"
	eachGivenName                      // "Doe, Jane, Marie": every given name after its own comma
)

// nicknameMarks picks the marks to write the nickname in: quotes, unless
// a part holds a mark that would pair with them.
func (n Name) nicknameMarks() (open, end string) {
	all := n.Title + n.First + n.Middle + n.Last + n.Suffix + n.Nickname
	for _, m := range [...][2]string{{`"`, `"`}, {"(", ")"}, {"“", "”"}, {"«", "»"}, {"‘", "’"}, {"'", "'"}} {
		if !strings.Contains(all, m[0]) && !strings.Contains(all, m[1]) {
			return m[0], m[1]
		}
	}
	return `"`, `"`
}

// join writes the parts in the given order.
func (n Name) join(order joinOrder) string {
	surnameFirst := order != givenNamesFirst
	var b strings.Builder
	add := func(sep, s string) {
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(s)
	}
	if surnameFirst {
		add("", n.Last)
		b.WriteString(",")
	}
	add(" ", n.Title)
	add(" ", n.First)
	if n.Nickname != "" {
		open, end := n.nicknameMarks()
		add(" ", open+n.Nickname+end)
	}
	if order == eachGivenName {
		add(", ", strings.ReplaceAll(n.Middle, " ", ", "))
	} else {
		add(" ", n.Middle)
	}
	if !surnameFirst {
		add(" ", n.Last)
	}
	add(", ", n.Suffix)
	return b.String()
}

// Split returns the first and last name of a full name, as
// [Parse] finds them.
func Split(full string) (first, last string) {
	n := Parse(full)
	return n.First, n.Last
}

// Parse finds the parts of a full name. It reads the
// name as a person would:
//
//   - Words are what white space separates; commas separate groups.
//   - A nickname in quotes ("Bill", 'Bill', “Bill”) or parentheses (Bill)
//     is the Nickname; an opening mark without its closing one is text.
//   - Words without a letter or digit (emoji, dashes) belong to no part.
//   - Titles open the name: civil, military, religious, judicial,
//     academic and political, one word or several ("Rt. Hon.",
//     "The Rev.", "Lt.Gov.", "Her Honour"), joined by "and" for couples
//     ("Mr. and Mrs."). A title alone is only a title.
//   - Suffixes close it: generational (Jr., III), degrees (PhD, M.D.),
//     professional designations (CPA, CFA, QC) and honours (OBE), after a
//     comma or not ("John Doe, CLU, CFP", "Kenneth Clarke QC MP"). Short
//     words that are also surnames (MA, BA, DO) are suffixes only after a
//     comma, and a roman numeral only after two other words, so "Malcolm
//     X" and "Henry V" keep their last word.
//   - With a comma that does not only introduce suffixes, the words before
//     it are the surname and those after it the given names: "Doe, Jane",
//     "Doe, Jr., John", "Smith, J.R.".
//   - Otherwise the first word is the first name and the surname is the
//     last word, or starts earlier at a particle (van, de la, bin, Mac,
//     ...), at a word ending in a hyphen and a particle ("Heijdanus-De
//     Boer"), or at the word before a Spanish or Portuguese "y"/"e" join
//     ("Velasquez y Garcia"). The words between are the middle name.
//   - A lone word is a first name, unless a title that goes with surnames
//     stands before it ("Mr. Smith"; but "Sir Gerald"). A name that opens
//     with a lower-case particle ("van Gogh") is all surname.
//   - A couple ("John and Jane Smith") gives the first person's parts,
//     with the surname they share.
//
// Letter case is never changed, and letters of every script count as
// letters. For an ordinary name Parse allocates nothing: each part
// is a substring of full.
func Parse(full string) Name {
	var wordBuf [32]token
	var boundBuf [8]int
	var titleBuf, suffixBuf [8]token
	var n Name
	words, nick := takeNickname(full, nameWords(full, wordBuf[:0]))
	n.Nickname = nick
	toks, bounds := commaGroups(full, words, words[:0], boundBuf[:0]) // in place: it only drops words
	group := func(i int) []token { return toks[bounds[i]:bounds[i+1]] }

	groups := len(bounds) - 1
	for groups > 1 && suffixGroup(full, group(groups-1)) {
		groups-- // trailing groups of suffixes only: "Jane Doe, PhD, CFA"
	}
	// The titles and suffixes are collected in arrays on this stack,
	// passed down and back as slices apart from the strings returned, so
	// that escape analysis keeps the arrays here.
	titles, suffixes := titleBuf[:0], suffixBuf[:0]
	if groups > 1 {
		n.First, n.Middle, n.Last, titles, suffixes = surnameFirst(full, toks, bounds[:groups+1], titles, suffixes)
	} else {
		n.First, n.Middle, n.Last, titles, suffixes = givenFirst(full, group(0), titles, suffixes)
	}
	for i := groups; i < len(bounds)-1; i++ {
		suffixes = append(suffixes, group(i)...)
	}
	n.Title = joinWords(full, titles)
	n.Suffix = joinSuffixes(full, suffixes)
	return n
}

// surnameFirst reads "Last, First": the surname group, then the given
// names, with suffixes anywhere after the surname. bounds delimit the
// groups, suffix groups at the end left out. Titles and suffixes found
// are appended to those given.
func surnameFirst(s string, toks []token, bounds []int, titles, suffixes []token) (first, middle, last string, _, _ []token) {
	var suf []token
	surname := toks[bounds[0]:bounds[1]]
	if titleLen(s, surname) < len(surname) { // a surname keeps a word: "Ing, Jane"
		surname, titles = leadingTitles(s, surname, titles)
	}
	surname, suf = trailingSuffixes(s, surname, false)
	suffixes = append(suffixes, suf...)
	var given []token
	start := -1
	for i := 1; i < len(bounds)-1; i++ {
		switch g := toks[bounds[i]:bounds[i+1]]; {
		case start < 0 && suffixGroup(s, g):
			suffixes = append(suffixes, g...) // "Doe, Jr., John"
		case start < 0:
			start, given = bounds[i], g
		default:
			given = toks[start:bounds[i+1]] // more given names after a comma
		}
	}
	given, titles = leadingTitles(s, given, titles)
	given, suf = trailingSuffixes(s, given, false)
	suffixes = append(suffixes, suf...)
	if len(given) > 0 {
		first, middle = given[0].in(s), joinWords(s, given[1:])
	}
	return first, middle, joinWords(s, surname), titles, suffixes
}

// givenFirst reads a name with no comma but before suffixes: titles,
// then given names and surname, then suffixes.
func givenFirst(s string, words, titles, suffixes []token) (first, middle, last string, _, _ []token) {
	var suf []token
	words, titles = leadingTitles(s, words, titles)
	words, partner := couple(s, words)
	words, suf = trailingSuffixes(s, words, true)
	suffixes = append(suffixes, suf...)
	if len(words) == 1 && len(partner) > 1 {
		// "John and Jane Smith": the surname the two share, read as it
		// would be after the first person's given name.
		partner, _ = trailingSuffixesAfter(s, partner, true, len(words))
		shared := ""
		if len(partner) > 1 {
			_, _, shared = givenAndSurname(s, partner, nil)
		}
		return words[0].in(s), "", shared, titles, suffixes
	}
	first, middle, last = givenAndSurname(s, words, titles)
	return first, middle, last, titles, suffixes
}

// givenAndSurname splits the name words left between titles and
// suffixes into first, middle and last name.
func givenAndSurname(s string, words, titles []token) (first, middle, last string) {
	switch {
	case len(words) == 0:
		return "", "", ""
	case len(words) == 1 && len(titles) > 0 && !givenNameTitle(s, titles[len(titles)-1]):
		return "", "", words[0].in(s) // "Mr. Smith"
	case len(words) == 1:
		return words[0].in(s), "", ""
	case !hasUpper(words[0].in(s)) && isParticle(words[0].in(s)):
		return "", "", joinWords(s, words) // "van Gogh"
	}
	at := surnameStart(s, words)
	return words[0].in(s), joinWords(s, words[1:at]), joinWords(s, words[at:])
}

// surnameStart returns the index of the first word of the surname, which
// is never the first word: the last word, or an earlier word that opens a
// compound surname (a particle, a word ending in a hyphen and a particle,
// or the word before a "y" or "e" join).
func surnameStart(s string, words []token) int {
	for i := 1; i < len(words)-1; i++ {
		if w := words[i].in(s); isParticle(w) || hyphenParticle(w) {
			return i
		}
		if i+1 < len(words)-1 && isSurnameJoin(words[i+1].in(s)) {
			return i
		}
	}
	return len(words) - 1
}

// couple splits the words of a couple at the "and" that joins two
// people's names: the first person's words, then the partner's. Words
// with no "and" between names are one person's.
func couple(s string, words []token) (first, partner []token) {
	for i := 1; i < len(words)-1; i++ {
		if isConjunction(words[i].in(s)) {
			return words[:i], words[i+1:]
		}
	}
	return words, nil
}

// leadingTitles moves the titles at the start of words to titles. A title
// joined to the next by a conjunction ("Mr. and Mrs.") is one title.
func leadingTitles(s string, words, titles []token) ([]token, []token) {
	for len(words) > 0 {
		k := titleLen(s, words)
		if k == 0 && len(titles) > 0 && len(words) > 1 && isConjunction(words[0].in(s)) {
			if k2 := titleLen(s, words[1:]); k2 > 0 {
				k = 1 + k2
			}
		}
		if k == 0 {
			break
		}
		titles = append(titles, words[:k]...)
		words = words[k:]
	}
	return words, titles
}

// trailingSuffixes splits the suffixes off the end of words, keeping at
// least one word of name. Words that are also surnames (commaOnly) are
// suffixes only in a group of their own, after a comma; without a comma
// before it (bare), a roman numeral needs two name words before it.
func trailingSuffixes(s string, words []token, bare bool) (name, suffixes []token) {
	return trailingSuffixesAfter(s, words, bare, 0)
}

// trailingSuffixesAfter is trailingSuffixes for words that follow before
// name words of the same name (a couple's partner follows the first
// person's given name).
func trailingSuffixesAfter(s string, words []token, bare bool, before int) (name, suffixes []token) {
	end := len(words)
	for end > 1 {
		kind, ok := suffixKindOf(words[end-1].in(s))
		if !ok || kind&commaOnly != 0 || (bare && kind&roman != 0 && before+end-1 < 2) {
			break
		}
		end--
	}
	return words[:end], words[end:]
}

// suffixGroup reports whether a comma group holds only suffixes: each of
// its words is one, or its words run together are one ("Ph. D.").
func suffixGroup(s string, words []token) bool {
	if len(words) == 0 {
		return false
	}
	all := true
	for _, w := range words {
		if _, ok := suffixKindOf(w.in(s)); !ok {
			all = false
			break
		}
	}
	if all || len(words) == 1 {
		return all
	}
	// Pieces of one abbreviation each end in a dot: "Ph. D.". Two letters
	// so written are initials ("Smith, M. D."), not a suffix.
	var buf [24]byte
	key := buf[:0]
	for _, w := range words {
		piece := w.in(s)
		if !strings.HasSuffix(piece, ".") {
			return false
		}
		var ok bool
		if key, ok = appendFolded(key, piece, len(buf)); !ok {
			return false
		}
	}
	kind, ok := suffixes[string(key)]
	// Initials are not the suffix they spell: "J. R." is not "Jr.", nor
	// "J. P." a justice of the peace.
	return ok && len(key) > 2 && kind&(noInnerDots|commaOnly) == 0
}

// token is a word of a full name, as byte offsets into it, so that the
// parts Parse returns are substrings of its input whenever they
// can be, and it allocates nothing for an ordinary name.
type token struct{ start, end int }

func (t token) in(s string) string { return s[t.start:t.end] }

// isSpace is unicode.IsSpace with the ASCII answer first.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.IsSpace(r)
}

// nameWords appends the words of s to dst: what white space separates,
// with each comma a word of its own, so that "Doe,Jane" is three.
func nameWords(s string, dst []token) []token {
	start := -1
	for i := 0; i < len(s); {
		if start >= 0 { // in a word: its ASCII bytes at once
			for i < len(s) && wordByte[s[i]] {
				i++
			}
			if i == len(s) {
				break
			}
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		switch space := isSpace(r); {
		case (space || r == ',') && start >= 0:
			dst = append(dst, token{start, i})
			start = -1
		case !space && r != ',' && start < 0:
			start = i
		}
		if r == ',' {
			dst = append(dst, token{i, i + 1})
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, token{start, len(s)})
	}
	return dst
}

// wordByte marks the ASCII bytes that continue a word: all but white
// space, the comma and control characters; other bytes take the rune path.
var wordByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c > ' ' && c != ',' && c != 0x7f
	}
	return t
}()

// closingMark returns the mark that closes a nickname opened by r.
func closingMark(r rune) (rune, bool) {
	switch r {
	case '"', '\'':
		return r, true
	case '(':
		return ')', true
	case '“':
		return '”', true
	case '‘':
		return '’', true
	case '«':
		return '»', true
	}
	return 0, false
}

// takeNickname removes, in place, each run of words from one that opens
// with a nickname mark to the next that closes it, and returns the text
// inside the first such run.
func takeNickname(s string, words []token) ([]token, string) {
	out := words[:0]
	nick := ""
	for i := 0; i < len(words); i++ {
		opening, size := rune(s[words[i].start]), 1 // a word is never empty
		if opening >= utf8.RuneSelf {
			opening, size = utf8.DecodeRuneInString(words[i].in(s))
		}
		closing, ok := closingMark(opening)
		end, closeAt := -1, 0
		for j := i; ok && j < len(words); j++ {
			w := words[j].in(s)
			at := words[j].start + len(w) - utf8.RuneLen(closing)
			if strings.HasSuffix(w, string(closing)) && at >= words[i].start+size {
				end, closeAt = j, at
				break
			}
		}
		if end < 0 {
			out = append(out, words[i])
			continue
		}
		if nick == "" {
			nick = strings.TrimSpace(s[words[i].start+size : closeAt])
		}
		i = end
	}
	return out, nick
}

// commaGroups splits words at the comma words into tokens, appended to
// dst (which may be words[:0]: it only drops words), and returns with
// them the bounds of the groups the commas separate:
// group i is tokens[bounds[i]:bounds[i+1]]. There is always at least one
// group, and only the first may be empty. Words with no letter or digit
// (emoji, dashes) are left out.
func commaGroups(s string, words, dst []token, bounds []int) ([]token, []int) {
	bounds = append(bounds, 0)
	comma := false
	for _, w := range words {
		switch word := w.in(s); {
		case word == ",":
			comma = true
		case meaningful(word):
			// A comma before any word leaves the surname empty: the form
			// Name.String writes for a name without one.
			if comma && (len(dst) > bounds[len(bounds)-1] || len(bounds) == 1) {
				bounds = append(bounds, len(dst))
			}
			dst = append(dst, w)
			comma = false
		}
	}
	return dst, append(bounds, len(dst))
}

// meaningful reports whether a word can be part of a name: it holds a
// letter or a digit, or it is the "&" of a couple.
func meaningful(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i] | 0x20 // ASCII letters in lower case
		switch {
		case c >= 'a' && c <= 'z', w[i] >= '0' && w[i] <= '9':
			return true
		case w[i] >= utf8.RuneSelf:
			return strings.IndexFunc(w[i:], func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
		}
	}
	return w == "&"
}

func hasUpper(w string) bool {
	if len(w) > 0 && w[0] >= 'A' && w[0] <= 'Z' {
		return true // the common case, told by the first byte
	}
	return strings.IndexFunc(w, func(r rune) bool { return unicode.ToLower(r) != r }) >= 0
}

// joinWords returns the tokens separated by single spaces: a substring of
// s when they stand so in s, a new string otherwise.
func joinWords(s string, toks []token) string { return joinTokens(s, toks, false) }

// joinSuffixes is joinWords for suffixes, which may also stand separated
// by commas, as typed: "CLU, CFP, LUTC".
func joinSuffixes(s string, toks []token) string { return joinTokens(s, toks, true) }

func joinTokens(s string, toks []token, commas bool) string {
	if len(toks) == 0 {
		return ""
	}
	contiguous := true
	for i := 1; i < len(toks) && contiguous; i++ {
		gap := s[toks[i-1].end:toks[i].start]
		contiguous = gap == " " || commas && (gap == ", " || gap == ",")
	}
	if contiguous {
		return s[toks[0].start:toks[len(toks)-1].end]
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			if commas && strings.Contains(s[toks[i-1].end:t.start], ",") {
				b.WriteByte(',') // suffixes keep the commas typed between them
			}
			b.WriteByte(' ')
		}
		b.WriteString(t.in(s))
	}
	return b.String()
}
