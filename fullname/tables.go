package fullname

import (
	"strings"
	"unicode/utf8"
)

// The word tables of the name parser (rule R11). Each is a set of folded
// words: lower-case ASCII, dots dropped, and, for titles, the words of a
// title joined by single spaces ("rt hon", "lt gov"). To teach the parser
// a word, add it to its table; docs/semantics.md says what each holds.

// titleKind says how a title goes with a lone word after it.
type titleKind uint8

const (
	surnameTitle titleKind = iota + 1 // "Mr. Smith": the word is a surname
	givenTitle                        // "Sir Gerald": the word is a given name
)

// titles are the honorifics that may open a name.
var titles = kindTable(surnameTitle,
	// civil
	"mr", "mrs", "ms", "miss", "mx", "mister", "missus", "master", "madam", "madame", "mme", "mlle",
	"mademoiselle", "monsieur", "messrs", "lord", "lady", "dr", "doctor", "herr", "frau", "sr", "sra",
	"srta", "sig", "signor", "signora", "dott", "ing",
	// academic
	"prof", "professor", "assoc prof", "asst prof", "associate professor", "assistant professor",
	"prof emeritus", "professor emeritus", "provost",
	// military
	"capt", "captain", "cpt", "col", "colonel", "lt", "lieut", "lieutenant", "lt col", "lt gen",
	"lt cdr", "lt cmdr", "lieutenant colonel", "lieutenant general", "gen", "general", "maj", "major",
	"maj gen", "major general", "brig", "brigadier", "brig gen", "brigadier general", "sgt", "sergeant",
	"sgt maj", "sergeant major", "cpl", "corporal", "pvt", "adm", "admiral", "rear admiral",
	"vice admiral", "rear adm", "vice adm", "cmdr", "cdr", "commander", "cmdre", "commodore", "ens",
	"ensign", "pfc", "spc", "cwo", "marshal", "field marshal", "air marshal", "wing commander",
	"squadron leader", "flight lieutenant",
	// religious
	"rev", "revd", "reverend", "the rev", "the revd", "the reverend", "rt rev", "the rt rev",
	"right reverend", "the right reverend", "very rev", "the very rev", "most rev", "the most rev",
	"fr", "father", "pastor", "bishop", "archbishop", "cardinal", "rabbi", "imam", "sheikh", "shaikh",
	"deacon", "elder", "msgr", "monsignor", "cantor", "ayatollah", "swami", "chaplain",
	// judicial
	"judge", "justice", "hon", "honourable", "honorable", "the hon", "the honourable",
	"the honorable", "rt hon", "the rt hon", "right honourable", "the right honourable",
	"right honorable", "the right honorable", "his honour", "her honour", "his honor", "her honor",
	"chief justice", "lord justice", "lady justice", "magistrate",
	// political and noble
	"president", "pres", "vice president", "gov", "governor", "lt gov", "lieutenant governor",
	"senator", "sen", "rep", "representative", "congressman", "congresswoman", "assemblyman",
	"assemblywoman", "councillor", "councilman", "councilwoman", "alderman", "mayor", "ambassador",
	"amb", "minister", "prime minister", "premier", "chancellor", "his excellency", "her excellency",
	"hrh", "his royal highness", "her royal highness", "his majesty", "her majesty", "count",
	"countess", "baron", "baroness", "duke", "duchess", "earl", "viscount", "viscountess", "marquess",
	"marquis", "marchioness", "sheikha", "emir", "sultan", "raja", "rajah",
).with(givenTitle,
	// titles used with the given name
	"sir", "dame", "prince", "princess", "brother", "sister", "pope", "mother",
)

// titleStarts maps the first word of every title to the most words a
// title that opens with it has, so that a name that opens with no title
// is told so by one lookup, and one that does is looked up no further
// than its longest title.
var titleStarts = func() table[int] {
	t := table[int]{}
	for title := range titles {
		first, _, _ := strings.Cut(title, " ")
		t[first] = max(t[first], strings.Count(title, " ")+1)
	}
	return t
}()

// titleWords returns the most words a title opening with w may have, or
// 0 when no title opens with its first piece (up to a dot or hyphen).
func titleWords(w string) int {
	for i := 1; i < len(w); i++ {
		if w[i] == '.' || w[i] == '-' {
			w = w[:i]
			break
		}
	}
	n, _ := lookup(titleStarts, w)
	return n
}

// suffixKind flags how a suffix may be recognized.
type suffixKind uint8

const (
	plainSuffix suffixKind = 1 << iota
	commaOnly              // also a surname (MA, DO): a suffix only after a comma
	roman                  // a roman numeral: after two name words when there is no comma
	noInnerDots            // "Jr.", never "J.R.", which are initials
)

