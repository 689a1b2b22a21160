package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/examples/internal/servertest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ana = "/crm/v3/objects/contacts/101"

func start(t *testing.T, cfg server.Config) *servertest.Server {
	return servertest.Start(t, api, sample, func(r *http.Request, key string) {
		r.Header.Set("Authorization", "Bearer "+key)
	}, cfg)
}

// hubspotError is HubSpot's error body (rule H7).
type hubspotError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	CorrelationID string `json:"correlationId"`
	Category      string `json:"category"`
	Errors        []struct {
		Message string `json:"message"`
		Code    string `json:"code"`
		In      string `json:"in"`
		Context struct {
			PropertyName []string `json:"propertyName"`
		} `json:"context"`
	} `json:"errors"`
}

// refused checks a refusal in HubSpot's shape and returns it.
func refused(t *testing.T, r servertest.Response, status int, category string) hubspotError {
	t.Helper()
	require.Equal(t, status, r.Status, r.Body)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var e hubspotError
	require.NoError(t, json.Unmarshal([]byte(r.Body), &e), r.Body)
	assert.Equal(t, "error", e.Status)
	assert.Equal(t, category, e.Category)
	assert.Equal(t, r.Header.Get("X-Request-Id"), e.CorrelationID, "the correlation id is the request's")
	assert.NotEmpty(t, e.CorrelationID)
	return e
}

