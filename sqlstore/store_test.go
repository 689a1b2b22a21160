package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/conformance"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/contactpatch/contactpatch/sqlstore/pgtest"
	"github.com/contactpatch/contactpatch/storetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pg is the PostgreSQL server of the tests. When none can be had the
// run fails, unless CONTACTPATCH_POSTGRES=skip (refused under CI=true)
// asks for the PostgreSQL half to be skipped; pg is then nil.
var pg *pgtest.Server

func TestMain(m *testing.M) {
	var err error
	pg, err = pgtest.Start()
	if err != nil {
		// go test hides a passing package's output, so a skip would be
		// silent: without a server the run fails unless skipping was asked for.
		if os.Getenv("CI") != "" || os.Getenv("CONTACTPATCH_POSTGRES") != "skip" {
			fmt.Fprintln(os.Stderr, "FAIL: the SQL store's tests need a PostgreSQL server:", err)
			fmt.Fprintln(os.Stderr, "  install Debian's postgresql package, or set CONTACTPATCH_POSTGRES_URL,")
			fmt.Fprintln(os.Stderr, "  or set CONTACTPATCH_POSTGRES=skip to run only the SQLite half (never in CI)")
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "PostgreSQL tests skip (CONTACTPATCH_POSTGRES=skip):", err)
	}
	code := m.Run()
	if pg != nil {
		pg.Stop()
	}
	os.Exit(code)
}

// backends opens a new, empty store of each kind.
var backends = map[string]func(t *testing.T) *sqlstore.Store{
	"sqlite": func(t *testing.T) *sqlstore.Store {
		return open(t, "sqlite:"+filepath.Join(t.TempDir(), "contacts.db"))
	},
	"postgres": func(t *testing.T) *sqlstore.Store {
		if pg == nil {
			t.Skip("no PostgreSQL server")
		}
		url, err := pg.Database("contacts")
		require.NoError(t, err)
		return open(t, url)
	},
}

func open(t *testing.T, dsn string) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, nil)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func each(t *testing.T, fn func(t *testing.T, open func(t *testing.T) *sqlstore.Store)) {
	for name, open := range backends {
		t.Run(name, func(t *testing.T) { fn(t, open) })
	}
}

// R14, R2: every conformance case gives the same answer over SQLite and
// PostgreSQL as over a MemoryStore, and stores what it should.
func TestConformance(t *testing.T) {
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		newStore := func(t *testing.T) cp.Store { return open(t) }
		if strings.HasSuffix(t.Name(), "/postgres") {
			// One database, emptied before each case: creating one per
			// case would take most of a minute.
			newStore = emptied(t)
		}
		for dir, prof := range conformance.Profiles() {
			t.Run(dir, func(t *testing.T) { conformance.RunFolder(t, "..", dir, prof, newStore) })
		}
	})
}

// emptied returns a NewStore over one PostgreSQL database that it empties
// before each case.
func emptied(t *testing.T) conformance.NewStore {
	url, err := pg.Database("conformance")
	require.NoError(t, err)
	s := open(t, url)
	db, err := sql.Open("pgx", url)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return func(t *testing.T) cp.Store {
		_, err := db.Exec(`TRUNCATE contact_keys, contacts`)
		require.NoError(t, err)
		return s
	}
}

// The store's own answers: not found, a stale version, and a contact
// that reads back as it was written.
func TestCompareAndSwap(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		s := open(t)
		_, err := s.Get(ctx, cp.DefaultTenant, "c1")
		assert.ErrorIs(t, err, cp.ErrNotFound)
		assert.ErrorIs(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: cp.Contact{ID: "c1", Version: 1}, Version: 0, KeepKeys: true}), cp.ErrNotFound)
		c := cp.Contact{ID: "c1", FullName: cp.Value("Ada Lovelace"), Tags: []string{"a"}, Version: 1,
			Extensions: map[string]json.RawMessage{"plan": json.RawMessage(`"pro"`)}}
		require.NoError(t, cp.Default().Insert(ctx, s, cp.DefaultTenant, c))
		got, err := s.Get(ctx, cp.DefaultTenant, "c1")
		require.NoError(t, err)
		assert.Equal(t, c, got)
		c.Version = 2
		require.NoError(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: c, Version: 1, KeepKeys: true}))
		assert.ErrorIs(t, s.Write(ctx, cp.Write{Tenant: cp.DefaultTenant, Op: cp.Swap, Contact: c, Version: 1, KeepKeys: true}), cp.ErrVersionMismatch)
		n, err := s.Count(ctx, cp.DefaultTenant)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
	})
}

