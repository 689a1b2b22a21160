// Package sqlstore keeps contacts in PostgreSQL (through
// github.com/jackc/pgx/v5) or SQLite (through modernc.org/sqlite, pure Go)
// as a contactpatch.Store of many tenants, so that Profile.Update never loses an
// update, even across replicas sharing one database.
//
// One table holds each contact's canonical JSON form and its version,
// under the key (tenant, id); the compare-and-swap is an UPDATE
// conditional on that version; a profile's unique keys are rows under the
// primary key (tenant, field, value), written in the same transaction, so that of two racing writes giving two contacts one value
// exactly one commits. The schema is embedded and applied by Open.
// Driver errors never reach a client as text: they are wrapped, and
// render as internal_error, while a canceled or expired context stays
// the context's error.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/jackc/pgx/v5"
)

// Store is a contactpatch.Store and EmailIndex over a SQL database, for
// many tenants: the tenant leads every key and index. It is safe for
// concurrent use, by one process or by many sharing the database.
type Store struct {
	db    *sql.DB // writes, and over PostgreSQL reads too
	reads *sql.DB // reads: over SQLite a pool of its own, so that no read waits for the writer
	d     *dialect
	// timeout bounds one call, the wait for a connection included:
	// SQLite's one writer connection is queued for in the pool, where no
	// busy timeout counts.
	timeout time.Duration
	// dropEvents is Options.DropEvents.
	dropEvents bool
}

// Open connects to the database a data source name names, within the
// bounds of opts (nil takes the defaults), checks it, and applies the
// embedded schema: "sqlite:PATH" for an SQLite file (created if need
// be), or a "postgres://" or "postgresql://" URL, several hosts included
// ("postgres://a,b/db?target_session_attrs=read-write").
func Open(ctx context.Context, dsn string, opts *Options) (*Store, error) {
	return open(ctx, dsn, opts, 0)
}

