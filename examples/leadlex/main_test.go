package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/examples/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const jane = "/functions/v1/api-gateway/v1/contacts/123e4567-e89b-12d3-a456-426614174000"

func start(t *testing.T, cfg server.Config) *servertest.Server {
	return servertest.Start(t, api, sample, func(r *http.Request, key string) {
		r.Header.Set("Authorization", "Bearer "+key)
	}, cfg)
}

// L1, L3, L6: the document's request gets the document's response.
func TestDocumentExample(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"job_title": "Chief Legal Officer", "notes": "Promoted to CLO in Q1 2026"}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Equal(t, `{"data":{"id":"123e4567-e89b-12d3-a456-426614174000","full_name":"Jane Doe","email":"jane@example.com",`+
		`"job_title":"Chief Legal Officer","company_name":"Acme Legal",`+
		`"notes":"Met at conference. Interested in legal automation tools.\nPromoted to CLO in Q1 2026",`+
		`"updated_date":"2026-02-24T15:00:00Z"}}`, r.Body)
}

// L2, L7: the partial update on the document's short id and path.
func TestPartialUpdate(t *testing.T) {
	s := start(t, server.Config{})
	before := s.Do(http.MethodGet, "/v1/contacts/123e4567", "")
	r := s.Do(http.MethodPatch, "/v1/contacts/123e4567", `{"phone": "+1-555-9999"}`)
	require.Equal(t, 200, r.Status, r.Body)
	want := strings.NewReplacer(`"+1-555-0000"`, `"+1-555-9999"`, "2026-01-10T09:00:00Z", "2026-02-24T15:00:00Z").Replace(before.Body)
	assert.Equal(t, want, r.Body, "only the phone and the update time change")
}

// L1, L4, L7, L8: every field is writable, and every bad one is listed.
func TestFieldsAndValidation(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, jane, `{"full_name": "Jane Q. Doe", "email": "jq@example.com", "phone": "+44 20 7946 0958",
		"job_title": "CLO", "company_name": "Acme", "linkedin_url": "https://www.linkedin.com/in/jq", "notes": "x"}`)
	require.Equal(t, 200, r.Status, r.Body)
	for _, want := range []string{`"full_name":"Jane Q. Doe"`, `"email":"jq@example.com"`, `"phone":"+44 20 7946 0958"`,
		`"company_name":"Acme"`, `"linkedin_url":"https://www.linkedin.com/in/jq"`} {
		assert.Contains(t, r.Body, want)
	}
	bad := s.Do(http.MethodPatch, jane, `{"email": "nope", "phone": "555", "linkedin_url": "linkedin.com/in/x", "notes": null}`)
	assert.Equal(t, 400, bad.Status)
	assert.Equal(t, `{"error":{"code":"validation_error","message":"Invalid request parameters","details":{"fields":{`+
		`"email":"Invalid email format","phone":"Invalid phone format: use + and the country code",`+
		`"linkedin_url":"Invalid URL format: use an absolute http or https URL",`+
		`"notes":"Cannot be null: this field is append-only"}}}}`, bad.Body)
}

// L5 and the HTTP statuses every server shares.
func TestStatuses(t *testing.T) {
	s := start(t, server.Config{})
	servertest.Statuses(t, s, jane, "/functions/v1/api-gateway/v1/contacts/nope", `{"job_title": "CEO"}`, "Authorization")
}

// The scheme is case-insensitive (RFC 9110 §11.1), and an upper-case
// UUID names the same contact.
func TestBearerSchemeAndUUIDCase(t *testing.T) {
	s := start(t, server.Config{})
	lower := s.Do(http.MethodGet, jane, "", "Authorization", "bearer "+servertest.WriteKey)
	assert.Equal(t, 200, lower.Status, lower.Body)
	upper := s.Do(http.MethodGet, strings.ToUpper(jane[:len(jane)-36])+strings.ToUpper(jane[len(jane)-36:]), "")
	assert.Equal(t, 404, upper.Status, "the route is case-sensitive")
	upperID := s.Do(http.MethodGet, jane[:len(jane)-36]+strings.ToUpper(jane[len(jane)-36:]), "")
	assert.Equal(t, 200, upperID.Status, upperID.Body)
	assert.Equal(t, lower.Body, upperID.Body)
}

// Failed authentications are limited per client address.
func TestAuthFailuresAreLimited(t *testing.T) {
	servertest.AuthFailures(t, start(t, server.Config{}), jane, "Authorization")
}

func TestRateLimit(t *testing.T) {
	s := start(t, server.Config{Rate: 1, Burst: 3})
	servertest.RateLimit(t, s, jane, 3)
}

// R14: 8 clients append 100 notes each to one contact at once; all 800
// survive.
func TestConcurrentAppendsAllSurvive(t *testing.T) {
	s := start(t, server.Config{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				r := s.Do(http.MethodPatch, jane, fmt.Sprintf(`{"notes": "w%d-%d"}`, w, i))
				assert.Equal(t, 200, r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	var got struct{ Data struct{ Notes string } }
	final := s.Do(http.MethodGet, jane, "")
	require.NoError(t, json.Unmarshal([]byte(final.Body), &got))
	notes := map[string]bool{}
	for _, line := range strings.Split(got.Data.Notes, "\n") {
		notes[line] = true
	}
	lost := 0
	for w := range 8 {
		for i := range 100 {
			if !notes[fmt.Sprintf("w%d-%d", w, i)] {
				lost++
			}
		}
	}
	assert.Zero(t, lost, "lost appends")
	assert.Len(t, notes, 801, "the 800 appends and the original notes")
	assert.Equal(t, `"v800"`, s.Do(http.MethodGet, jane, "").Header.Get("ETag"))
}
