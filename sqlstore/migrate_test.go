package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fresh returns the DSN of a new, empty database of each kind, and a
// plain connection to it for setting it up by hand.
var fresh = map[string]func(t *testing.T) (string, *sql.DB){
	"sqlite": func(t *testing.T) (string, *sql.DB) {
		path := filepath.Join(t.TempDir(), "c.db")
		db, err := sql.Open("sqlite", "file:"+path)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return "sqlite:" + path, db
	},
	"postgres": func(t *testing.T) (string, *sql.DB) {
		if pg == nil {
			t.Skip("no PostgreSQL server")
		}
		url, err := pg.Database("fresh")
		require.NoError(t, err)
		db, err := sql.Open("pgx", url)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return url, db
	},
}

// O4: 40 replicas starting together on a fresh database all start, and
// the seed is stored exactly once.
func TestReplicasStartingTogetherSeedOnce(t *testing.T) {
	seed := []cp.Contact{
		{ID: "a", Email: cp.Value("a@example.com"), Version: 1},
		{ID: "b", Email: cp.Value("b@example.com"), Version: 1},
	}
	prof := profiles.Gomry()
	for name, db := range fresh {
		t.Run(name, func(t *testing.T) {
			dsn, _ := db(t)
			var seeded atomic.Int64
			var wg sync.WaitGroup
			stores := make([]*sqlstore.Store, 40)
			for i := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := sqlstore.Open(context.Background(), dsn, &sqlstore.Options{MaxConns: 2})
					if !assert.NoError(t, err, "replica %d", i) {
						return
					}
					stores[i] = s
					did, err := s.Seed(context.Background(), cp.DefaultTenant, seed, prof.UniqueKeys)
					assert.NoError(t, err, "replica %d", i)
					if did {
						seeded.Add(1)
					}
				}()
			}
			wg.Wait()
			for _, s := range stores {
				if s != nil {
					defer s.Close()
				}
			}
			assert.Equal(t, int64(1), seeded.Load(), "replicas that seeded")
			require.NotNil(t, stores[0], "replica 0 did not open")
			n, err := stores[0].Count(context.Background(), cp.DefaultTenant)
			require.NoError(t, err)
			assert.Equal(t, len(seed), n)
		})
	}
}

// O4: a database migrated by a newer build is refused, not served.
func TestNewerSchemaIsRefused(t *testing.T) {
	for name, db := range fresh {
		t.Run(name, func(t *testing.T) {
			dsn, raw := db(t)
			s := openWith(t, dsn, nil)
			s.Close()
			_, err := raw.Exec(`INSERT INTO contactpatch_migrations (version) VALUES (99)`)
			require.NoError(t, err)
			_, err = sqlstore.Open(context.Background(), dsn, nil)
			assert.ErrorContains(t, err, "newer than this build knows")
		})
	}
}

// O4: tables of another shape under the store's names are refused with
// a clear message, whether the database is new to the store or says it
// was migrated.
func TestForeignTablesAreRefused(t *testing.T) {
	for name, db := range fresh {
		t.Run(name+"/fresh", func(t *testing.T) {
			dsn, raw := db(t)
			_, err := raw.Exec(`CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)`)
			require.NoError(t, err)
			_, err = sqlstore.Open(context.Background(), dsn, nil)
			assert.ErrorContains(t, err, "did not make")
		})
		t.Run(name+"/recorded", func(t *testing.T) {
			dsn, raw := db(t)
			for _, stmt := range []string{
				`CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)`,
				`CREATE TABLE contact_keys (field TEXT, value TEXT, contact_id TEXT)`,
				`CREATE TABLE contactpatch_migrations (version INTEGER PRIMARY KEY)`,
				`INSERT INTO contactpatch_migrations (version) VALUES (1)`,
			} {
				_, err := raw.Exec(stmt)
				require.NoError(t, err, stmt)
			}
			_, err := sqlstore.Open(context.Background(), dsn, nil)
			assert.ErrorContains(t, err, "not this store's")
		})
	}
}

// O4: a database of an earlier build, whose records were under
// "schema_migrations", is taken over with its data; golang-migrate's
// table of that name (which has a dirty column) is left alone.
func TestEarlierMigrationsTableIsTakenOver(t *testing.T) {
	for name, db := range fresh {
		t.Run(name, func(t *testing.T) {
			dsn, raw := db(t)
			for _, stmt := range []string{
				`CREATE TABLE contacts (id TEXT PRIMARY KEY, version BIGINT NOT NULL, body TEXT NOT NULL, email TEXT)`,
				`CREATE TABLE contact_keys (field TEXT NOT NULL, value TEXT NOT NULL, contact_id TEXT NOT NULL REFERENCES contacts (id), PRIMARY KEY (field, value))`,
				`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY)`,
				`INSERT INTO schema_migrations (version) VALUES (1)`,
				`INSERT INTO contacts (id, version, body, email) VALUES ('c1', 1, '{"id":"c1","version":1}', NULL)`,
			} {
				_, err := raw.Exec(stmt)
				require.NoError(t, err, stmt)
			}
			s := openWith(t, dsn, nil)
			got, err := s.Get(context.Background(), cp.DefaultTenant, "c1")
			require.NoError(t, err)
			assert.Equal(t, "c1", got.ID)
			var n int
			assert.Error(t, raw.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n), "the earlier table is gone")
		})
	}
	t.Run("golang-migrate", func(t *testing.T) {
		dsn, raw := fresh["sqlite"](t)
		_, err := raw.Exec(`CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, dirty BOOLEAN NOT NULL)`)
		require.NoError(t, err)
		_, err = raw.Exec(`INSERT INTO schema_migrations VALUES (7, false)`)
		require.NoError(t, err)
		openWith(t, dsn, nil)
		var v int
		require.NoError(t, raw.QueryRow(`SELECT version FROM schema_migrations`).Scan(&v))
		assert.Equal(t, 7, v, "golang-migrate's table was touched")
	})
}

// O4: with Options.Schema, the store's tables live apart from a host's
// tables of the same names, which stay untouched.
func TestSchemaKeepsTheStoreApart(t *testing.T) {
	dsn, raw := fresh["postgres"](t)
	_, err := raw.Exec(`CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)`)
	require.NoError(t, err)
	a := openWith(t, dsn, &sqlstore.Options{Schema: "crm"})
	b := openWith(t, dsn, &sqlstore.Options{Schema: "crm two"})
	require.NoError(t, cp.Default().Insert(context.Background(), a, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	_, err = b.Get(context.Background(), cp.DefaultTenant, "c1")
	assert.ErrorIs(t, err, cp.ErrNotFound, "another schema is another store")
	var n int
	require.NoError(t, raw.QueryRow(`SELECT count(*) FROM public.contacts`).Scan(&n))
	assert.Zero(t, n)
	require.NoError(t, raw.QueryRow(fmt.Sprintf(`SELECT count(*) FROM %s.contacts`, `"crm"`)).Scan(&n))
	assert.Equal(t, 1, n)
}