// open is Open with the schema brought only up to version upTo (0 for
// the latest).
func open(ctx context.Context, dsn string, opts *Options, upTo int) (*Store, error) {
	o := opts.withDefaults()
	var s *Store
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		s, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"), o)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(ctx, dsn, o)
	default:
		return nil, fmt.Errorf("sqlstore: %q is neither sqlite:PATH nor a postgres:// URL", dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	s.timeout, s.dropEvents = o.StatementTimeout, o.DropEvents
	if err := s.check(ctx); err != nil {
		s.Close()
		return nil, s.fail(ctx, "open", err)
	}
	if err := s.migrate(ctx, upTo); err != nil {
		s.Close()
		return nil, s.fail(ctx, "migrate", err)
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string, o Options) (*Store, error) {
	if o.Schema != "" {
		if err := createSchema(ctx, dsn, o); err != nil {
			return nil, err
		}
	}
	source, err := postgresSource(dsn, o)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(postgresDialect.driver, source)
	if err != nil {
		return nil, err
	}
	bound(db, o.MaxConns)
	return &Store{db: db, reads: db, d: &postgresDialect}, nil
}

// createSchema makes the store's PostgreSQL schema, on a connection of
// its own: sessions whose search_path names a schema that does not exist
// yet may keep resolving it to nothing.
func createSchema(ctx context.Context, dsn string, o Options) error {
	schema := o.Schema
	o.Schema = ""
	source, err := postgresSource(dsn, o)
	if err != nil {
		return err
	}
	db, err := sql.Open(postgresDialect.driver, source)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{schema}.Sanitize())
	if postgresDialect.uniqueViolation(err) {
		return nil // another replica made it at the same moment
	}
	return err
}

func openSQLite(path string, o Options) (*Store, error) {
	db, err := sql.Open(sqliteDialect.driver, sqliteSource(path, o, false))
	if err != nil {
		return nil, err
	}
	// One writer: SQLite has one at a time anyway, and a single
	// connection never meets a lock of its own pool.
	bound(db, 1)
	reads, err := sql.Open(sqliteDialect.driver, sqliteSource(path, o, true))
	if err != nil {
		db.Close()
		return nil, err
	}
	bound(reads, o.MaxConns)
	return &Store{db: db, reads: reads, d: &sqliteDialect}, nil
}

// check refuses a database that is damaged, before anything is written
// to it: SQLite's quick check, which reads every page once. It is the
// first statement of a new store, so it is also where a connection's
// setup meets replicas opening the same new file: SQLite answers busy at
// once, without waiting, when two connections switch a new file to a
// write-ahead log together, so check tries again until the statement
// timeout has passed.
func (s *Store) check(ctx context.Context) error {
	if s.d != &sqliteDialect {
		return nil
	}
	var verdict string
	deadline := time.Now().Add(s.timeout)
	for {
		err := s.db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&verdict)
		if err == nil {
			break
		}
		if !s.d.timedOut(err) || time.Now().After(deadline) {
			return fmt.Errorf("sqlstore: integrity check: %w", err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("sqlstore: integrity check: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if verdict != "ok" {
		return fmt.Errorf("sqlstore: the SQLite file is damaged: %s", verdict)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.reads != s.db {
		err = errors.Join(err, s.reads.Close())
	}
	return err
}

// Get returns the tenant's contact id, or an error matching
// contactpatch.ErrNotFound, as for another tenant's contact.
func (s *Store) Get(ctx context.Context, tenant, id string) (cp.Contact, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	var body []byte
	err := s.reads.QueryRowContext(ctx, s.d.rebind(`SELECT body FROM contacts WHERE tenant = $1 AND id = $2`), tenant, id).Scan(&body)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cp.Contact{}, cp.ErrNotFound
	case err != nil:
		return cp.Contact{}, s.fail(ctx, "get", err)
	}
	return contactOf(tenant, id, body)
}

// contactOf reads a stored body. Contact's own reader takes the form
// bodyOf writes without encoding/json's reflection.
func contactOf(tenant, id string, body []byte) (cp.Contact, error) {
	var c cp.Contact
	if err := c.UnmarshalJSON(body); err != nil {
		return cp.Contact{}, fmt.Errorf("sqlstore: contact %q of %q: %w", id, tenant, err)
	}
	return c, nil
}

// Write performs w in one transaction: the contact's row and its unique
// keys. A swap that keeps its keys is one statement, atomic by itself.
func (s *Store) Write(ctx context.Context, w cp.Write) error {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	if !w.Op.Valid() {
		return errors.New("sqlstore: a Write with no Op")
	}
	if s.dropEvents {
		w.Event = nil
	}
	if w.Op == cp.Swap && w.KeepKeys && w.Replay == nil && (w.Event == nil || s.d.writingWith) {
		body, err := bodyOf(w.Contact)
		if err != nil {
			return err
		}
		if w.Event != nil {
			return s.fail(ctx, "write", s.swapRecorded(ctx, w, body))
		}
		return s.fail(ctx, "write", s.swapRow(ctx, s.db, w, body))
	}
	var conflict *cp.ConflictError
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.admitReplay(ctx, tx, w); err != nil {
			return err
		}
		var err error
		conflict, err = s.writeIn(ctx, tx, w)
		if err == nil && conflict != nil {
			err = conflict
		}
		if err == nil {
			err = s.recordEvents(ctx, tx, []cp.Write{w})
		}
		return err
	})
	if conflict != nil && errors.Is(err, conflict) {
		// The holder is read after the failed transaction, which
		// PostgreSQL has aborted.
		conflict.OwnerID, _ = s.keyOwner(ctx, w.Tenant, conflict)
		return conflict
	}
	return s.fail(ctx, "write", err)
}

// writeIn writes w's row and keys inside tx, for Write and Seed alike. A
// key another contact of the tenant holds is returned as a conflict,
// with tx to be rolled back.
func (s *Store) writeIn(ctx context.Context, tx *sql.Tx, w cp.Write) (*cp.ConflictError, error) {
	if w.Op == cp.Delete {
		return nil, s.deleteRow(ctx, tx, w)
	}
	body, err := bodyOf(w.Contact)
	if err != nil {
		return nil, err
	}
	if w.Op == cp.Insert {
		err = s.insertRow(ctx, tx, w, body)
	} else {
		err = s.swapRow(ctx, tx, w, body)
	}
	if err != nil {
		return nil, err
	}
	return s.writeKeys(ctx, tx, w.Tenant, w.Contact.ID, w.Keys, w.Op == cp.Insert)
}

// bodyOf is the stored JSON form of c, written by Contact's own writer.
func bodyOf(c cp.Contact) ([]byte, error) {
	body, err := c.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("sqlstore: contact %q: %w", c.ID, err)
	}
	return body, nil
}

