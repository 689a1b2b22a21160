package fullname_test

import (
	"fmt"

	"github.com/contactpatch/contactpatch/fullname"
)

func ExampleSplit() {
	for _, full := range []string{"Dr. Martin Luther King, Jr.", "van Beethoven, Ludwig", `William "Bill" Gates`, "Madonna"} {
		first, last := fullname.Split(full)
		fmt.Printf("%q %q\n", first, last)
	}
	// Output:
	// "Martin" "King"
	// "Ludwig" "van Beethoven"
	// "William" "Gates"
	// "Madonna" ""
}

func ExampleParse() {
	for _, full := range []string{"The Rt. Hon. Kenneth Clarke QC MP", `Dr. William "Bill" H. Gates III`, "Doe, Jr., John", "Juan Velasquez y Garcia"} {
		n := fullname.Parse(full)
		fmt.Printf("%q %q %q %q %q %q\n", n.Title, n.First, n.Middle, n.Last, n.Suffix, n.Nickname)
	}
	// Output:
	// "The Rt. Hon." "Kenneth" "" "Clarke" "QC MP" ""
	// "Dr." "William" "H." "Gates" "III" "Bill"
	// "" "John" "" "Doe" "Jr." ""
	// "" "Juan" "" "Velasquez y Garcia" "" ""
}

func ExampleName_String() {
	n := fullname.Name{Title: "Dr.", First: "Gabriel", Middle: "José", Last: "García Márquez"}
	fmt.Println(n.String())
	fmt.Println(fullname.Parse(n.String()) == n)
	// Output:
	// García Márquez, Dr. Gabriel José
	// true
}