// suffixes are the words that may close a name.
var suffixes = kindTable(plainSuffix,
	// generational
	"jnr", "snr", "junior", "senior", "2nd", "3rd", "4th", "5th",
	// degrees
	"phd", "dphil", "md", "dds", "dmd", "dvm", "jd", "llb", "llm", "lld", "mba", "msc", "mphil",
	"bsc", "bba", "bcom", "mcom", "mfa", "med", "msced", "edd", "psyd", "pharmd", "dnp", "dpt", "mpa",
	"mph", "msw", "rn", "lpn",
	// professional designations
	"cpa", "cfa", "cfp", "clu", "chfc", "lutc", "cpcu", "cma", "cia", "cisa", "cissp", "pmp", "pe",
	"peng", "aia", "faia", "fsa", "fcas", "cfe", "esq", "esquire", "qc", "kc", "mp", "mep", "msp",
	"mla", "shrm-cp", "shrm-scp", "sphr", "phr", "cae", "ret",
	// honours
	"obe", "mbe", "cbe", "kbe", "dbe", "gbe", "kcmg", "cmg", "gcmg", "kcb", "gcb", "kg", "om",
	"vc", "gc", "dso", "dfc", "afc", "frs", "frsa", "frcs", "frcp", "facs", "facp", "frsc", "freng",
).with(commaOnly,
	"ma", "ms", "ba", "bs", "do", "np", "pa", "jp", "pc", "mc", "ch", "cb", "sc", "ea",
).with(roman,
	"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
).with(noInnerDots,
	"jr", "sr",
)

// particles open a compound surname: "van Beethoven", "de la Cruz".
var particles = kindTable(true,
	"van", "von", "de", "del", "della", "delle", "der", "den", "des", "di", "da", "das", "dos", "do",
	"du", "la", "le", "lo", "los", "las", "ter", "ten", "te", "bin", "binti", "bint", "ibn", "al", "el",
	"st", "zu", "af", "av", "dela", "vande", "vanden", "vander", "mac", "mc",
)

// conjunctions join the given names of a couple: "John and Jane Smith".
var conjunctions = kindTable(true, "and", "&", "und", "et")

// kindTable builds a word table whose words all carry kind.
func kindTable[K comparable](kind K, words ...string) table[K] {
	return table[K]{}.with(kind, words...)
}

// table maps folded words to what they are.
type table[K comparable] map[string]K

func (t table[K]) with(kind K, words ...string) table[K] {
	for _, w := range words {
		t[w] = kind
	}
	return t
}

// appendFolded appends the folded form of w to dst: ASCII letters in
// lower case, dots dropped. It fails for a word with other than ASCII,
// or past max bytes, which no table holds.
func appendFolded(dst []byte, w string, max int) ([]byte, bool) {
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= utf8.RuneSelf || len(dst) == max:
			return dst, false
		case c == '.':
			continue
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst, true
}

// lookup finds w, folded, in t. It allocates nothing.
func lookup[K comparable](t table[K], w string) (K, bool) {
	var buf [24]byte
	key, ok := appendFolded(buf[:0], w, len(buf))
	if !ok {
		var zero K
		return zero, false
	}
	k, found := t[string(key)]
	return k, found
}

// suffixKindOf reports whether w is a suffix, and of which kind. A word
// with dots inside ("J.R.") is not the suffix its letters spell when that
// suffix is never written so.
func suffixKindOf(w string) (suffixKind, bool) {
	kind, ok := lookup(suffixes, w)
	if ok && kind&noInnerDots != 0 && strings.Contains(strings.TrimSuffix(w, "."), ".") {
		return 0, false
	}
	return kind, ok
}

func isParticle(w string) bool { _, ok := lookup(particles, w); return ok }

func isConjunction(w string) bool { _, ok := lookup(conjunctions, w); return ok }

// isSurnameJoin reports the "y" and "e" that join the two surnames of
// Spanish and Portuguese names; only in lower case, as they are written.
func isSurnameJoin(w string) bool { return w == "y" || w == "e" }

// hyphenParticle reports a word that ends in a hyphen and a particle,
// whose surname goes on in the next word: "Heijdanus-De Boer".
func hyphenParticle(w string) bool {
	i := strings.LastIndexByte(w, '-')
	return i > 0 && i < len(w)-1 && isParticle(w[i+1:])
}

// titleLen returns how many of words, from the first, form one title;
// 0 when they do not open with one. Longer titles win ("The Rt. Hon."
// over "The"), and one word may hold a whole title ("Lt.Gov.",
// "Chief-Justice").
func titleLen(s string, words []token) int {
	if len(words) == 0 {
		return 0
	}
	most := titleWords(words[0].in(s)) // 0 in the common case: no title
	for k := min(most, len(words)); k > 0; k-- {
		if _, ok := titleKindOf(s, words[:k]); ok {
			return k
		}
	}
	return 0
}

// givenNameTitle reports whether the title ending at word t goes with a
// given name: "Sir Gerald".
func givenNameTitle(s string, t token) bool {
	kind, ok := titleKindOf(s, []token{t})
	return ok && kind == givenTitle
}

// titleKindOf looks the words up as one title: folded, their dots and
// hyphens turned into the spaces between a title's words.
func titleKindOf(s string, words []token) (titleKind, bool) {
	var buf [40]byte
	key := buf[:0]
	for _, w := range words {
		word := w.in(s)
		for i := 0; i < len(word); i++ {
			c := word[i]
			switch {
			case c >= utf8.RuneSelf || len(key) == len(buf):
				return 0, false
			case c == '.' || c == '-':
				c = ' ' // a word break inside the title
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			}
			if c == ' ' && (len(key) == 0 || key[len(key)-1] == ' ') {
				continue
			}
			key = append(key, c)
		}
		if len(key) > 0 && key[len(key)-1] != ' ' {
			key = append(key, ' ')
		}
	}
	if len(key) > 0 {
		key = key[:len(key)-1] // the break after the last word
	}
	kind, ok := titles[string(key)]
	return kind, ok
}
