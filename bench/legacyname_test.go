package bench

// This file is a frozen copy of the library's SplitName as it stood before
// the full name parser (rule R11) grew into ParseFullName: the baseline
// that bench/run.sh holds the new parser's speed against. It is not
// maintained and serves nothing but BenchmarkBaselineSplitNameBefore.

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// legacySplitName is SplitName as it was.
func legacySplitName(full string) (first, last string) {
	var wordBuf, tokBuf [24]token
	var boundBuf [5]int
	words := dropNicknames(full, nameWords(full, wordBuf[:0]))
	toks, bounds := commaGroups(full, words, tokBuf[:0], boundBuf[:0])
	group := func(i int) []token { return toks[bounds[i]:bounds[i+1]] }
	groups := len(bounds) - 1
	for groups > 1 && allSuffixes(full, group(groups-1)) {
		groups--
	}
	if groups > 1 {
		surname := trimAffixes(full, group(0))
		given, _ := trimTitles(full, group(1))
		given = trimSuffixes(full, given)
		return firstWord(full, given), join(full, surname)
	}
	toks, titled := trimTitles(full, group(0))
	toks = trimSuffixes(full, toks)
	switch {
	case len(toks) == 0:
		return "", ""
	case len(toks) == 1 && titled:
		return "", toks[0].in(full)
	case len(toks) == 1:
		return toks[0].in(full), ""
	case isParticle(toks[0].in(full)) && !hasUpper(toks[0].in(full)):
		return "", join(full, toks)
	}
	for i := 1; i < len(toks)-1; i++ {
		if isParticle(toks[i].in(full)) {
			return toks[0].in(full), join(full, toks[i:])
		}
	}
	return toks[0].in(full), toks[len(toks)-1].in(full)
}

// token is a word of a full name, as byte offsets into it, so that the
// parts SplitName returns are substrings of its input whenever they can
// be, and it allocates nothing for an ordinary name.
type token struct{ start, end int }

func (t token) in(s string) string { return s[t.start:t.end] }

// isSpace is unicode.IsSpace with the ASCII answer first.
func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || (r >= '\t' && r <= '\r')
	}
	return unicode.IsSpace(r)
}

// nameWords appends the white-space-separated words of s to dst.
func nameWords(s string, dst []token) []token {
	start := -1
	for i, r := range s {
		switch space := isSpace(r); {
		case space && start >= 0:
			dst = append(dst, token{start, i})
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, token{start, len(s)})
	}
	return dst
}

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

// dropNicknames removes, in place, each run of words from one that opens
// with a nickname mark to the next that closes it.
func dropNicknames(s string, words []token) []token {
	out := words[:0]
	for i := 0; i < len(words); i++ {
		opening, size := utf8.DecodeRuneInString(words[i].in(s))
		closing, ok := closingMark(opening)
		end := -1
		for j := i; ok && j < len(words); j++ {
			rest := strings.TrimRight(words[j].in(s), ",")
			if j == i {
				rest = rest[size:]
			}
			if strings.HasSuffix(rest, string(closing)) {
				end = j
				break
			}
		}
		if end < 0 {
			out = append(out, words[i])
			continue
		}
		i = end
	}
	return out
}

// commaGroups splits words at commas, which may stand inside a word
// ("Doe,Jane"), into tokens with the commas dropped, appended to dst, and
// returns with them the bounds of the groups the commas separate: group i
// is tokens[bounds[i]:bounds[i+1]]. There is always at least one group.
func commaGroups(s string, words, dst []token, bounds []int) ([]token, []int) {
	bounds = append(bounds, 0)
	comma := false
	for _, w := range words {
		for i := w.start; i <= w.end; i++ {
			if i < w.end && s[i] != ',' {
				continue
			}
			if i > w.start {
				if comma && len(dst) > bounds[len(bounds)-1] {
					bounds = append(bounds, len(dst))
				}
				dst = append(dst, token{w.start, i})
				comma = false
			}
			if i < w.end {
				comma = true
				w.start = i + 1
			}
		}
	}
	return dst, append(bounds, len(dst))
}

func trimAffixes(s string, toks []token) []token {
	toks, _ = trimTitles(s, toks)
	return trimSuffixes(s, toks)
}

// trimTitles drops leading titles while more than one token is left and
// reports whether it dropped any.
func trimTitles(s string, toks []token) ([]token, bool) {
	titled := false
	for len(toks) > 1 && inTable(titles, toks[0].in(s), true) {
		toks, titled = toks[1:], true
	}
	return toks, titled
}

func trimSuffixes(s string, toks []token) []token {
	for len(toks) > 1 && inTable(suffixes, toks[len(toks)-1].in(s), true) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

func allSuffixes(s string, toks []token) bool {
	for _, t := range toks {
		if !inTable(suffixes, t.in(s), true) {
			return false
		}
	}
	return len(toks) > 0
}

func isParticle(w string) bool { return inTable(particles, w, false) }

func hasUpper(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return unicode.ToLower(r) != r }) >= 0
}

func firstWord(s string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	return toks[0].in(s)
}

// join returns the tokens separated by single spaces: a substring of s
// when they stand so in s, a new string otherwise.
func join(s string, toks []token) string {
	if len(toks) == 0 {
		return ""
	}
	contiguous := true
	for i := 1; i < len(toks) && contiguous; i++ {
		contiguous = toks[i].start == toks[i-1].end+1 && s[toks[i-1].end] == ' '
	}
	if contiguous {
		return s[toks[0].start:toks[len(toks)-1].end]
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.in(s))
	}
	return b.String()
}

// inTable looks w up in a word table, folded to lower case and, if
// dropDots, without dots. The tables hold short ASCII words, so the fold
// happens in a stack buffer and the lookup allocates nothing.
func inTable(table map[string]bool, w string, dropDots bool) bool {
	var buf [16]byte
	n := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= utf8.RuneSelf || n == len(buf):
			return false
		case c == '.' && dropDots:
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return table[string(buf[:n])]
}

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// The word tables. "Sr" is a title before a name (Señor) and a suffix
// after one (Senior). Roman numerals stop at iv so that "Malcolm X" and
// "Henry V" keep their last word.
var (
	titles = wordSet("mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
		"lord", "lady", "rev", "reverend", "fr", "father", "hon", "judge", "capt", "captain",
		"col", "colonel", "gen", "general", "lt", "maj", "major", "sgt", "cmdr", "adm",
		"rabbi", "imam", "sheikh", "pastor", "bishop", "mme", "mlle", "herr", "frau",
		"sr", "sra", "srta", "dott", "ing")
	suffixes = wordSet("jr", "sr", "ii", "iii", "iv", "phd", "md", "dds", "dmd", "esq", "mba",
		"cpa", "jd", "llm", "rn", "dvm", "obe", "mbe", "cbe", "kbe", "frs", "pe", "pmp",
		"msc", "bsc")
	particles = wordSet("van", "von", "de", "del", "della", "delle", "der", "den", "des", "di",
		"da", "das", "dos", "do", "du", "la", "le", "lo", "los", "las", "ter", "ten", "te",
		"bin", "binti", "bint", "ibn", "al", "el", "st", "st.", "zu", "af", "av")
)
