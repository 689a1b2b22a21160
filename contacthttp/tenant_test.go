package contacthttp_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tenantKeys are a key of each of two tenants.
var tenantKeys = []contacthttp.APIKey{
	{Secret: "key-a", ID: "ka", Tenant: "org_a", Scopes: contacthttp.ScopeWrite},
	{Secret: "key-b", ID: "kb", Tenant: "org_b", Scopes: contacthttp.ScopeWrite},
}

// tenantHandler serves G's profile over store with the keys of both
// tenants, the email pre-check kept inside the caller's tenant.
func tenantHandler(t *testing.T, store *cp.MemoryStore, logs *bytes.Buffer) http.Handler {
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: tenantKeys})
	require.NoError(t, err)
	h := &contacthttp.Handler{Profile: profiles.Gomry(), Store: store, Auth: auth,
		Options: func(_ *http.Request, p contacthttp.Principal) cp.Options {
			return cp.Options{EmailOwner: cp.EmailOwnerIn(store, p.Tenant)}
		},
		RequestID: func(*http.Request) string { return "r1" }}
	if logs != nil {
		h.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	}
	return h.Mux("/contacts/{id}")
}

// seedTenants gives both tenants a contact c1 with one email, and org_b
// a contact b2 when withB2 is set.
func seedTenants(t *testing.T, withB2 bool) *cp.MemoryStore {
	store := new(cp.MemoryStore)
	ctx, prof := context.Background(), profiles.Gomry()
	for _, tenant := range []string{"org_a", "org_b"} {
		require.NoError(t, prof.Insert(ctx, store, tenant, cp.Contact{ID: "c1", Email: cp.Value("ada@example.com"), Version: 1}))
	}
	if withB2 {
		require.NoError(t, prof.Insert(ctx, store, "org_b", cp.Contact{ID: "b2", Email: cp.Value("bea@example.com"), Version: 1}))
	}
	return store
}

// T2: for org_a, org_b's contact is byte for byte a contact that does
// not exist, for GET and PATCH, with If-Match and If-None-Match alike.
func TestAnotherTenantsContactReadsAsMissing(t *testing.T) {
	requests := []struct {
		method, body string
		header       []string
	}{
		{http.MethodGet, "", nil},
		{http.MethodPatch, `{"first_name": "Eve"}`, nil},
		{http.MethodGet, "", []string{"If-Match", `"v1"`}},
		{http.MethodGet, "", []string{"If-None-Match", `"v1"`}},
		{http.MethodPatch, `{"first_name": "Eve"}`, []string{"If-Match", `"v1"`}},
		{http.MethodPatch, `{"email": "bea@example.com"}`, nil},
	}
	withB2 := tenantHandler(t, seedTenants(t, true), nil)
	without := tenantHandler(t, seedTenants(t, false), nil)
	for _, r := range requests {
		header := append([]string{"Authorization", "Bearer key-a"}, r.header...)
		there := do(t, withB2, r.method, "/contacts/b2", r.body, header...)
		absent := do(t, without, r.method, "/contacts/b2", r.body, header...)
		name := r.method + " " + strings.Join(r.header, ": ")
		assert.Equal(t, http.StatusNotFound, there.status, name)
		assert.Equal(t, absent.status, there.status, name)
		assert.Equal(t, absent.header, there.header, name)
		assert.Equal(t, absent.body, there.body, name)
	}
}

// T3: each tenant may hold one email; a second contact of the tenant
// gets 409, naming no contact; a tenant may take an email only another
// tenant holds. The log line says who called.
func TestUniquenessIsPerTenant(t *testing.T) {
	var logs bytes.Buffer
	store := seedTenants(t, true)
	mux := tenantHandler(t, store, &logs)
	a := do(t, mux, http.MethodPatch, "/contacts/b2", `{"email": "ada@example.com"}`, "Authorization", "Bearer key-b")
	assert.Equal(t, http.StatusConflict, a.status, a.body)
	assert.NotContains(t, a.body, "c1", "a 409 names no contact")
	a = do(t, mux, http.MethodPatch, "/contacts/c1", `{"email": "bea@example.com"}`, "Authorization", "Bearer key-a")
	assert.Equal(t, http.StatusOK, a.status, "org_a takes an email only org_b holds: %s", a.body)
	b2, err := store.Get(context.Background(), "org_b", "b2")
	require.NoError(t, err)
	assert.Equal(t, cp.Value("bea@example.com"), b2.Email, "org_b keeps its own")
	assert.Contains(t, logs.String(), `"tenant":"org_b","key_id":"kb"`)
	assert.Contains(t, logs.String(), `"tenant":"org_a","key_id":"ka"`)
	assert.NotContains(t, logs.String(), "key-a", "the key itself is never logged")
}

// T5: a read-only key may read but not write; a custom Auth that names
// no tenant reaches the default tenant.
func TestScopesAndTheDefaultTenant(t *testing.T) {
	store := new(cp.MemoryStore)
	require.NoError(t, cp.Default().Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	h := &contacthttp.Handler{Profile: cp.Default(), Store: store,
		Auth: func(r *http.Request) (contacthttp.Principal, error) {
			if r.Header.Get("X-Role") == "reader" {
				return contacthttp.Principal{Scopes: contacthttp.ScopeRead}, nil
			}
			return contacthttp.Principal{}, nil
		}}
	mux := h.Mux("/contacts/{id}")
	assert.Equal(t, 200, do(t, mux, http.MethodGet, "/contacts/c1", "", "X-Role", "reader").status)
	assert.Equal(t, 403, do(t, mux, http.MethodPatch, "/contacts/c1", `{}`, "X-Role", "reader").status)
	assert.Equal(t, 403, do(t, mux, http.MethodGet, "/contacts/c1", "").status, "no scope, no read")
}

// T5: KeyAuth refuses a configuration with two keys of one secret or a
// key without one, and finds a key among many.
func TestKeyAuthConfiguration(t *testing.T) {
	_, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: []contacthttp.APIKey{{Secret: "s", Tenant: "a"}, {Secret: "s", Tenant: "b"}}})
	assert.ErrorContains(t, err, "one secret")
	_, err = contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: []contacthttp.APIKey{{Tenant: "a"}}})
	assert.ErrorContains(t, err, "no secret")
	var many []contacthttp.APIKey
	for i := range 100 {
		many = append(many, contacthttp.APIKey{Secret: "secret-" + strings.Repeat("x", i), Tenant: "t", Scopes: contacthttp.ScopeRead})
	}
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: many})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Authorization", "Bearer secret-"+strings.Repeat("x", 57))
	p, err := auth(r)
	require.NoError(t, err)
	assert.Equal(t, "t", p.Tenant)
	assert.Len(t, p.KeyID, 12, "an unnamed key is named by its hash")
}

// T5: all the keys of one tenant share the tenant's rate.
func TestTenantRate(t *testing.T) {
	keys := []contacthttp.APIKey{
		{Secret: "a1", Tenant: "org_a", Scopes: contacthttp.ScopeRead},
		{Secret: "a2", Tenant: "org_a", Scopes: contacthttp.ScopeRead},
		{Secret: "b1", Tenant: "org_b", Scopes: contacthttp.ScopeRead},
	}
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: keys, TenantRate: 0.001, TenantBurst: 2})
	require.NoError(t, err)
	try := func(key string) int {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Authorization", "Bearer "+key)
		_, err := auth(r)
		return cp.HTTPStatus(err)
	}
	assert.Equal(t, []int{200, 200, 429, 200}, []int{try("a1"), try("a2"), try("a1"), try("b1")})
}
