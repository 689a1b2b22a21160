package sqlstore

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

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
	// columns is a query for the column names of the table $1 in the
	// store's schema; no rows when there is no such table.
	columns string
	// rebind turns a query written with $1, $2, ... into the driver's
	// parameters.
	rebind func(string) string
	// uniqueViolation reports an error of a primary key or unique index.
	uniqueViolation func(error) bool
	// retryable reports an error of a write that lost a race and may
	// simply be tried again (a deadlock, a serialization failure).
	retryable func(error) bool
	// timedOut reports the database's own timeouts: a lock or statement
	// timeout, a writer that kept the lock past the busy timeout.
	timedOut func(error) bool
	// texts is a table of one text column, value, of the elements of the
	// JSON array of strings in parameter n; rows is a table r whose
	// value column holds each element of the JSON array of arrays in
	// parameter n, read with ->> and an index (rule W4's set-based
	// statements).
	texts, rows func(n int) string
	// writingWith says that a statement's WITH clauses may write
	// (PostgreSQL), so that a swap and its event are one statement.
	writingWith bool
	// indexedRows is rows with a column key, each element's place in
	// the array from 0.
	indexedRows func(n int) string
	// unavailable reports an error of the connection rather than of the
	// statement: the server down, restarting, read-only after a failover,
	// or out of connections.
	unavailable func(error) bool
}

var postgresDialect = dialect{
	driver:      "pgx",
	lock:        `SELECT pg_advisory_xact_lock(7265436)`, // any constant of the application's own
	columns:     `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
	rebind:      func(q string) string { return q },
	writingWith: true,
	texts:       func(n int) string { return fmt.Sprintf("jsonb_array_elements_text($%d::jsonb)", n) },
	rows:        func(n int) string { return fmt.Sprintf("jsonb_array_elements($%d::jsonb) AS r", n) },
	indexedRows: func(n int) string {
		return fmt.Sprintf("(SELECT value, ordinality - 1 AS key FROM jsonb_array_elements($%d::jsonb) WITH ORDINALITY) AS r", n)
	},
	uniqueViolation: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && pe.Code == "23505"
	},
	retryable: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
	},
	timedOut: func(err error) bool {
		var pe *pgconn.PgError
		return errors.As(err, &pe) && (pe.Code == "55P03" || pe.Code == "57014") // lock_not_available, query_canceled
	},
	unavailable: func(err error) bool {
		var pe *pgconn.PgError
		var ce *pgconn.ConnectError
		var ne net.Error
		switch {
		case errors.As(err, &pe):
			// connection_exception, admin_shutdown, crash_shutdown,
			// cannot_connect_now, read_only_sql_transaction (a standby),
			// too_many_connections
			return strings.HasPrefix(pe.Code, "08") || slices.Contains([]string{"57P01", "57P02", "57P03", "25006", "53300"}, pe.Code)
		case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, driver.ErrBadConn):
			return true
		}
		return false
	},
}

var sqliteDialect = dialect{
	driver:      "sqlite",
	columns:     `SELECT name FROM pragma_table_info($1)`,
	rebind:      rebindNumbered,
	texts:       func(n int) string { return fmt.Sprintf("json_each($%d)", n) },
	rows:        func(n int) string { return fmt.Sprintf("json_each($%d) AS r", n) },
	indexedRows: func(n int) string { return fmt.Sprintf("json_each($%d) AS r", n) },
	uniqueViolation: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY || se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE)
	},
	retryable: func(error) bool { return false },
	timedOut: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_BUSY || se.Code()&0xff == sqlite3.SQLITE_LOCKED)
	},
	unavailable: func(err error) bool {
		var se *sqlite.Error
		return errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_IOERR || se.Code()&0xff == sqlite3.SQLITE_FULL || se.Code()&0xff == sqlite3.SQLITE_CANTOPEN)
	},
}
