package contactpatch_test

import (
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/stretchr/testify/assert"
)

// TestSplitName is the R11 table: each row is a full name as a person
// might type it and the first and last name SplitName must find.
func TestSplitName(t *testing.T) {
	cases := []struct{ full, first, last string }{
		// plain
		{"Jane Doe", "Jane", "Doe"},
		{"jane doe", "jane", "doe"},
		{"Madonna", "Madonna", ""},
		{"", "", ""},
		{"   ", "", ""},
		// extra white space
		{"  Jane   Doe  ", "Jane", "Doe"},
		{"Jane\tDoe", "Jane", "Doe"},
		{"Jane\u00a0Doe", "Jane", "Doe"},
		// middle names and initials belong to neither
		{"John F. Kennedy", "John", "Kennedy"},
		{"John Fitzgerald Kennedy", "John", "Kennedy"},
		{"Mary Ann Smith", "Mary", "Smith"},
		{"J. R. R. Tolkien", "J.", "Tolkien"},
		{"George H W Bush", "George", "Bush"},
		// titles
		{"Dr. Jane Doe", "Jane", "Doe"},
		{"Dr Jane Doe", "Jane", "Doe"},
		{"DR. JANE DOE", "JANE", "DOE"},
		{"Mrs. Jane Doe", "Jane", "Doe"},
		{"Prof. Dr. Hans Müller", "Hans", "Müller"},
		{"Sir Patrick Stewart", "Patrick", "Stewart"},
		{"Rev. Martin Luther King", "Martin", "King"},
		{"Mr. Smith", "", "Smith"},
		{"Dr.", "", ""},
		// suffixes
		{"Martin Luther King Jr.", "Martin", "King"},
		{"Martin Luther King, Jr.", "Martin", "King"},
		{"Sammy Davis Jr", "Sammy", "Davis"},
		{"William Henry Gates III", "William", "Gates"},
		{"Jane Doe PhD", "Jane", "Doe"},
		{"Jane Doe, Ph.D.", "Jane", "Doe"},
		{"John Smith, M.D.", "John", "Smith"},
		{"Jane Doe, Esq.", "Jane", "Doe"},
		{"Dr. Jane Doe, MD, PhD", "Jane", "Doe"},
		{"Malcolm X", "Malcolm", "X"},
		{"Henry V", "Henry", "V"},
		// surname particles
		{"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
		{"Vincent van der Berg", "Vincent", "van der Berg"},
		{"Maria de la Cruz", "Maria", "de la Cruz"},
		{"Juan Carlos de la Vega", "Juan", "de la Vega"},
		{"Leonardo da Vinci", "Leonardo", "da Vinci"},
		{"Otto von Bismarck", "Otto", "von Bismarck"},
		{"Robert De Niro", "Robert", "De Niro"},
		{"Mohammed bin Salman", "Mohammed", "bin Salman"},
		{"Ahmad ibn Hanbal", "Ahmad", "ibn Hanbal"},
		{"Guido van Rossum", "Guido", "van Rossum"},
		{"Ana de Souza Santos", "Ana", "de Souza Santos"},
		{"van Gogh", "", "van Gogh"},
		{"de la Cruz", "", "de la Cruz"},
		{"Van Morrison", "Van", "Morrison"},
		{"Jean de", "Jean", "de"},
		// Last, First
		{"Doe, Jane", "Jane", "Doe"},
		{"Doe,Jane", "Jane", "Doe"},
		{"Doe, Jane Marie", "Jane", "Doe"},
		{"van Beethoven, Ludwig", "Ludwig", "van Beethoven"},
		{"Kennedy, John F.", "John", "Kennedy"},
		{"Smith, Dr. John", "John", "Smith"},
		{"King, Martin Luther, Jr.", "Martin", "King"},
		{"Smith Jr., John", "John", "Smith"},
		// nicknames
		{`William "Bill" Gates`, "William", "Gates"},
		{"William (Bill) Gates", "William", "Gates"},
		{"William 'Bill' Gates", "William", "Gates"},
		{"William “Bill” Gates", "William", "Gates"},
		{`Robert "Bobby Joe" Smith`, "Robert", "Smith"},
		{`"Bill" Gates`, "Gates", ""},
		{"John (Jack Smith", "John", "Smith"},
		// hyphens and apostrophes
		{"Jean-Luc Picard", "Jean-Luc", "Picard"},
		{"Mary Smith-Jones", "Mary", "Smith-Jones"},
		{"Patrick O'Brien", "Patrick", "O'Brien"},
		{"D'Arcy Carden", "D'Arcy", "Carden"},
		// other scripts
		{"José Álvarez", "José", "Álvarez"},
		{"Zoë Ångström", "Zoë", "Ångström"},
		{"Владимир Набоков", "Владимир", "Набоков"},
		{"山田 太郎", "山田", "太郎"},
		{"Σωκράτης Παπαδόπουλος", "Σωκράτης", "Παπαδόπουλος"},
	}
	for _, c := range cases {
		first, last := cp.SplitName(c.full)
		assert.Equal(t, [2]string{c.first, c.last}, [2]string{first, last}, "SplitName(%q)", c.full)
	}
	assert.GreaterOrEqual(t, len(cases), 60)
}

// TestSplitNameFindsWordsOfTheInput checks, over the table above and odd
// inputs, that SplitName never invents text: each result is made of words
// of the input.
func TestSplitNameFindsWordsOfTheInput(t *testing.T) {
	for _, full := range []string{",", ", ,", "(", `"`, "( )", "Doe,", ",Jane", "Jr.", "Dr. Jr.", "a , b , c", "de", "x\u2028y"} {
		first, last := cp.SplitName(full)
		words := strings.Fields(strings.NewReplacer(",", " ").Replace(full))
		for _, part := range []string{first, last} {
			for _, w := range strings.Fields(part) {
				assert.Contains(t, words, w, "SplitName(%q) = %q, %q", full, first, last)
			}
		}
	}
}
