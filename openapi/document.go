package openapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
)

// API is what a profile does not know about the routes that serve it.
type API struct {
	Title       string // such as "L contacts API"
	Version     string // the document's version; "1.0.0" if empty
	Description string
	// Path is the route of one contact, with its id as a {wildcard}, as
	// given to contacthttp.Handler.Register.
	Path string
	// Auth says how a request carries its key.
	Auth Auth
	// Examples are request bodies with the responses they get, shown
	// with the PATCH operation.
	Examples []Example
	// Create and Delete say that the routes serve POST on the collection
	// (201 with Location) and DELETE of one contact (204), as
	// contacthttp.Lifecycle declares them.
	Create, Delete bool
	// FieldsParam and HistoryParam name the GET parameters of a sparse
	// view and of field history (contacthttp.Lifecycle's); "" for none.
	FieldsParam, HistoryParam string
}

// Auth is an API's authentication scheme.
type Auth struct {
	// Bearer is "Authorization: Bearer <key>"; otherwise the key is the
	// whole value of Header (such as "X-API-KEY", or "Authorization"
	// for a bare key).
	Bearer bool
	Header string
}

// Example is one request and its answer.
type Example struct {
	Summary  string
	Request  json.RawMessage
	Status   int
	Response json.RawMessage
}

// Document returns the OpenAPI 3.1 document of the routes a
// contacthttp.Handler serves for p at api.Path: PATCH and GET with the id
// path parameter, the authentication scheme, the body and response
// schemas, and every status the handler answers, each with the profile's
// error body. It also serves itself: GET /openapi.json.
func Document(p *cp.Profile, api API) ([]byte, error) {
	param := contacthttp.IDParam(api.Path)
	if param == "" {
		return nil, errors.New("openapi: the path has no {id} wildcard")
	}
	path := strings.TrimSuffix(api.Path, "{$}")
	version := api.Version
	if version == "" {
		version = "1.0.0"
	}
	errorSchema := ErrorSchema(p)
	ct, _ := p.RenderError(sampleProblem())
	refusal := func(desc string) map[string]any {
		return map[string]any{"description": desc, "content": map[string]any{ct: map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}}
	}
	ok := map[string]any{"description": "The contact, as the API renders it",
		"headers": map[string]any{"ETag": map[string]any{"description": "The contact's entity tag, for If-Match",
			"schema": map[string]any{"type": "string"}}},
		"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Contact"}}}}
	common := map[string]any{
		"401": refusal("No key, or an unknown one"),
		"404": refusal("No such contact, or no such route"),
		"405": refusal("Another method than GET or PATCH"),
		"412": refusal("If-Match names another version"),
		"429": refusal("Too many requests, or too many failed authentications; see Retry-After"),
		"500": refusal("The server failed; nothing was written"),
	}
	patchResponses := map[string]any{"200": withExamples(ok, api.Examples, 200),
		"400": withExamples(refusal("Every invalid field, each with its JSON Pointer and code"), api.Examples, 400),
		"403": refusal("The key may only read"),
		"409": withExamples(refusal("A unique value another contact holds, or an Idempotency-Key whose first request is in flight"), api.Examples, 409),
		"422": refusal("An Idempotency-Key already used for another request"),
		"413": refusal("A body over the size limit"),
		"415": refusal("Not application/json or application/merge-patch+json in UTF-8, or a content coding")}
	getResponses := map[string]any{"200": ok, "304": map[string]any{"description": "If-None-Match names the current version"}}
	for code, r := range common {
		patchResponses[code] = r
		getResponses[code] = r
	}
	body := map[string]any{"$ref": "#/components/schemas/PatchBody"}
	patchBody := map[string]any{"required": true, "content": map[string]any{
		"application/json":             withRequestExamples(map[string]any{"schema": body}, api.Examples),
		"application/merge-patch+json": map[string]any{"schema": body},
	}}
	idParam := map[string]any{"name": param, "in": "path", "required": true, "schema": map[string]any{"type": "string"}}
	conditional := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "header", "required": false, "description": desc, "schema": map[string]any{"type": "string"}}
	}
	getParams := []any{conditional("If-Match", "412 unless the contact has this ETag"),
		conditional("If-None-Match", "304 when the contact still has this ETag")}
	list := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "query", "required": false, "description": desc, "explode": false,
			"schema": map[string]any{"type": "array", "items": map[string]any{"type": "string"}}}
	}
	if api.FieldsParam != "" {
		getParams = append(getParams, list(api.FieldsParam, "Answer only these fields, and those always returned; unknown names are ignored"))
	}
	if api.HistoryParam != "" {
		getParams = append(getParams, list(api.HistoryParam, "Add each named field's values from its change history, newest first"))
	}
	scheme := map[string]any{"type": "http", "scheme": "bearer"}
	if !api.Auth.Bearer {
		scheme = map[string]any{"type": "apiKey", "in": "header", "name": api.Auth.Header}
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info":    map[string]any{"title": api.Title, "version": version, "description": api.Description},
		"paths": map[string]any{
			path: map[string]any{
				"parameters": []any{idParam},
				"patch": map[string]any{"operationId": "updateContact", "summary": "Update a contact: only the fields sent change",
					"parameters": []any{conditional("If-Match", "Refuse the write (412) unless the contact still has this ETag"),
						conditional("Idempotency-Key", "Answer a retry with this key and body from the first answer, writing nothing; another body under it is 422, a retry while the first is in flight 409")},
					"requestBody": patchBody, "responses": patchResponses},
				"get": map[string]any{"operationId": "getContact", "summary": "Read a contact",
					"parameters": getParams, "responses": getResponses},
			},
		},
		"components": map[string]any{
			"schemas": map[string]any{
				"PatchBody": strip(BodySchema(p)),
				"Contact":   strip(ResponseSchema(p)),
				"Error":     errorSchema,
			},
			"securitySchemes": map[string]any{"apiKey": scheme},
		},
		"security": []any{map[string]any{"apiKey": []any{}}},
	}
	paths := doc["paths"].(map[string]any)
	idempotent := conditional("Idempotency-Key", "Answer a retry with this key from the first answer, writing nothing")
	if api.Delete {
		item := paths[path].(map[string]any)
		item["delete"] = map[string]any{"operationId": "deleteContact", "summary": "Delete a contact",
			"parameters": []any{conditional("If-Match", "Refuse (412) unless the contact still has this ETag"), idempotent},
			"responses":  merged(common, map[string]any{"204": map[string]any{"description": "Done"}, "403": refusal("The key may only read")})}
	}
	if collection := collectionOf(path, param); api.Create && collection != "" {
		created := map[string]any{"description": "The new contact, as the API renders it", "headers": map[string]any{
			"Location": map[string]any{"description": "The new contact's path", "schema": map[string]any{"type": "string"}},
			"ETag":     map[string]any{"description": "The contact's entity tag", "schema": map[string]any{"type": "string"}}},
			"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Contact"}}}}
		paths[collection] = map[string]any{"post": map[string]any{"operationId": "createContact",
			"summary": "Create a contact, checked with every policy", "parameters": []any{idempotent},
			"requestBody": map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": body}}},
			"responses": merged(common, map[string]any{"201": created, "400": refusal("Every invalid field, each with its JSON Pointer and code"),
				"403": refusal("The key may only read"), "409": refusal("A unique value another contact holds"),
				"413": refusal("A body over the size limit"), "415": refusal("Not application/json in UTF-8"),
				"422": refusal("An Idempotency-Key already used for another request")})}}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// strip leaves out what a schema inside an OpenAPI document takes from
