package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/sqlstore/pgtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A seed of one tenant: a contact whose id and email the other tenant's
// seed uses too, and one more.
func tenantSeed(name, other string) string {
	return `{"contacts": [
		{"data": {"id": "SameIdInBothTenants1", "first_name": "` + name + `", "last_name": "Doe", "email": "same@example.com", "phone_number": "+1234567890", "status": "active", "tags": []}},
		{"data": {"id": "` + other + `", "first_name": "Other", "last_name": "Doe", "email": "` + strings.ToLower(name) + `@example.com", "phone_number": "+1234567890", "status": "active", "tags": []}}
	]}`
}

// T1-T3, the reference server with -keys and -seed TENANT=FILE, over
// memory, SQLite and PostgreSQL: both tenants hold a contact with one id
// and one email; each key sees its tenant's alone; org_a's key gets, for
// org_b's contact, the bytes of an unknown id; a second contact of org_b
// cannot take org_b's email, while org_a may take an email only org_b
// holds.
func TestTenantsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	keysFile := filepath.Join(dir, "keys.json")
	require.NoError(t, os.WriteFile(keysFile, []byte(`[
		{"key": "key-of-a", "tenant": "org_a", "scopes": ["read", "write"]},
		{"key": "key-of-b", "tenant": "org_b", "scopes": ["read", "write"]}]`), 0o600))
	keys, err := server.ReadKeys(keysFile)
	require.NoError(t, err)
	seeds := server.Seeds{"org_a": []byte(tenantSeed("Ann", "OnlyInTenantA0000001")), "org_b": []byte(tenantSeed("Bea", "OnlyInTenantB0000001"))}

	dsns := map[string]func(t *testing.T) string{
		"memory": func(*testing.T) string { return "" },
		"sqlite": func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "c.db") },
		"postgres": func(t *testing.T) string {
			pg, err := pgtest.Start()
			if err != nil && os.Getenv("CI") == "" && os.Getenv("CONTACTPATCH_POSTGRES") == "skip" {
				t.Skip(err)
			}
			require.NoError(t, err, "set CONTACTPATCH_POSTGRES=skip to run without PostgreSQL (never in CI)")
			t.Cleanup(pg.Stop)
			url, err := pg.Database("tenants")
			require.NoError(t, err)
			return url
		},
	}
	for name, dsn := range dsns {
		t.Run(name, func(t *testing.T) {
			store, custom, closeStore, err := server.OpenStore(context.Background(), dsn(t), nil, api.Profile, seeds)
			require.NoError(t, err)
			t.Cleanup(closeStore)
			h, err := server.New(server.Config{API: api, Store: store, CustomFields: custom, Keys: keys})
			require.NoError(t, err)
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			do := func(key, method, id, body string) (int, string) {
				req, err := http.NewRequest(method, ts.URL+"/api/v1/contacts/"+id, strings.NewReader(body))
				require.NoError(t, err)
				req.Header.Set("X-API-KEY", key)
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, resp.Header.Get("Content-Type") + " " + string(b)
			}
			status, a := do("key-of-a", http.MethodGet, "SameIdInBothTenants1", "")
			require.Equal(t, 200, status, a)
			assert.Contains(t, a, `"first_name":"Ann"`)
			assert.Contains(t, a, `"email":"same@example.com"`)
			status, b := do("key-of-b", http.MethodGet, "SameIdInBothTenants1", "")
			require.Equal(t, 200, status, b)
			assert.Contains(t, b, `"first_name":"Bea"`)
			assert.Contains(t, b, `"email":"same@example.com"`)

			for _, method := range []string{http.MethodGet, http.MethodPatch} {
				s1, other := do("key-of-a", method, "OnlyInTenantB0000001", `{"job_title": "x"}`)
				s2, unknown := do("key-of-a", method, "NoSuchContact0000001", `{"job_title": "x"}`)
				assert.Equal(t, 404, s1, method)
				assert.Equal(t, s2, s1, method)
				assert.Equal(t, unknown, other, method)
			}

			status, conflict := do("key-of-b", http.MethodPatch, "OnlyInTenantB0000001", `{"email": "same@example.com"}`)
			assert.Equal(t, 409, status, conflict)
			assert.NotContains(t, conflict, "SameIdInBothTenants1")
			status, took := do("key-of-a", http.MethodPatch, "SameIdInBothTenants1", `{"email": "bea@example.com"}`)
			assert.Equal(t, 200, status, "org_a may take an email only org_b holds: %s", took)
		})
	}
}
