package sqlstore_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// T1: a database written before tenants existed (schema version 1, its
// rows written with that build's statements) opens with this build,
// keeps every contact and unique key, and serves them as the default
// tenant; other tenants start empty and may hold the same values.
func TestSingleTenantDatabaseUpgradesInPlace(t *testing.T) {
	ctx := context.Background()
	prof := profiles.Gomry()
	for name, db := range fresh {
		t.Run(name, func(t *testing.T) {
			dsn, raw := db(t)
			old, err := sqlstore.OpenAt(ctx, dsn, nil, 1)
			require.NoError(t, err)
			old.Close()
			ada := cp.Contact{ID: "c1", FullName: cp.Value("Ada Lovelace"), Email: cp.Value("ada@example.com"), Version: 3}
			body, err := json.Marshal(ada)
			require.NoError(t, err)
			// The statements of the single-tenant build.
			for _, stmt := range []struct {
				q    string
				args []any
			}{
				{"INSERT INTO contacts (id, version, body, email) VALUES ($1, $2, $3, $4)", []any{"c1", 3, string(body), "ada@example.com"}},
				{"INSERT INTO contact_keys (field, value, contact_id) VALUES ($1, $2, $3)", []any{"email", "ada@example.com", "c1"}},
			} {
				q := stmt.q
				if name == "sqlite" {
					q = rebind(q)
				}
				_, err := raw.ExecContext(ctx, q, stmt.args...)
				require.NoError(t, err, q)
			}

			s := open(t, dsn)
			got, err := s.Get(ctx, cp.DefaultTenant, "c1")
			require.NoError(t, err)
			assert.Equal(t, ada, got)
			owner, err := s.EmailOwner(ctx, cp.DefaultTenant, "ADA@example.com")
			require.NoError(t, err)
			assert.Equal(t, "c1", owner)
			_, err = s.Get(ctx, "org_b", "c1")
			assert.ErrorIs(t, err, cp.ErrNotFound, "another tenant does not see it")

			// The unique key came along: a second contact of the default
			// tenant cannot take the email; one of another tenant can.
			err = prof.Insert(ctx, s, cp.DefaultTenant, cp.Contact{ID: "c2", Email: cp.Value("ada@example.com")})
			assert.ErrorIs(t, err, cp.ErrConflict)
			require.NoError(t, prof.Insert(ctx, s, "org_b", cp.Contact{ID: "c1", Email: cp.Value("ada@example.com")}))
			var version int
			require.NoError(t, raw.QueryRowContext(ctx, "SELECT max(version) FROM contactpatch_migrations").Scan(&version))
			assert.Equal(t, sqlstore.SchemaVersions, version)
		})
	}
}

// Every migration file has the tables' shape after it recorded.
func TestEveryMigrationHasItsShape(t *testing.T) {
	files, err := fs.Glob(os.DirFS("migrations"), "*.sql")
	require.NoError(t, err)
	assert.Len(t, files, sqlstore.SchemaVersions)
}

// rebind writes $1, $2 as SQLite's ?1, ?2.
func rebind(q string) string {
	out := []byte{}
	for i := 0; i < len(q); i++ {
		if q[i] == '$' {
			out = append(out, '?')
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}
