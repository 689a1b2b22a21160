package sqlstore

// The schema's life: the embedded migrations applied once, under one
// lock, however many replicas start together; a database newer than this
// build, or tables of another shape under the store's names, refused
// with a clear message; and the first contacts seeded under the same
// lock, exactly once.

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	cp "github.com/contactpatch/contactpatch"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationsTable records the applied migrations. Its name is the
// store's own: "schema_migrations", which this store used before, is
// also golang-migrate's, and a host using that tool would share it.
const migrationsTable = "contactpatch_migrations"

// migrate applies the embedded schema files not yet applied, in name
// order, in one transaction under the dialect's lock, then checks that
// the tables are the store's own. upTo stops at that version, for the
// upgrade tests that write a database as an earlier build did; 0 applies
// them all.
func (s *Store) migrate(ctx context.Context, upTo int) error {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(files)
	latest := len(files)
	if upTo > 0 {
		files = files[:upTo]
	}
	err = s.locked(ctx, func(tx *sql.Tx) error {
		applied, err := s.applied(ctx, tx)
		if err != nil {
			return err
		}
		if applied == 0 {
			if err := s.checkAbsent(ctx, tx); err != nil {
				return err
			}
		} else if applied <= len(shapes) {
			// Tables of another shape, marked as migrated, would fail
			// the next migration with a message that says less.
			if err := s.checkTables(ctx, tx, applied); err != nil {
				return err
			}
		}
		if applied > latest {
			return fmt.Errorf("sqlstore: the database's schema is at version %d, newer than this build knows (%d): run a newer build", applied, latest)
		}
		for i := applied; i < len(files); i++ {
			text, _ := migrations.ReadFile(files[i])
			for _, stmt := range statements(string(text)) {
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("sqlstore: %s: %w", files[i], err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO `+migrationsTable+` (version) VALUES ($1)`), i+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(files) < latest {
		return err
	}
	return s.checkTables(ctx, s.db, latest)
}

// shapes are the columns of the store's tables after each migration.
var shapes = []map[string][]string{
	{"contacts": {"body", "email", "id", "version"}, "contact_keys": {"contact_id", "field", "value"}},
	{"contacts": {"body", "email", "id", "tenant", "version"}, "contact_keys": {"contact_id", "field", "tenant", "value"}},
	{"contacts": {"body", "email", "id", "tenant", "version"}, "contact_keys": {"contact_id", "field", "tenant", "value"},
		"contact_events": {"at", "body", "changes", "contact_id", "seq", "tenant"}, "contact_feed": {"name", "seq"},
		"contact_replays": {"body", "expires", "fingerprint", "header", "idem_key", "status", "tenant"}},
}

// locked runs fn in a transaction that holds the dialect's lock: one
// replica at a time migrates and seeds.
func (s *Store) locked(ctx context.Context, fn func(*sql.Tx) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.d.lock != "" {
			if _, err := tx.ExecContext(ctx, s.d.lock); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

// applied returns how many migrations the database has, creating the
// table that records them, and taking over the records of an earlier
// build of this store under the name "schema_migrations" (told from
// golang-migrate's table of that name, which has a dirty column).
func (s *Store) applied(ctx context.Context, tx *sql.Tx) (int, error) {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS `+migrationsTable+` (version INTEGER PRIMARY KEY)`); err != nil {
		return 0, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+migrationsTable).Scan(&n); err != nil {
		return 0, err
	}
	if n > 0 {
		return s.latest(ctx, tx)
	}
	ours, err := s.columns(ctx, tx, "schema_migrations")
	if err != nil || !slices.Equal(ours, []string{"version"}) {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO `+migrationsTable+` (version) SELECT version FROM schema_migrations`); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE schema_migrations`); err != nil {
		return 0, err
	}
	return s.latest(ctx, tx)
}

// latest is the highest migration applied.
func (s *Store) latest(ctx context.Context, tx *sql.Tx) (int, error) {
	var v sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT max(version) FROM `+migrationsTable).Scan(&v)
	return int(v.Int64), err
}

// columns lists a table's columns in name order; none when there is no
// such table.
func (s *Store) columns(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, s.d.rebind(s.d.columns), table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return out, rows.Err()
}

// checkTables refuses tables under the store's names that are not its
// own at schema version: a host's contacts table marked as migrated
// would otherwise start, and answer 500 to everything.
func (s *Store) checkTables(ctx context.Context, q querier, version int) error {
	for table, want := range shapes[version-1] {
		got, err := s.columns(ctx, q, table)
		if err != nil {
			return err
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("sqlstore: the table %s has the columns %s, not this store's %s: is it another application's? Give the store a schema of its own (Options.Schema)",
				table, strings.Join(got, ", "), strings.Join(want, ", "))
		}
	}
	return nil
}

// checkAbsent refuses to create the store's tables where tables of those
// names already stand, as a host's own contacts table would.
func (s *Store) checkAbsent(ctx context.Context, tx *sql.Tx) error {
	for _, table := range []string{"contacts", "contact_keys"} {
		cols, err := s.columns(ctx, tx, table)
		if err != nil {
			return err
		}
		if len(cols) > 0 {
			return fmt.Errorf("sqlstore: a table %s that this store did not make is already there: is it another application's? Give the store a schema of its own (Options.Schema)", table)
		}
	}
	return nil
}

// Seed stores contacts in the tenant, with the unique keys keys gives
// each (nil for none, as a profile with no Unique fields has), if the
// tenant holds no contact yet, and reports whether it did. It runs under
// the migrations' lock, so that replicas starting together on an empty
// database seed it exactly once; a contact that cannot be stored (an id
// given twice, a key two contacts hold) leaves nothing behind.
func (s *Store) Seed(ctx context.Context, tenant string, contacts []cp.Contact, keys func(cp.Contact) []cp.UniqueKey) (bool, error) {
	seeded := false
	err := s.locked(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM contacts WHERE tenant = $1`), tenant).Scan(&n); err != nil || n > 0 {
			return err
		}
		if len(contacts) == 0 {
			return nil
		}
		ws := make([]cp.Write, len(contacts))
		for i, c := range contacts {
			ws[i] = cp.Write{Tenant: tenant, Op: cp.Insert, Contact: c}
			if keys != nil {
				ws[i].Keys = keys(c)
			}
		}
		errs, err := s.writeManyIn(ctx, tx, ws, true)
		if err == nil {
			err = errors.Join(errs...)
		}
		seeded = err == nil
		return err
	})
	return seeded, s.fail(ctx, "seed", err)
}

// statements splits a schema file into its statements, leaving out
// comments.
func statements(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			lines = append(lines, l)
		}
	}
	var out []string
	for _, stmt := range strings.Split(strings.Join(lines, "\n"), ";") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}
