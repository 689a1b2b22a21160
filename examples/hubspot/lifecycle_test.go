package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const contacts = "/crm/v3/objects/contacts"

// batchAnswer is HubSpot's batch response (rule H16).
type batchAnswer struct {
	Status  string `json:"status"`
	Results []struct {
		ID         string            `json:"id"`
		New        *bool             `json:"new"`
		Properties map[string]string `json:"properties"`
		Archived   bool              `json:"archived"`
	} `json:"results"`
	NumErrors   int            `json:"numErrors"`
	Errors      []hubspotError `json:"errors"`
	StartedAt   string         `json:"startedAt"`
	CompletedAt string         `json:"completedAt"`
}

func decodeBatch(t *testing.T, body string) batchAnswer {
	t.Helper()
	var a batchAnswer
	require.NoError(t, json.Unmarshal([]byte(body), &a), body)
	assert.Equal(t, "COMPLETE", a.Status)
	assert.Equal(t, "2026-02-24T15:00:00.000Z", a.StartedAt)
	assert.Equal(t, "2026-02-24T15:00:00.000Z", a.CompletedAt)
	return a
}

// W1, H16: POST creates, 201 with Location and ETag; a held email is
// 409 naming the holder in HubSpot's words, and stores nothing.
func TestCreate(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPost, contacts, `{"properties": {"email": "Grace@Example.com", "firstname": "Grace", "lifecyclestage": "lead"}}`)
	require.Equal(t, 201, r.Status, r.Body)
	loc := r.Header.Get("Location")
	require.True(t, strings.HasPrefix(loc, contacts+"/"), loc)
	assert.Equal(t, `"v1"`, r.Header.Get("ETag"))
	assert.Contains(t, r.Body, `"email":"grace@example.com"`)
	assert.Contains(t, r.Body, `"createdAt":"2026-02-24T15:00:00.000Z"`)
	got := s.Do(http.MethodGet, loc, "")
	require.Equal(t, 200, got.Status, got.Body)
	assert.Equal(t, r.Body, got.Body)

	e := refused(t, s.Do(http.MethodPost, contacts, `{"properties": {"email": "LI.WEI@example.com"}}`), 409, "CONFLICT")
	assert.Equal(t, "Contact already exists. Existing ID: 102", e.Message)
	refused(t, s.Do(http.MethodPost, contacts, `{"properties": {"email": "not an email", "hs_object_id": "5"}}`), 400, "VALIDATION_ERROR")
	refused(t, s.Do(http.MethodPost, contacts, `{"properties": {"firstname": "X"}}`, "Authorization", "Bearer read_key"), 403, "MISSING_SCOPES")
	assert.Len(t, s.Store.(interface{ IDs(string) []string }).IDs("default"), 3, "only the good create stored a contact")
}

// W3, H12: DELETE archives: GET is then 404 unless ?archived=true, which
// shows archived and archivedAt; If-Match is honoured.
func TestDeleteArchives(t *testing.T) {
	s := start(t, server.Config{})
	refused(t, s.Do(http.MethodDelete, ana, "", "If-Match", `"v9"`), 412, "VALIDATION_ERROR")
	r := s.Do(http.MethodDelete, ana, "")
	require.Equal(t, 204, r.Status, r.Body)
	assert.Empty(t, r.Body)
	refused(t, s.Do(http.MethodGet, ana, ""), 404, "OBJECT_NOT_FOUND")
	refused(t, s.Do(http.MethodPatch, ana, `{"properties": {"firstname": "A"}}`), 404, "OBJECT_NOT_FOUND")
	shown := s.Do(http.MethodGet, ana+"?archived=true", "")
	require.Equal(t, 200, shown.Status, shown.Body)
	assert.Contains(t, shown.Body, `"archived":true,"archivedAt":"2026-02-24T15:00:00.000Z"`)
	assert.Contains(t, shown.Body, `"firstname":"Ana"`, "the data is kept")
	assert.Equal(t, 204, s.Do(http.MethodDelete, ana, "").Status, "archiving twice is no error")
	refused(t, s.Do(http.MethodDelete, contacts+"/999", ""), 404, "OBJECT_NOT_FOUND")
}

// W2, W4, H16: batch/upsert by email creates the new and patches the
// existing contact in one call.
func TestBatchUpsert(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPost, contacts+"/batch/upsert", `{"inputs": [
		{"idProperty": "email", "id": "Ana.Silva@example.com", "properties": {"jobtitle": "CEO"}},
		{"idProperty": "email", "id": "new@example.com", "properties": {"firstname": "Nova"}}]}`)
	require.Equal(t, 200, r.Status, r.Body)
	a := decodeBatch(t, r.Body)
	require.Len(t, a.Results, 2)
	assert.Equal(t, "101", a.Results[0].ID)
	assert.False(t, *a.Results[0].New)
	assert.Equal(t, "CEO", a.Results[0].Properties["jobtitle"])
	assert.True(t, *a.Results[1].New)
	assert.Equal(t, "new@example.com", a.Results[1].Properties["email"])
	assert.Contains(t, s.Do(http.MethodGet, contacts+"/"+a.Results[1].ID, "").Body, `"firstname":"Nova"`)

	e := refused(t, s.Do(http.MethodPost, contacts+"/batch/upsert", `{"inputs": [{"id": "x@example.com", "properties": {}}]}`), 400, "VALIDATION_ERROR")
	assert.Equal(t, "/inputs/0/idProperty", e.Errors[0].In)
	refused(t, s.Do(http.MethodPost, contacts+"/batch/upsert", `{"inputs": [{"idProperty": "firstname", "id": "Ana", "properties": {}}]}`), 400, "VALIDATION_ERROR")
}