// R14: concurrent note appends through Profile.Update all survive.
func TestConcurrentAppends(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		s := open(t)
		require.NoError(t, cp.Default().Insert(ctx, s, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
		const writers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					body := fmt.Sprintf(`{"notes": "w%d-%d"}`, w, i)
					if _, err := profiles.Leadlex().Update(ctx, s, cp.DefaultTenant, "c1", []byte(body), cp.Options{}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		c, err := s.Get(ctx, cp.DefaultTenant, "c1")
		require.NoError(t, err)
		assert.Equal(t, uint64(1+writers*each), c.Version)
		for w := range writers {
			for i := range each {
				assert.Contains(t, c.Notes.Or(""), fmt.Sprintf("w%d-%d", w, i))
			}
		}
	})
}

// G4: two patches racing to give two contacts one email: in every round
// exactly one wins, and the loser gets the conflict naming the field.
func TestUniqueEmailRace(t *testing.T) {
	ctx := context.Background()
	rounds := map[string]int{"sqlite": 2000, "postgres": 3000}
	for name, open := range backends {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			prof := profiles.Gomry()
			for _, id := range []string{"a", "b"} {
				require.NoError(t, cp.Default().Insert(ctx, s, cp.DefaultTenant, cp.Contact{ID: id, Email: cp.Value(id + "@example.com"), Version: 1}))
			}
			for round := range rounds[name] {
				email := fmt.Sprintf(`{"email": "shared%d@example.com"}`, round)
				var wg sync.WaitGroup
				results := make([]error, 2)
				for i, id := range []string{"a", "b"} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, results[i] = prof.Update(ctx, s, cp.DefaultTenant, id, []byte(email), cp.Options{})
					}()
				}
				wg.Wait()
				won := 0
				for _, err := range results {
					var ce *cp.ConflictError
					switch {
					case err == nil:
						won++
					case errors.As(err, &ce):
						assert.Equal(t, "email", ce.Field)
						assert.Contains(t, []string{"a", "b"}, ce.OwnerID)
					default:
						t.Fatalf("round %d: %v", round, err)
					}
				}
				require.Equal(t, 1, won, "round %d: exactly one winner", round)
			}
		})
	}
}

// Driver errors reach no client: a closed database is an internal error
// without its text; a canceled context stays the context's error.
func TestErrorsDoNotLeak(t *testing.T) {
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		s := open(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Get(ctx, cp.DefaultTenant, "c1")
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 499, cp.HTTPStatus(err))
		require.NoError(t, s.Close())
		_, err = s.Get(context.Background(), cp.DefaultTenant, "c1")
		require.Error(t, err)
		pr := cp.ProblemOf(err)
		assert.Equal(t, 500, pr.Status)
		assert.Equal(t, "Internal error", pr.Message)
	})
}

// The schema is applied once, whoever opens the database first.
func TestOpenTwice(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "c.db")
	a := open(t, dsn)
	require.NoError(t, cp.Default().Insert(context.Background(), a, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	b := open(t, dsn)
	n, err := b.Count(context.Background(), cp.DefaultTenant)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = sqlstore.Open(context.Background(), "mysql://x", nil)
	assert.ErrorContains(t, err, "neither sqlite:PATH nor a postgres:// URL")
}

// G4: a contact that gives up its email frees it for another.
func TestUniqueKeyFreed(t *testing.T) {
	ctx := context.Background()
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		s := open(t)
		prof := profiles.Gomry()
		for _, id := range []string{"a", "b"} {
			c := cp.Contact{ID: id, Email: cp.Value(id + "@example.com"), Version: 1}
			require.NoError(t, prof.Insert(ctx, s, cp.DefaultTenant, c))
		}
		_, err := prof.Update(ctx, s, cp.DefaultTenant, "b", []byte(`{"email": "a@example.com"}`), cp.Options{})
		var ce *cp.ConflictError
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "a", ce.OwnerID)
		_, err = prof.Update(ctx, s, cp.DefaultTenant, "a", []byte(`{"email": "new@example.com"}`), cp.Options{})
		require.NoError(t, err)
		_, err = prof.Update(ctx, s, cp.DefaultTenant, "b", []byte(`{"email": "A@example.com"}`), cp.Options{})
		require.NoError(t, err, "a's old email is free once a gave it up")
		owner, err := s.EmailOwner(ctx, cp.DefaultTenant, "A@EXAMPLE.COM")
		require.NoError(t, err)
		assert.Equal(t, "b", owner)
	})
}

// T6: the exported store suite passes on SQLite and PostgreSQL, as it
// does on MemoryStore.
func TestStoreSuite(t *testing.T) {
	each(t, func(t *testing.T, open func(t *testing.T) *sqlstore.Store) {
		if err := storetest.TestStore(context.Background(), open(t)); err != nil {
			t.Fatal(err)
		}
	})
}
