package contactpatch

import "strings"

// SplitName finds the first and last name in a full name (SPEC R11):
//
//   - White space is trimmed and collapsed; words are what remains between.
//   - Nicknames in quotes ("Bill", 'Bill', “Bill”) or parentheses (Bill)
//     are dropped; an opening mark without its closing one is kept as text.
//   - Titles at the start (Dr., Mrs., Prof., Sir, ...) and suffixes at the
//     end (Jr., III, PhD, M.D., ...) are dropped, in any case, with or
//     without dots, but never the last word left.
//   - "Last, First" is understood: with a comma (other than one before
//     suffixes alone, as in "King, Jr."), the words before it are the last
//     name and the first word after it is the first name.
//   - Otherwise the first word is the first name. The last name runs from the
//     first surname particle after it (van, von, de, de la, del, di, da, du,
//     le, la, bin, ibn, al, ter, ...) to the end, or is the final word.
//     Middle names and initials belong to neither: "John F. Kennedy" gives
//     John and Kennedy.
//   - A single word is a first name, unless a title stood before it
//     ("Mr. Smith" gives last name Smith). A name that starts with a
//     lower-case particle ("van Gogh", "de la Cruz") is all last name.
//   - Hyphenated and apostrophized words stay whole ("Jean-Luc",
//     "O'Brien"); letters of every script count as letters.
//
// Either result may be "". SplitName does not change letter case.
func SplitName(full string) (first, last string) {
	words := dropNicknames(strings.Fields(full))
	groups := commaGroups(words)
	for len(groups) > 1 && allSuffixes(groups[len(groups)-1]) {
		groups = groups[:len(groups)-1]
	}
	if len(groups) > 1 {
		surname := trimAffixes(groups[0])
		given, _ := trimTitles(groups[1])
		given = trimSuffixes(given)
		return firstWord(given), strings.Join(surname, " ")
	}
	words, titled := trimTitles(groups[0])
	words = trimSuffixes(words)
	switch {
	case len(words) == 0:
		return "", ""
	case len(words) == 1 && titled:
		return "", words[0]
	case len(words) == 1:
		return words[0], ""
	case isParticle(words[0]) && words[0] == strings.ToLower(words[0]):
		return "", strings.Join(words, " ")
	}
	for i := 1; i < len(words)-1; i++ {
		if isParticle(words[i]) {
			return words[0], strings.Join(words[i:], " ")
		}
	}
	return words[0], words[len(words)-1]
}

// collapseSpace trims s and replaces each run of white space with one space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

var nicknameMarks = map[rune]rune{'"': '"', '\'': '\'', '(': ')', '“': '”', '‘': '’', '«': '»'}

// dropNicknames removes each run of words from one that opens with a
// nickname mark to the next that closes it.
func dropNicknames(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		opening := []rune(w)[0]
		closing, ok := nicknameMarks[opening]
		if !ok {
			out = append(out, w)
			continue
		}
		end := -1
		for j := i; j < len(words); j++ {
			rest := strings.TrimRight(words[j], ",")
			if j == i {
				rest = rest[len(string(opening)):]
			}
			if strings.HasSuffix(rest, string(closing)) {
				end = j
				break
			}
		}
		if end < 0 {
			out = append(out, w)
			continue
		}
		i = end
	}
	return out
}

// commaGroups splits words into the runs separated by commas, dropping the
// commas, which may stand inside a word ("Doe,Jane"); there is always at
// least one group.
func commaGroups(words []string) [][]string {
	groups := [][]string{nil}
	for _, w := range words {
		for i, piece := range strings.Split(w, ",") {
			if i > 0 && len(groups[len(groups)-1]) > 0 {
				groups = append(groups, nil)
			}
			if piece != "" {
				groups[len(groups)-1] = append(groups[len(groups)-1], piece)
			}
		}
	}
	if len(groups) > 1 && len(groups[len(groups)-1]) == 0 {
		groups = groups[:len(groups)-1]
	}
	return groups
}

func trimAffixes(words []string) []string {
	words, _ = trimTitles(words)
	return trimSuffixes(words)
}

// trimTitles drops leading titles while more than one word is left and
// reports whether it dropped any.
func trimTitles(words []string) ([]string, bool) {
	titled := false
	for len(words) > 1 && titles[key(words[0])] {
		words, titled = words[1:], true
	}
	return words, titled
}

func trimSuffixes(words []string) []string {
	for len(words) > 1 && suffixes[key(words[len(words)-1])] {
		words = words[:len(words)-1]
	}
	return words
}

func allSuffixes(words []string) bool {
	for _, w := range words {
		if !suffixes[key(w)] {
			return false
		}
	}
	return len(words) > 0
}

func isParticle(w string) bool { return particles[strings.ToLower(w)] }

func firstWord(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return words[0]
}

// key folds a word for the title and suffix tables: lower case, no dots.
func key(w string) string {
	return strings.ToLower(strings.ReplaceAll(w, ".", ""))
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