// H1, H2, H6: the sent properties overwrite, "" clears, and the response
// has HubSpot's shape with every value a string.
func TestUpdate(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, ana, `{"properties": {"jobtitle": "VP of Sales", "lifecyclestage": "customer",
		"website": "", "seat_count": 30, "newsletter_opt_in": "true", "product_interests": ["crm", "billing"]}}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Equal(t, `{"id":"101","properties":{"company":"Northwind Traders","createdate":"2026-01-05T09:30:00.000Z",`+
		`"email":"ana.silva@example.com","firstname":"Ana","hs_lead_status":"OPEN","hs_object_id":"101",`+
		`"integration_metadata":null,"jobtitle":"VP of Sales","last_demo_at":null,"lastmodifieddate":"2026-02-24T15:00:00.000Z",`+
		`"lastname":"Silva","lifecyclestage":"customer","newsletter_opt_in":"true","phone":"+1 (555) 010-2030",`+
		`"product_interests":"crm;billing","renewal_date":null,"seat_count":"30","twitterhandle":null,"website":null},`+
		`"createdAt":"2026-01-05T09:30:00.000Z","updatedAt":"2026-02-24T15:00:00.000Z","archived":false}`, r.Body)
	assert.Equal(t, r.Body, s.Do(http.MethodGet, ana, "").Body, "GET returns what PATCH stored")
}

// H3, H4, H5, H7: unknown, read-only and invalid properties, and bodies
// without a properties object, are 400s in HubSpot's shape naming the
// property, and nothing is stored.
func TestRefusals(t *testing.T) {
	s := start(t, server.Config{})
	before := s.Do(http.MethodGet, ana, "").Body
	e := refused(t, s.Do(http.MethodPatch, ana, `{"properties": {"favorite_color": "blue", "firstname": "Anna"}}`), 400, "VALIDATION_ERROR")
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "PROPERTY_DOESNT_EXIST", e.Errors[0].Code)
	assert.Equal(t, []string{"favorite_color"}, e.Errors[0].Context.PropertyName)
	assert.Equal(t, "/properties/favorite_color", e.Errors[0].In)

	e = refused(t, s.Do(http.MethodPatch, ana, `{"properties": {"lifecyclestage": "champion"}}`), 400, "VALIDATION_ERROR")
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "INVALID_OPTION", e.Errors[0].Code)
	assert.Equal(t, []string{"lifecyclestage"}, e.Errors[0].Context.PropertyName)

	e = refused(t, s.Do(http.MethodPatch, ana, `{"properties": {"hs_object_id": "7", "seat_count": "many"}}`), 400, "VALIDATION_ERROR")
	require.Len(t, e.Errors, 2)
	assert.Equal(t, "READ_ONLY_VALUE", e.Errors[0].Code)
	assert.Equal(t, "INVALID_FORMAT", e.Errors[1].Code)

	for _, body := range []string{`{}`, `{"firstname": "Anna"}`, `{"properties": "firstname=Anna"}`, `{"properties": null}`} {
		e = refused(t, s.Do(http.MethodPatch, ana, body), 400, "VALIDATION_ERROR")
		require.NotEmpty(t, e.Errors, body)
		assert.Contains(t, []string{"/properties", "/firstname"}, e.Errors[0].In, body)
	}
	assert.Equal(t, before, s.Do(http.MethodGet, ana, "").Body, "a refused patch stored nothing")
}

// H7, R15: the other refusals are in HubSpot's shape with its categories.
func TestStatuses(t *testing.T) {
	s := start(t, server.Config{})
	refused(t, s.Do(http.MethodPatch, ana, `{"properties":{}}`, "Authorization", ""), 401, "INVALID_AUTHENTICATION")
	refused(t, s.Do(http.MethodGet, "/crm/v3/objects/contacts/999", ""), 404, "OBJECT_NOT_FOUND")
	refused(t, s.Do(http.MethodGet, "/crm/v3/objects/companies/1", ""), 404, "OBJECT_NOT_FOUND")
	refused(t, s.Do(http.MethodPut, ana, ""), 405, "VALIDATION_ERROR")
	refused(t, s.Do(http.MethodPatch, ana, `{}`, "Content-Type", "text/plain"), 415, "VALIDATION_ERROR")
	refused(t, s.Do(http.MethodPatch, ana, `{"properties":{"x":"`+strings.Repeat("a", 1<<20)+`"}}`), 413, "VALIDATION_ERROR")
	refused(t, s.Do(http.MethodPatch, ana, `{"properties":{}}`, "If-Match", `"v999"`), 412, "VALIDATION_ERROR")
	e := refused(t, s.Do(http.MethodPatch, ana, `{"properties":{"email":"LI.WEI@example.com"}}`), 409, "CONFLICT")
	require.Len(t, e.Errors, 1)
	assert.Equal(t, "/properties/email", e.Errors[0].In)
}

// H8: ?idProperty=email addresses a contact by its email, in any case.
func TestIDProperty(t *testing.T) {
	s := start(t, server.Config{})
	r := s.Do(http.MethodPatch, "/crm/v3/objects/contacts/Ana.Silva@example.com?idProperty=email", `{"properties":{"firstname":"Anna"}}`)
	require.Equal(t, 200, r.Status, r.Body)
	assert.Contains(t, r.Body, `"firstname":"Anna"`)
	assert.Contains(t, s.Do(http.MethodGet, ana, "").Body, `"firstname":"Anna"`)
	refused(t, s.Do(http.MethodGet, "/crm/v3/objects/contacts/nobody@example.com?idProperty=email", ""), 404, "OBJECT_NOT_FOUND")
	e := refused(t, s.Do(http.MethodGet, "/crm/v3/objects/contacts/x?idProperty=phone", ""), 400, "VALIDATION_ERROR")
	assert.Empty(t, e.Errors)
	assert.Equal(t, 200, s.Do(http.MethodGet, "/crm/v3/objects/contacts/101?idProperty=hs_object_id", "").Status)
}

// H14: every answer a key's rate limit measured carries HubSpot's
// X-HubSpot-RateLimit-* headers, and a 429 the policyName and errorType
// that HubSpot's own client libraries look for before they retry.
func TestRateLimitAsHubSpotAnnouncesIt(t *testing.T) {
	s := start(t, server.Config{Rate: 1, Burst: 2})
	for _, remaining := range []string{"1", "0"} {
		r := s.Do(http.MethodGet, ana, "")
		require.Equal(t, 200, r.Status, r.Body)
		assert.Equal(t, "2", r.Header.Get("X-HubSpot-RateLimit-Max"))
		assert.Equal(t, remaining, r.Header.Get("X-HubSpot-RateLimit-Remaining"))
		assert.Equal(t, "2000", r.Header.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	}
	r := s.Do(http.MethodGet, ana, "")
	refused(t, r, 429, "RATE_LIMITS")
	assert.Equal(t, "0", r.Header.Get("X-HubSpot-RateLimit-Remaining"))
	assert.NotEmpty(t, r.Header.Get("Retry-After"))
	var body struct{ Message, ErrorType, PolicyName string }
	require.NoError(t, json.Unmarshal([]byte(r.Body), &body))
	assert.Equal(t, "TEN_SECONDLY_ROLLING", body.PolicyName)
	assert.Equal(t, "RATE_LIMIT", body.ErrorType)
	assert.Equal(t, "You have reached your ten_secondly_rolling limit.", body.Message)
}

func TestAuthFailuresAreLimited(t *testing.T) {
	s := start(t, server.Config{})
	for range 20 {
		require.Equal(t, 401, s.Do(http.MethodGet, ana, "", "Authorization", "Bearer wrong").Status)
	}
	refused(t, s.Do(http.MethodGet, ana, "", "Authorization", "Bearer wrong"), 429, "RATE_LIMITS")
}

// T3, H8: idProperty=email looks only inside the caller's tenant: org_b
// holds ana's email under another id, and neither tenant reaches the
// other's contact through it.
func TestIDPropertyEmailStaysInTheTenant(t *testing.T) {
	data, err := sample.ReadFile("sample.json")
	require.NoError(t, err)
	other := strings.ReplaceAll(string(data), `"101"`, `"901"`)
	other = strings.ReplaceAll(other, `"li.wei@example.com"`, `"only.b@example.com"`)
	keys := []contacthttp.APIKey{{Secret: "key-b", Tenant: "org_b", Scopes: contacthttp.ScopeWrite}}
	s := servertest.StartSeeded(t, api, server.Seeds{cp.DefaultTenant: data, "org_b": []byte(other)},
		func(r *http.Request, key string) { r.Header.Set("Authorization", "Bearer "+key) }, server.Config{Keys: keys})
	path := "/crm/v3/objects/contacts/ana.silva@example.com?idProperty=email"
	assert.Contains(t, s.Do(http.MethodGet, path, "").Body, `"id":"101"`)
	assert.Contains(t, s.Do(http.MethodGet, path, "", "Authorization", "Bearer key-b").Body, `"id":"901"`)
	missing := s.Do(http.MethodGet, "/crm/v3/objects/contacts/only.b@example.com?idProperty=email", "")
	assert.Equal(t, 404, missing.Status, "the default tenant does not reach org_b's email: %s", missing.Body)
}
