// Package wire is the JSON syntax layer of contactpatch, kept apart from
// its semantics as encoding/json/jsontext is kept apart from
// encoding/json/v2: a strict single-pass scanner that knows nothing of
// contacts, the writers for strings and compact values, the RFC 7396
// merge used inside custom fields, and RFC 6901 JSON Pointers for the
// location of every problem.
//
// The scanner refuses what RFC 8259 leaves to implementations and
// encoding/json lets through: invalid UTF-8, lone surrogates in \u
// escapes, duplicate keys and data after the value. It never builds a
// generic tree; callers bind values as they pass.
package wire
