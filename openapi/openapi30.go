package openapi

// OpenAPI 3.0.3 from the 3.1 document: the generators most used for Go
// (oapi-codegen, on kin-openapi) read 3.0, where a null is said with
// nullable: true beside one type, rather than a type array, so that a
// nullable field becomes a tri-state in the client (nullable.Nullable
// with oapi-codegen's nullable-type option) and a client can send null
// to clear it.

import (
	"encoding/json"
	"slices"

	cp "github.com/contactpatch/contactpatch"
)

// Document30 returns the document Document returns, in OpenAPI 3.0.3:
// every type array of a type and null is that type with nullable: true,
// an anyOf with a null branch is the other branches with nullable: true,
// and const is a one-value enum. It is served at GET /openapi-3.0.json.
func Document30(p *cp.Profile, api API) ([]byte, error) {
	raw, err := Document(p, api)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	doc["openapi"] = "3.0.3"
	components := doc["components"].(map[string]any)
	for name, s := range components["schemas"].(map[string]any) {
		components["schemas"].(map[string]any)[name] = to30(s)
	}
	for _, item := range doc["paths"].(map[string]any) {
		walkSchemas(item, func(s any) any { return to30(s) })
	}
	return json.MarshalIndent(doc, "", "  ")
}

// walkSchemas replaces every "schema" member below v with what fix makes
// of it: the schemas of parameters, headers and media types.
func walkSchemas(v any, fix func(any) any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if k == "schema" {
				t[k] = fix(x)
				continue
			}
			walkSchemas(x, fix)
		}
	case []any:
		for _, x := range t {
			walkSchemas(x, fix)
		}
	}
}

// to30 rewrites one JSON Schema, and the schemas inside it, in OpenAPI
// 3.0's dialect.
func to30(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range []string{"properties"} {
		if props, ok := s[k].(map[string]any); ok {
			for name, x := range props {
				props[name] = to30(x)
			}
		}
	}
	for _, k := range []string{"items", "additionalProperties", "not"} {
		if x, ok := s[k].(map[string]any); ok {
			s[k] = to30(x)
		}
	}
	if c, ok := s["const"]; ok {
		delete(s, "const")
		s["enum"] = []any{c}
		if c == nil {
			s["nullable"] = true
		}
	}
	if types, ok := s["type"].([]any); ok {
		rest := slices.DeleteFunc(slices.Clone(types), func(t any) bool { return t == "null" })
		if len(rest) < len(types) {
			s["nullable"] = true
		}
		if len(rest) == 1 {
			s["type"] = rest[0]
		} else {
			delete(s, "type")
		}
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		branches, ok := s[k].([]any)
		if !ok {
			continue
		}
		var kept []any
		for _, b := range branches {
			if m, ok := b.(map[string]any); ok && m["type"] == "null" && len(m) == 1 {
				s["nullable"] = true
				continue
			}
			kept = append(kept, to30(b))
		}
		delete(s, k)
		one, merged := oneType(kept)
		if !merged {
			s[k] = kept
			continue
		}
		for key, x := range s { // nullable, description, readOnly
			one[key] = x
		}
		return settle(one)
	}
	return settle(s)
}

// settle puts a nullable where 3.0 reads it, beside a type: on the first
// branch of an anyOf or oneOf, and nowhere on a schema of any type,
// which takes null already.
func settle(s map[string]any) map[string]any {
	if _, typed := s["type"]; typed || s["nullable"] != true {
		return s
	}
	delete(s, "nullable")
	for _, k := range []string{"anyOf", "oneOf"} {
		if branches, ok := s[k].([]any); ok && len(branches) > 0 {
			if first, ok := branches[0].(map[string]any); ok {
				first["nullable"] = true
				settle(first)
			}
		}
	}
	return s
}

// oneType is the one schema that stands for branches in 3.0: the branch
// itself when there is one, or the bare type they all share, since 3.0
// says nullable only beside a type. The merged schema takes what any
// branch takes, so it never refuses what the profile accepts.
func oneType(branches []any) (map[string]any, bool) {
	if len(branches) == 1 {
		one, ok := branches[0].(map[string]any)
		return one, ok
	}
	var t any
	for _, b := range branches {
		m, ok := b.(map[string]any)
		if !ok || m["type"] == nil || t != nil && m["type"] != t {
			return nil, false
		}
		t = m["type"]
		if _, nested := t.(string); !nested {
			return nil, false
		}
	}
	return map[string]any{"type": t}, t != nil
}
