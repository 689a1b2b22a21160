// Package clienttest generates Go clients of the four reference servers
// from their OpenAPI 3.0.3 documents with oapi-codegen, the most used Go
// generator, and tests them against the servers: each call's answer is
// validated against the document with kin-openapi, and a nullable field
// is cleared with null through the generated nullable.Nullable: the
// profile's three states (omitted, null, a value) carried into the
// client.
package clienttest

//go:generate go tool oapi-codegen -config leadlex/oapi-codegen.yaml ../docs/openapi/leadlex-3.0.json
//go:generate go tool oapi-codegen -config gomry/oapi-codegen.yaml ../docs/openapi/gomry-3.0.json
//go:generate go tool oapi-codegen -config callaidan/oapi-codegen.yaml ../docs/openapi/callaidan-3.0.json
//go:generate go tool oapi-codegen -config hubspot/oapi-codegen.yaml ../docs/openapi/hubspot-3.0.json