// the document ($schema).
func strip(s map[string]any) map[string]any {
	delete(s, "$schema")
	return s
}

func withExamples(r map[string]any, examples []Example, status int) map[string]any {
	ex := map[string]any{}
	for i, e := range examples {
		if e.Status == status {
			ex["example"+strconv.Itoa(i+1)] = map[string]any{"summary": e.Summary, "value": e.Response}
		}
	}
	if len(ex) > 0 {
		for _, c := range r["content"].(map[string]any) {
			c.(map[string]any)["examples"] = ex
		}
	}
	return r
}

func withRequestExamples(media map[string]any, examples []Example) map[string]any {
	ex := map[string]any{}
	for i, e := range examples {
		ex["example"+strconv.Itoa(i+1)] = map[string]any{"summary": e.Summary, "value": e.Request}
	}
	if len(ex) > 0 {
		media["examples"] = ex
	}
	return media
}

// sampleProblem is a refusal with every part an error view may write.
func sampleProblem() cp.Problem {
	return cp.Problem{Status: http.StatusBadRequest, Code: "validation_error", Message: "Invalid request parameters",
		Instance: "/contacts/c1", CorrelationID: "3f0c8a52-0000-4000-8000-000000000000",
		Fields: []cp.FieldError{
			{Field: "email", Pointer: "/email", Code: cp.CodeInvalidFormat, Message: "Invalid email format"},
			{Field: "status", Pointer: "/status", Code: cp.CodeInvalidEnum, Message: "Must be one of: a, b", Allowed: []string{"a", "b"}},
			{Field: "job_title", Pointer: "/job_title", Code: cp.CodeTooLong, Message: "Must be at most 256 characters", Limit: 256},
		}}
}

// ErrorSchema returns the JSON Schema of the profile's error bodies,
// read off what its error view writes for a refusal with every part: the
// keys every refusal carries are required, those of field errors and
// parameters optional.
func ErrorSchema(p *cp.Profile) map[string]any {
	_, full := p.RenderError(sampleProblem())
	_, bare := p.RenderError(cp.ProblemOf(cp.ErrNotFound))
	var a, b any
	json.Unmarshal(full, &a)
	json.Unmarshal(bare, &b)
	return inferSchema(a, b)
}

// inferSchema is the schema of a JSON value v: objects with the keys of
// v, those also in always required.
func inferSchema(v, always any) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		props := map[string]any{}
		var required []string
		other, _ := always.(map[string]any)
		for k, x := range t {
			props[k] = inferSchema(x, other[k])
			if _, ok := other[k]; ok {
				required = append(required, k)
			}
		}
		out := map[string]any{"type": "object", "properties": props}
		if required != nil {
			slices.Sort(required)
			out["required"] = required
		}
		return out
	case []any:
		var items map[string]any
		for _, x := range t {
			if items == nil {
				items = inferSchema(x, nil)
			} else {
				mergeProps(items, inferSchema(x, nil))
			}
		}
		return map[string]any{"type": "array", "items": items}
	case string:
		return map[string]any{"type": "string"}
	case float64:
		return map[string]any{"type": "number"}
	case bool:
		return map[string]any{"type": "boolean"}
	}
	return map[string]any{}
}

// mergeProps adds to an object schema the properties of another.
func mergeProps(into, from map[string]any) {
	ip, _ := into["properties"].(map[string]any)
	fp, _ := from["properties"].(map[string]any)
	for k, v := range fp {
		if _, ok := ip[k]; !ok && ip != nil {
			ip[k] = v
		}
	}
}

// merged is the responses of both maps, the second's winning.
func merged(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// collectionOf is the path of the collection a contact's path is in.
func collectionOf(path, param string) string {
	if i := strings.LastIndex(path, "/{"+param+"}"); i > 0 {
		return path[:i]
	}
	return ""
}
