// Package schematest holds the differential test of the JSON Schemas
// package openapi derives from a profile against the profile itself,
// with an independent validator (github.com/santhosh-tekuri/jsonschema/v6)
// that the root module does not require.
package schematest
