package sqlstore

import (
	"database/sql"
	"errors"
	"net/url"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is what differs between the two databases.
type dialect struct {
	driver string
	// lock is run first in the migration's transaction, so that replicas
	// starting together migrate one at a time; "" when the database
	// serializes writers itself.
	lock string
	// rebind turns a query written with $1, $2, ... into the driver's
	// parameters.
	rebind func(string) string
	// uniqueViolation reports an error of a primary key or unique index.
	uniqueViolation func(error) bool
	// retryable reports an error of a write that lost a race and may
	// simply be tried again (a deadlock, a serialization failure, a busy
	// database).
	retryable func(error) bool
	configure func(*sql.DB)
}

var postgresDialect = dialect{
	driver: "pgx",
	lock:   `SELECT pg_advisory_xact_lock(7265436)`, // any constant of the application's own
	rebind: func(q string) string { return q },
	uniqueViolation: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
	retryable: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
	},
	configure: func(*sql.DB) {},
}

var sqliteDialect = dialect{
	driver: "sqlite",
	rebind: rebindNumbered,
	uniqueViolation: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
	},
	retryable: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
	},
	// One connection: SQLite has one writer at a time anyway, and a
	// single connection never meets a lock of its own pool.
	configure: func(db *sql.DB) { db.SetMaxOpenConns(1) },
}

// sqliteSource is the modernc.org/sqlite source for a file: writes wait
// up to 10 s for the lock instead of failing, transactions take the write
// lock when they begin (so that a read-then-write never deadlocks), the
// journal is a write-ahead log, and foreign keys are enforced.
func sqliteSource(path string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}
