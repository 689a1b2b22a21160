package sqlstore_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// O1: with the contact's row locked by another session (SELECT ... FOR
// UPDATE on PostgreSQL, another writer's transaction on SQLite), PATCHes
// answer 503 "timeout" with Retry-After within the handler's deadline,
// and once the lock is gone none of them has committed.
func TestLockedRowAnswers503AndCommitsNothing(t *testing.T) {
	testLockedRow(t, time.Second, &sqlstore.Options{StatementTimeout: 3 * time.Second, LockTimeout: 2 * time.Second})
}

// O1: the database's own lock and busy timeouts, when they come first,
// are the same 503 with Retry-After, not a 500.
func TestDatabaseTimeoutAnswers503(t *testing.T) {
	testLockedRow(t, 5*time.Second, &sqlstore.Options{StatementTimeout: time.Second, LockTimeout: 500 * time.Millisecond})
}

func testLockedRow(t *testing.T, handlerDeadline time.Duration, o *sqlstore.Options) {
	deadline := min(handlerDeadline, o.StatementTimeout)
	for name, setup := range map[string]func(t *testing.T) (*sqlstore.Store, func(t *testing.T) (release func())){
		"postgres": func(t *testing.T) (*sqlstore.Store, func(*testing.T) func()) {
			if pg == nil {
				t.Skip("no PostgreSQL server")
			}
			url, err := pg.Database("locked")
			require.NoError(t, err)
			s := openWith(t, url, o)
			return s, func(t *testing.T) func() {
				return holdLock(t, "pgx", url, `BEGIN`, `SELECT id FROM contacts WHERE id = 'c1' FOR UPDATE`)
			}
		},
		"sqlite": func(t *testing.T) (*sqlstore.Store, func(*testing.T) func()) {
			path := filepath.Join(t.TempDir(), "c.db")
			s := openWith(t, "sqlite:"+path, o)
			return s, func(t *testing.T) func() {
				return holdLock(t, "sqlite", "file:"+path, `BEGIN IMMEDIATE`, `UPDATE contacts SET version = version WHERE id = 'c1'`)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, lock := setup(t)
			require.NoError(t, cp.Default().Insert(ctx, s, cp.DefaultTenant, cp.Contact{ID: "c1", Notes: cp.Value("kept"), Version: 1}))
			h := &contacthttp.Handler{Profile: cp.Default(), Store: s, StoreTimeout: handlerDeadline}
			srv := httptest.NewServer(h.Mux("/contacts/{id}"))
			defer srv.Close()

			release := lock(t)
			var wg sync.WaitGroup
			for range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					start := time.Now()
					req, _ := http.NewRequest(http.MethodPatch, srv.URL+"/contacts/c1", strings.NewReader(`{"notes": "late"}`))
					req.Header.Set("Content-Type", "application/json")
					resp, err := srv.Client().Do(req)
					if !assert.NoError(t, err) {
						return
					}
					resp.Body.Close()
					assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
					assert.Equal(t, "1", resp.Header.Get("Retry-After"))
					assert.Less(t, time.Since(start), deadline+time.Second, "answered past the deadline")
				}()
			}
			wg.Wait()
			time.Sleep(deadline) // the lock is held past every request's deadline
			release()
			time.Sleep(500 * time.Millisecond) // time for a late commit to show
			got, err := s.Get(ctx, cp.DefaultTenant, "c1")
			require.NoError(t, err)
			assert.Equal(t, uint64(1), got.Version, "a write committed after its 503")
			assert.Equal(t, "kept", got.Notes.Or(""))
		})
	}
}

// holdLock takes a lock in a session of its own and returns what
// releases it.
func holdLock(t *testing.T, driver, source string, stmts ...string) func() {
	db, err := sql.Open(driver, source)
	require.NoError(t, err)
	conn, err := db.Conn(context.Background())
	require.NoError(t, err)
	for _, stmt := range stmts {
		_, err := conn.ExecContext(context.Background(), stmt)
		require.NoError(t, err, stmt)
	}
	var once sync.Once
	release := func() {
		once.Do(func() {
			_, err := conn.ExecContext(context.Background(), `ROLLBACK`)
			assert.NoError(t, err)
			conn.Close()
			db.Close()
		})
	}
	t.Cleanup(release)
	return release
}

func openWith(t *testing.T, dsn string, o *sqlstore.Options) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, o)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// O2: the pool is bounded: 30 writers blocked on one locked row hold at
// most MaxConns sessions of PostgreSQL, not one each.
func TestPoolIsBounded(t *testing.T) {
	if pg == nil {
		t.Skip("no PostgreSQL server")
	}
	url, err := pg.Database("pool")
	require.NoError(t, err)
	const maxConns = 3
	s := openWith(t, url, &sqlstore.Options{MaxConns: maxConns})
	ctx := context.Background()
	require.NoError(t, cp.Default().Insert(ctx, s, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	release := holdLock(t, "pgx", url, `BEGIN`, `SELECT id FROM contacts WHERE id = 'c1' FOR UPDATE`)
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			_, err := cp.Default().Update(ctx, s, cp.DefaultTenant, "c1", []byte(`{"notes": "x"}`), cp.Options{})
			assert.Error(t, err, "the row is locked")
		}()
	}
	time.Sleep(time.Second) // every writer is waiting: on the lock, or for a connection
	probe, err := sql.Open("pgx", url)
	require.NoError(t, err)
	defer probe.Close()
	var sessions int
	require.NoError(t, probe.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&sessions))
	wg.Wait()
	release()
	assert.LessOrEqual(t, sessions, maxConns+1, "sessions of the store, and the lock holder's")
	assert.GreaterOrEqual(t, sessions, 2, "the probe saw no session at all")
}