// W4, H16: one bad input of a batch update answers 207 with its error,
// located in its input, and the others' results; it stores nothing.
func TestBatchUpdateWithABadInput(t *testing.T) {
	s := start(t, server.Config{})
	before := s.Do(http.MethodGet, contacts+"/102", "").Body
	r := s.Do(http.MethodPost, contacts+"/batch/update", `{"inputs": [
		{"id": "101", "properties": {"jobtitle": "CTO"}},
		{"id": "102", "properties": {"email": "not an email", "firstname": "Lee"}},
		{"id": "999", "properties": {"firstname": "Nobody"}}]}`)
	require.Equal(t, 207, r.Status, r.Body)
	a := decodeBatch(t, r.Body)
	require.Len(t, a.Results, 1)
	assert.Equal(t, "CTO", a.Results[0].Properties["jobtitle"])
	assert.Equal(t, 2, a.NumErrors)
	require.Len(t, a.Errors, 2)
	assert.Equal(t, "VALIDATION_ERROR", a.Errors[0].Category)
	assert.Equal(t, "/inputs/1/properties/email", a.Errors[0].Errors[0].In)
	assert.Equal(t, "OBJECT_NOT_FOUND", a.Errors[1].Category)
	assert.Equal(t, before, s.Do(http.MethodGet, contacts+"/102", "").Body, "the refused input stored nothing")
	assert.Contains(t, s.Do(http.MethodGet, ana, "").Body, `"jobtitle":"CTO"`)
}

// W4, H16: batch read returns each found contact, archived ones only when
// asked; batch archive answers 204.
func TestBatchReadAndArchive(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPost, contacts+"/batch/archive", `{"inputs": [{"id": "102"}]}`)
	require.Equal(t, 204, r.Status, r.Body)
	r = s.Do(http.MethodPost, contacts+"/batch/read", `{"properties": ["email"], "inputs": [{"id": "101"}, {"id": "102"}]}`, "Authorization", "Bearer read_key")
	require.Equal(t, 207, r.Status, r.Body)
	a := decodeBatch(t, r.Body)
	require.Len(t, a.Results, 1)
	assert.Equal(t, "101", a.Results[0].ID)
	assert.Equal(t, "OBJECT_NOT_FOUND", a.Errors[0].Category)
	r = s.Do(http.MethodPost, contacts+"/batch/read?archived=true", `{"inputs": [{"id": "102"}]}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.True(t, decodeBatch(t, r.Body).Results[0].Archived)
	refused(t, s.Do(http.MethodPost, contacts+"/batch/archive", `{"inputs": [{"id": "101"}]}`, "Authorization", "Bearer read_key"), 403, "MISSING_SCOPES")
}

// H16: a batch read with idProperty=email finds each contact by its
// email as stored (case folded by the policy); a value no contact holds,
// or that is no email at all, is that input's 404.
func TestBatchReadByEmail(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPost, contacts+"/batch/read", `{"idProperty": "email", "properties": ["email"],
		"inputs": [{"id": "Ana.Silva@Example.com"}, {"id": "nobody@example.com"}, {"id": "not an email"}]}`)
	require.Equal(t, 207, r.Status, r.Body)
	a := decodeBatch(t, r.Body)
	require.Len(t, a.Results, 1, r.Body)
	assert.Equal(t, "101", a.Results[0].ID)
	assert.Equal(t, 2, a.NumErrors)
	r = s.Do(http.MethodPost, contacts+"/batch/read", `{"idProperty": "hs_object_id", "inputs": [{"id": "101"}]}`)
	require.Equal(t, 200, r.Status, r.Body)
	e := refused(t, s.Do(http.MethodPost, contacts+"/batch/read", `{"idProperty": "firstname", "inputs": [{"id": "Brian"}]}`), 400, "VALIDATION_ERROR")
	assert.Equal(t, "/inputs/0/idProperty", e.Errors[0].In)
}

// W4: a batch over the documented maximum, or not a batch at all, is a
// 400 naming where.
func TestBatchLimits(t *testing.T) {
	s := start(t, server.Config{})
	var in []string
	for i := range 101 {
		in = append(in, fmt.Sprintf(`{"id": "%d", "properties": {}}`, i))
	}
	e := refused(t, s.Do(http.MethodPost, contacts+"/batch/update", `{"inputs": [`+strings.Join(in, ",")+`]}`), 400, "VALIDATION_ERROR")
	assert.Equal(t, "/inputs", e.Errors[0].In)
	assert.Equal(t, "TOO_MANY", e.Errors[0].Code)
	for body, at := range map[string]string{`{}`: "/inputs", `{"inputs": {}}`: "/inputs", `{"inputs": [{"properties": {}}]}`: "/inputs/0/id",
		`{"inputs": [{"id": 7}]}`: "/inputs/0/id", `{"inputs": [`: "/inputs/0"} {
		e := refused(t, s.Do(http.MethodPost, contacts+"/batch/update", body), 400, "VALIDATION_ERROR")
		require.NotEmpty(t, e.Errors, body)
		assert.Equal(t, at, e.Errors[0].In, body)
	}
}
