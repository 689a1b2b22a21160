package wire

import (
	"testing"
)

func TestPointerEscapesTokens(t *testing.T) {
	for _, c := range []struct {
		tokens []string
		want   string
	}{
		{nil, ""},
		{[]string{""}, "/"},
		{[]string{"tags", "2"}, "/tags/2"},
		{[]string{"a/b", "m~n"}, "/a~1b/m~0n"},
		{[]string{"~1"}, "/~01"},
	} {
		if got := Pointer(c.tokens...); got != c.want {
			t.Errorf("Pointer(%q) = %q, want %q", c.tokens, got, c.want)
		}
	}
}

// The scanner's pointer names the value being read at every depth, past
// the frames it keeps in a fixed array.
func TestScannerPointerFollowsTheValue(t *testing.T) {
	for _, c := range []struct {
		doc, want string
	}{
		{`{"a":{"b/c":[1,2,{"d":x}]}}`, "/a/b~1c/2/d"},
		{`{"":x}`, "/"},
		{`{"a":[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]}`, "/a/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0"},
		{`{"a":1 x}`, ""},
		{`{"a\u002fb":x}`, "/a~1b"},
		{"{}\x00", ""},
	} {
		s := New([]byte(c.doc), Limits{Depth: 64})
		err := s.Document(func([]byte) *Error { return s.Skip() })
		if err == nil || err.Kind != Syntax || err.Pointer != c.want {
			t.Errorf("%s: got %+v, want a syntax error at %q", c.doc, err, c.want)
		}
	}
}

func TestScannerLimits(t *testing.T) {
	s := New([]byte(`{"a":[[1]]}`), Limits{Depth: 2})
	if err := s.Document(func([]byte) *Error { return s.Skip() }); err == nil || err.Kind != TooDeep || err.Pointer != "/a/0" {
		t.Errorf("depth: got %+v", err)
	}
	s = New([]byte(`{"a":1,"b":2,"c":3}`), Limits{Keys: 2})
	if err := s.Document(func([]byte) *Error { return s.Skip() }); err == nil || err.Kind != TooManyKeys {
		t.Errorf("keys: got %+v", err)
	}
}

func TestSkipRecordsNestedDuplicates(t *testing.T) {
	s := New([]byte(`{"x":[{"k":1,"k":2},{"m":{"z":1,"z":1}}]}`), Limits{})
	if err := s.Document(func([]byte) *Error { return s.Skip() }); err != nil {
		t.Fatal(err)
	}
	got := s.Duplicates()
	if len(got) != 2 || got[0] != "/x/0/k" || got[1] != "/x/1/m/z" {
		t.Errorf("duplicates = %q", got)
	}
	if s.Duplicates() != nil {
		t.Error("Duplicates must forget what it returned")
	}
}

// The examples of RFC 7396, appendix A, with sorted members in the
// result.
func TestMergePatchFollowsRFC7396(t *testing.T) {
	for _, c := range []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"a":1,"e":null}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
	} {
		if got := string(MergePatch([]byte(c.target), []byte(c.patch))); got != c.want {
			t.Errorf("MergePatch(%s, %s) = %s, want %s", c.target, c.patch, got, c.want)
		}
	}
}

func TestCompactKeepsStringsWhole(t *testing.T) {
	if got := string(Compact([]byte(" { \"a b\" : [ 1 , \"x\\\" y\" ] } "))); got != `{"a b":[1,"x\" y"]}` {
		t.Errorf("Compact = %s", got)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	got := string(AppendString(nil, "a\"\\\n\r\t\x01\u2028<>&\xff"))
	want := `"a\"\\\n\r\t\u0001\u2028<>&\ufffd"`
	if got != want {
		t.Errorf("AppendString = %s, want %s", got, want)
	}
}

// Repeated keys are found however many keys an object has, past the ones
// compared one by one.
func TestKeySetFindsRepeatsAtAnySize(t *testing.T) {
	for _, n := range []int{1, linearKeys - 1, linearKeys, linearKeys + 1, 1000} {
		var ks keySet
		for i := range n {
			if ks.repeats([]byte{byte(i), byte(i >> 8), 'k'}) {
				t.Fatalf("n=%d: key %d reported as a repeat", n, i)
			}
		}
		for i := range n {
			if !ks.repeats([]byte{byte(i), byte(i >> 8), 'k'}) {
				t.Fatalf("n=%d: repeat of key %d missed", n, i)
			}
		}
	}
}

func TestSameNumberComparesDecimalValues(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"1.5", "1.50", true},
		{"1.5", "15e-1", true},
		{"150", "1.5E2", true},
		{"150", "1.5e+2", true},
		{"0", "-0", true},
		{"0.0", "0e10", true},
		{"100", "1e2", true},
		{"10", "100", false},
		{"1.5", "-1.5", false},
		{"1.5", "1.05", false},
		{"12345678901234567890", "12345678901234567891", false}, // one float64, two values
		{"0.1", "0.10000000000000001", false},
	} {
		if got := SameNumber(c.a, c.b); got != c.same {
			t.Errorf("SameNumber(%s, %s) = %t, want %t", c.a, c.b, got, c.same)
		}
		if got := SameNumber(c.b, c.a); got != c.same {
			t.Errorf("SameNumber(%s, %s) = %t, want %t", c.b, c.a, got, c.same)
		}
	}
}

func TestValidJudgesOneStrictValue(t *testing.T) {
	for raw, want := range map[string]bool{
		`1`: true, ` {"a": [1, "x"]} `: true, `"é"`: true, `null`: true,
		``: false, ` `: false, `1 2`: false, `{"a":1,"a":2}`: true, "\"\xff\"": false, `{"a":}`: false, `[1,]`: false,
	} {
		if got := Valid([]byte(raw)); got != want {
			t.Errorf("Valid(%q) = %t, want %t", raw, got, want)
		}
	}
}

func TestStringsReadsAnArrayOfStrings(t *testing.T) {
	if got, ok := Strings([]byte(` ["a", "b\u00e9"] `)); !ok || len(got) != 2 || got[1] != "bé" {
		t.Errorf("Strings = %q, %t", got, ok)
	}
	for _, raw := range []string{`[1]`, `["a",]`, `"a"`, `["a"] x`, `[["a"]]`, ``} {
		if _, ok := Strings([]byte(raw)); ok {
			t.Errorf("Strings(%q) succeeded", raw)
		}
	}
	if got, ok := Strings([]byte(`[]`)); !ok || got == nil || len(got) != 0 {
		t.Errorf("Strings([]) = %#v, %t; want an empty list", got, ok)
	}
}
