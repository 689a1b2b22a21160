package contactpatch

// Canonical fields: the Field enumeration, generated from the table in
// internal/fieldgen, and the sets Apply keeps of fields and extensions.

import "encoding/json"

//go:generate go run ./internal/fieldgen -o field_gen.go

// Field names one field of the canonical [Contact]. Profiles map their wire
// names onto Fields; errors, warnings and changes report them. The
// constants, one per field, are generated from the table in
// internal/fieldgen/fields.go, the one place a field is written.
type Field uint8

// kind is the JSON shape of a field's value and so which policies fit it.
type kind uint8

const (
	kindText kind = iota + 1
	kindID
	kindTags
	kindBool
	kindCustom
	kindTime
)

type fieldInfo struct {
	name      string
	kind      kind
	multiline bool
	personal  bool
}

// String returns the field's canonical snake_case name, the key the
// default profile uses for it, such as "full_name" or "is_dnd".
func (f Field) String() string {
	if !f.valid() {
		return "invalid_field"
	}
	return fields[f].name
}

func (f Field) valid() bool { return f > 0 && f < numFields }

func (f Field) kind() kind { return fields[f].kind }

// multiline reports whether the field holds multiline text by nature.
func (f Field) multiline() bool { return fields[f].multiline }

// personal reports whether the field holds a person's name or a part of it.
func (f Field) personal() bool { return fields[f].personal }

// fieldSet is a set of Fields; the generator keeps numFields below 64.
type fieldSet uint64

func (s fieldSet) has(f Field) bool { return s&(1<<f) != 0 }

func (s *fieldSet) add(f Field) { *s |= 1 << f }

// extSet is a set of indexes of a profile's extension fields, with no
// bound: the first 64 sit in one word, so that the common profile
// allocates nothing, and the rest in words added as they are needed.
type extSet struct {
	first uint64
	more  []uint64
}

func (s *extSet) add(i int) {
	if i < 64 {
		s.first |= 1 << i
		return
	}
	w := i/64 - 1
	for len(s.more) <= w {
		s.more = append(s.more, 0)
	}
	s.more[w] |= 1 << (i % 64)
}

func (s extSet) has(i int) bool {
	if i < 64 {
		return s.first&(1<<i) != 0
	}
	w := i/64 - 1
	return w < len(s.more) && s.more[w]&(1<<(i%64)) != 0
}

// empty reports whether the set holds nothing: more grows only when an
// index is added.
func (s extSet) empty() bool { return s.first == 0 && len(s.more) == 0 }

// rawJSON is the compact JSON text of a stored value. The public types
// spell it json.RawMessage so hosts can marshal a Contact with
// encoding/json; inside the request path only internal/wire reads JSON,
// and this alias keeps encoding/json out of those files' imports.
type rawJSON = json.RawMessage