// swapRow is the compare-and-swap of one contact's row.
func (s *Store) swapRow(ctx context.Context, q querier, w cp.Write, body []byte) error {
	c := w.Contact
	res, err := q.ExecContext(ctx, s.d.rebind(`UPDATE contacts SET version = $1, body = $2, email = $3 WHERE tenant = $4 AND id = $5 AND version = $6`),
		int64(c.Version), string(body), emailOf(c), w.Tenant, c.ID, int64(w.Version))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return s.missing(ctx, q, w.Tenant, c.ID, err)
	}
	return nil
}

// deleteRow erases a contact's keys and row, if its version is still the
// one read.
func (s *Store) deleteRow(ctx context.Context, tx *sql.Tx, w cp.Write) error {
	id := w.Contact.ID
	if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM contact_keys WHERE tenant = $1 AND contact_id = $2 AND EXISTS (
		SELECT 1 FROM contacts WHERE tenant = $1 AND id = $2 AND version = $3)`), w.Tenant, id, int64(w.Version)); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM contacts WHERE tenant = $1 AND id = $2 AND version = $3`), w.Tenant, id, int64(w.Version))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return s.missing(ctx, tx, w.Tenant, id, err)
	}
	return nil
}

// insertRow writes a new contact's row; an id the tenant holds is
// ErrExists.
func (s *Store) insertRow(ctx context.Context, q querier, w cp.Write, body []byte) error {
	c := w.Contact
	_, err := q.ExecContext(ctx, s.d.rebind(`INSERT INTO contacts (tenant, id, version, body, email) VALUES ($1, $2, $3, $4, $5)`),
		w.Tenant, c.ID, int64(c.Version), string(body), emailOf(c))
	if s.d.uniqueViolation(err) {
		return cp.ErrExists
	}
	return err
}

// querier is a database or a transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// emailOf is the column EmailOwner searches: the email in lower case, or
// NULL for none.
func emailOf(c cp.Contact) any {
	if e, ok := c.Email.Get(); ok && e != "" {
		return strings.ToLower(e)
	}
	return nil
}

