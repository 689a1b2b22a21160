package main

import (
	"net/http"
	"testing"

	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/examples/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const jane = "/api/v1/contacts/AbCdEfGhIjKlMnOpQrSt"

func start(t *testing.T, cfg server.Config) *servertest.Server {
	return servertest.Start(t, api, sample, func(r *http.Request, key string) { r.Header.Set("X-API-KEY", key) }, cfg)
}

// G1, G5, G7, G8: the document's request gets the document's response
// shape, with every nullable field present.
func TestDocumentExample(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"first_name": "Janet", "job_title": "CTO", "tags": ["vip", "speaker"]}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Equal(t, `{"data":{"id":"AbCdEfGhIjKlMnOpQrSt","first_name":"Janet","last_name":"Doe","email":"jane@example.com",`+
		`"phone_number":"+1234567890","status":"active","job_title":"CTO","company":"Acme Inc","university":null,"gender":null,`+
		`"birthday":null,"location":"New York","linkedin":null,"instagram":null,"twitter":null,"github":null,"website":null,`+
		`"tags":["vip","speaker"],"created_at":"2025-03-01T00:00:00.000Z","updated_at":"2026-02-24T15:00:00.000Z"}}`, r.Body)
}

// G2: the document's organizationID example is refused and names the key.
func TestUnknownFieldRejected(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"first_name": "Janet", "organizationID": "org_1"}`)
	assert.Equal(t, 400, r.Status)
	assert.Equal(t, `{"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{"organizationID":"Unknown field"}}}}`, r.Body)
	assert.Contains(t, s.Do(http.MethodGet, jane, "").Body, `"first_name":"Jane"`, "nothing applied")
}

// G3: null clears nullable fields and is refused for the others.
func TestNulls(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"company": null, "location": null}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Contains(t, r.Body, `"company":null,`)
	assert.Contains(t, r.Body, `"location":null,`)
	bad := s.Do(http.MethodPatch, jane, `{"email": null, "tags": null, "status": null}`)
	assert.Equal(t, 400, bad.Status)
	assert.Contains(t, bad.Body, `"email":"Cannot be null"`)
	assert.Contains(t, bad.Body, `"tags":"Cannot be null"`)
	assert.Contains(t, bad.Body, `"status":"Cannot be null"`)
}

// G4: lower-cased, and 409 for another contact's address.
func TestEmail(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"email": "Janet.Doe@Example.COM"}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Contains(t, r.Body, `"email":"janet.doe@example.com"`)
	assert.Equal(t, 200, s.Do(http.MethodPatch, jane, `{"email": "JANET.DOE@example.com"}`).Status, "its own email")
	taken := s.Do(http.MethodPatch, jane, `{"email": "Taken@Example.com"}`)
	assert.Equal(t, 409, taken.Status)
	assert.Equal(t, `{"error":{"code":"conflict","message":"Conflict with another contact","details":{"fields":{"email":"Already used by another contact"}}}}`, taken.Body)
}

// G5, G6: tags replace; status is one of active, inactive.
func TestTagsAndStatus(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"tags": ["speaker"], "status": "inactive"}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Contains(t, r.Body, `"tags":["speaker"]`)
	assert.Contains(t, r.Body, `"status":"inactive"`)
	bad := s.Do(http.MethodPatch, jane, `{"status": "archived"}`)
	assert.Equal(t, 400, bad.Status)
	assert.Contains(t, bad.Body, `"status":"Must be one of: active, inactive"`)
}

func TestStatuses(t *testing.T) {
	s := start(t, server.Config{})
	servertest.Statuses(t, s, jane, "/api/v1/contacts/nope", `{"job_title": "CEO"}`, "X-API-KEY")
}

// Failed authentications are limited per client address.
func TestAuthFailuresAreLimited(t *testing.T) {
	servertest.AuthFailures(t, start(t, server.Config{}), jane, "X-API-KEY")
}

func TestRateLimit(t *testing.T) {
	servertest.RateLimit(t, start(t, server.Config{Rate: 1, Burst: 2}), jane, 2)
}
