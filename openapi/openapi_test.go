package openapi_test

import (
	"encoding/json"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/openapi"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PATCH body schema lists every field with its type, nullability and
// enumeration, as the profile states them.
func TestBodySchemaListsEveryField(t *testing.T) {
	for _, p := range []*cp.Profile{cp.Default(), profiles.Leadlex(), profiles.Gomry(), profiles.Callaidan(), profiles.HubSpot()} {
		s := openapi.BodySchema(p)
		fields := s
		if env := p.Schema().Envelope; env != "" {
			fields = s["properties"].(map[string]any)[env].(map[string]any)
			assert.Equal(t, []string{env}, s["required"])
		}
		props := fields["properties"].(map[string]any)
		for _, spec := range p.Schema().Fields {
			require.Contains(t, props, spec.Name, "%s: %s", p.Name(), spec.Name)
			f := props[spec.Name].(map[string]any)
			raw, _ := json.Marshal(f)
			assert.Equal(t, spec.Nullable || spec.ReadOnly, json.Valid(raw) && containsNull(f), "%s.%s nullable (a read-only field echoes no value as null): %s", p.Name(), spec.Name, raw)
		}
	}
	status := openapi.BodySchema(profiles.Gomry())["properties"].(map[string]any)["status"].(map[string]any)
	assert.Equal(t, []string{"active", "inactive"}, status["enum"])
	assert.Equal(t, "string", status["type"])
	assert.Equal(t, false, openapi.BodySchema(profiles.Gomry())["additionalProperties"], "G2: unknown keys refused")
	assert.Equal(t, true, openapi.BodySchema(profiles.Callaidan())["additionalProperties"], "C ignores unknown keys")
}

// containsNull reports whether a field schema admits null.
func containsNull(s map[string]any) bool {
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			if containsNull(a.(map[string]any)) {
				return true
			}
		}
		return false
	}
	switch t := s["type"].(type) {
	case nil:
		return true // no type: any value, null included
	case string:
		return t == "null"
	case []string:
		for _, x := range t {
			if x == "null" {
				return true
			}
		}
	}
	return false
}

// The document is OpenAPI 3.1 with both operations, the id parameter,
// the auth scheme and the error schema read off the profile's view.
func TestDocument(t *testing.T) {
	doc, err := openapi.Document(profiles.HubSpot(), openapi.API{Title: "H", Path: "/crm/v3/objects/contacts/{contactId}", Auth: openapi.Auth{Bearer: true}})
	require.NoError(t, err)
	var d struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas  map[string]map[string]any `json:"schemas"`
			Security map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	assert.Equal(t, "3.1.0", d.OpenAPI)
	path := d.Paths["/crm/v3/objects/contacts/{contactId}"]
	require.Contains(t, path, "patch")
	require.Contains(t, path, "get")
	var patch struct{ Responses map[string]any }
	require.NoError(t, json.Unmarshal(path["patch"], &patch))
	for _, status := range []string{"200", "400", "401", "403", "404", "405", "409", "412", "413", "415", "429", "500"} {
		assert.Contains(t, patch.Responses, status)
	}
	assert.Equal(t, "bearer", d.Comps.Security["apiKey"]["scheme"])
	errProps := d.Comps.Schemas["Error"]["properties"].(map[string]any)
	assert.Contains(t, errProps, "correlationId", "HubSpot's own error shape")
	assert.Contains(t, errProps, "category")
	_, err = openapi.Document(profiles.HubSpot(), openapi.API{Path: "/contacts"})
	assert.Error(t, err, "a path without an id")
}

// The 3.0.3 rendering says null only as nullable: true beside one type:
// no type arrays, no null branches, no const; and each field the profile
// makes nullable is nullable there, so that a generator gives the client
// a tri-state for exactly those fields.
func TestDocument30SaysNullAs30Does(t *testing.T) {
	for _, p := range []*cp.Profile{cp.Default(), profiles.Leadlex(), profiles.Gomry(), profiles.Callaidan(), profiles.HubSpot()} {
		raw, err := openapi.Document30(p, openapi.API{Title: p.Name(), Path: "/contacts/{id}"})
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc))
		assert.Equal(t, "3.0.3", doc["openapi"])
		walk(doc, func(s map[string]any) {
			_, isArray := s["type"].([]any)
			assert.False(t, isArray, "%s: a type array: %v", p.Name(), s)
			assert.NotContains(t, s, "const", p.Name())
			assert.NotEqual(t, "null", s["type"], "%s: a null type: %v", p.Name(), s)
			if s["nullable"] == true {
				assert.Contains(t, s, "type", "%s: nullable without a type: %v", p.Name(), s)
			}
		})
		fields := doc["components"].(map[string]any)["schemas"].(map[string]any)["PatchBody"].(map[string]any)
		if env := p.Schema().Envelope; env != "" {
			fields = fields["properties"].(map[string]any)[env].(map[string]any)
		}
		props := fields["properties"].(map[string]any)
		for _, spec := range p.Schema().Fields {
			f := props[spec.Name].(map[string]any)
			if spec.Nullable && (spec.ValueKind() == cp.KindText || spec.ValueKind() == cp.KindDate || spec.ValueKind() == cp.KindDateTime) {
				assert.Equal(t, true, f["nullable"], "%s.%s: %v", p.Name(), spec.Name, f)
			}
		}
	}
}

// walk calls fn for every object below v.
func walk(v any, fn func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		fn(t)
		for _, x := range t {
			walk(x, fn)
		}
	case []any:
		for _, x := range t {
			walk(x, fn)
		}
	}
}
