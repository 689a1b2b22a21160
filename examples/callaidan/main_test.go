package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/examples/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const maria = "/contacts/3c90c3cc-0d44-4b50-8888-8dd25736052a/"

func start(t *testing.T, cfg server.Config) *servertest.Server {
	return servertest.Start(t, api, sample, func(r *http.Request, key string) { r.Header.Set("Authorization", key) }, cfg)
}

// C1, C2, C6, C7, C9: one request exercising the document's rules; the
// response is the bare object.
func TestDocumentRules(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, maria, `{"full_name": "Dr. María de la Cruz", "lead_source": "linkedin", "is_dnd": true,
		"custom_fields": {"plan": "gold", "color": "red"}, "tags": ["vip"], "business_name": "Cruz & Co"}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Equal(t, `{"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a","name":"Dr. María de la Cruz","email":"maria@example.com",`+
		`"phone":"555 0100","business_name":"Cruz & Co","notes":null,"tags":["vip"],"lead_source":"manual","is_dnd":true,`+
		`"profile_picture_url":null,"last_activity":"2023-11-07T05:31:56Z","created_at":"2023-11-07T05:31:56Z"}`, r.Body)
}

// C3, C4, C8: "" email is null, phone as provided, notes replace.
func TestEmailPhoneNotes(t *testing.T) {
	s := start(t, server.Config{})
	s.Do(http.MethodPatch, maria, `{"notes": "first"}`)
	r := s.Do(http.MethodPatch, maria, `{"email": "", "phone_number": " (555) 010-0200 ", "notes": "second"}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Contains(t, r.Body, `"email":null`)
	assert.Contains(t, r.Body, `"phone":" (555) 010-0200 "`)
	assert.Contains(t, r.Body, `"notes":"second"`)
}

// The route keeps the documented trailing slash: without it the server
// redirects to it with 307, which keeps a PATCH a PATCH with its body;
// more path is not found.
func TestRouteTrailingSlash(t *testing.T) {
	s := start(t, server.Config{})
	rec := httptest.NewRecorder()
	s.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, maria[:len(maria)-1], nil))
	assert.Equal(t, http.StatusTemporaryRedirect, rec.Code)
	assert.Equal(t, maria, rec.Header().Get("Location"))
	assert.Equal(t, 404, s.Do(http.MethodGet, maria+"extra", "").Status)
}

func TestStatuses(t *testing.T) {
	s := start(t, server.Config{})
	servertest.Statuses(t, s, maria, "/contacts/00000000-0000-0000-0000-000000000000/", `{"notes": "hi"}`, "Authorization")
}

// Failed authentications are limited per client address.
func TestAuthFailuresAreLimited(t *testing.T) {
	servertest.AuthFailures(t, start(t, server.Config{}), maria, "Authorization")
}

func TestRateLimit(t *testing.T) {
	servertest.RateLimit(t, start(t, server.Config{Rate: 1, Burst: 1}), maria, 1)
}

// T4, C7: custom-field names are per tenant: each tenant's seed names
// its own, and a name one tenant defines is dropped for another.
func TestCustomFieldsPerTenant(t *testing.T) {
	sampleData, err := sample.ReadFile("sample.json")
	require.NoError(t, err)
	other := strings.Replace(string(sampleData), `"custom_fields": ["plan", "seats"]`, `"custom_fields": ["region"]`, 1)
	require.NotEqual(t, string(sampleData), other)
	keys := []contacthttp.APIKey{{Secret: "key-b", Tenant: "org_b", Scopes: contacthttp.ScopeWrite}}
	s := servertest.StartSeeded(t, api, server.Seeds{cp.DefaultTenant: sampleData, "org_b": []byte(other)},
		func(r *http.Request, key string) { r.Header.Set("Authorization", key) }, server.Config{Keys: keys})
	body := `{"custom_fields": {"plan": "gold", "region": "emea"}}`
	a := s.Do(http.MethodPatch, maria, body)
	require.Equal(t, 200, a.Status, a.Body)
	b := s.Do(http.MethodPatch, maria, body, "Authorization", "key-b")
	require.Equal(t, 200, b.Status, b.Body)
	custom := func(tenant string) map[string]json.RawMessage {
		c, err := s.Store.Get(context.Background(), tenant, "3c90c3cc-0d44-4b50-8888-8dd25736052a")
		require.NoError(t, err)
		return c.CustomFields
	}
	assert.Equal(t, map[string]json.RawMessage{"plan": json.RawMessage(`"gold"`)}, custom(cp.DefaultTenant), "the default tenant defines no region")
	assert.Equal(t, map[string]json.RawMessage{"region": json.RawMessage(`"emea"`)}, custom("org_b"), "org_b defines no plan")
}