// missing tells a contact that is not there from one whose version moved.
func (s *Store) missing(ctx context.Context, q querier, tenant, id string, err error) error {
	if err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM contacts WHERE tenant = $1 AND id = $2`), tenant, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return cp.ErrNotFound
	}
	return cp.ErrVersionMismatch
}

// writeKeys replaces the unique keys of the tenant's contact id. A key
// another contact of the tenant holds is returned as a conflict, with the
// transaction to be rolled back.
func (s *Store) writeKeys(ctx context.Context, tx *sql.Tx, tenant, id string, keys []cp.UniqueKey, fresh bool) (*cp.ConflictError, error) {
	// A contact just inserted holds no keys yet: an erasure freed its
	// id's, and an insert of a held id has already failed.
	if !fresh {
		if _, err := tx.ExecContext(ctx, s.d.rebind(`DELETE FROM contact_keys WHERE tenant = $1 AND contact_id = $2`), tenant, id); err != nil {
			return nil, err
		}
	}
	// One order for every writer, so that two of them never wait on
	// each other's keys.
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b cp.UniqueKey) int {
		return strings.Compare(keyField(a)+"\x00"+a.Value, keyField(b)+"\x00"+b.Value)
	})
	for _, k := range keys {
		_, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO contact_keys (tenant, field, value, contact_id) VALUES ($1, $2, $3, $4)`), tenant, keyField(k), k.Value, id)
		if s.d.uniqueViolation(err) {
			return &cp.ConflictError{Field: k.Name, OwnerID: keyField(k) + "\x00" + k.Value}, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// keyField names a unique key's field in the keys table: the canonical
// field's name, so that renaming a wire name keeps the index.
func keyField(k cp.UniqueKey) string { return k.Field.String() }

// keyOwner reads who in the tenant holds the key of a conflict, whose
// OwnerID carries the field and value until then.
func (s *Store) keyOwner(ctx context.Context, tenant string, c *cp.ConflictError) (string, error) {
	field, value, _ := strings.Cut(c.OwnerID, "\x00")
	var owner string
	err := s.reads.QueryRowContext(ctx, s.d.rebind(`SELECT contact_id FROM contact_keys WHERE tenant = $1 AND field = $2 AND value = $3`), tenant, field, value).Scan(&owner)
	return owner, err
}

// Count returns how many contacts the tenant holds.
func (s *Store) Count(ctx context.Context, tenant string) (int, error) {
	var n int
	err := s.reads.QueryRowContext(ctx, s.d.rebind(`SELECT count(*) FROM contacts WHERE tenant = $1`), tenant).Scan(&n)
	return n, s.fail(ctx, "count", err)
}

// EmailOwner returns the id of the tenant's contact whose email is
// email, ignoring case (the lowest id if several are), or "" if there is
// none. contactpatch.EmailOwnerIn makes it an Options.EmailOwner.
func (s *Store) EmailOwner(ctx context.Context, tenant, email string) (string, error) {
	var id string
	err := s.reads.QueryRowContext(ctx, s.d.rebind(`SELECT id FROM contacts WHERE tenant = $1 AND email = $2 ORDER BY id LIMIT 1`),
		tenant, strings.ToLower(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, s.fail(ctx, "email owner", err)
}

// bounded puts the store's own deadline on one call.
func (s *Store) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// tx runs fn in a transaction, committing when it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// fail turns a driver error into the store's: the library's own errors
// and the context's as they are, a lost race as ErrVersionMismatch so
// that Update retries, anything else wrapped.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	var se cp.StatusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se), errors.Is(err, cp.ErrVersionMismatch):
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case s.d.retryable(err):
		return cp.ErrVersionMismatch
	case s.d.timedOut(err):
		return fmt.Errorf("sqlstore: %s: %w", op, errors.Join(ErrTimeout, err))
	case s.d.unavailable(err):
		return fmt.Errorf("sqlstore: %s: %w", op, errors.Join(ErrUnavailable, err))
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// The store's 503s: the database's own timeouts, and a database that
// cannot be reached or cannot write. Both pass, so a client may try
// again; the driver's text stays in the log and never reaches a client.
var (
	// ErrTimeout is 503 timeout: a lock or statement timeout, or SQLite's
	// writer kept past the busy timeout.
	ErrTimeout = cp.NewStatusError(http.StatusServiceUnavailable, "timeout", "The database took too long; try again")
	// ErrUnavailable is 503 unavailable: a database that cannot be
	// reached, is read-only after a failover, or is out of connections.
	ErrUnavailable = cp.NewStatusError(http.StatusServiceUnavailable, "unavailable", "The database is unavailable; try again")
)

// rebindNumbered rewrites $1, $2, ... as ?1, ?2, ...: SQLite's numbered
// parameters.
func rebindNumbered(q string) string {
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if q[i] == '$' && i+1 < len(q) && q[i+1] >= '0' && q[i+1] <= '9' {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}
