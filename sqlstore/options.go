package sqlstore

// The bounds of a store on a real database: how many connections it
// holds, and how long the database may keep one statement waiting, so
// that a locked row or a frozen server costs a bounded wait and never a
// late commit.

import (
	"database/sql"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options bound a Store; nil, or a zero field, takes the default.
type Options struct {
	// MaxConns bounds the connections the store holds open, and keeps as
	// many idle: over PostgreSQL, every replica's MaxConns together must
	// stay below the server's max_connections (100 by default), with room
	// for an operator. Over SQLite it bounds the readers; writes use one
	// connection of their own, as SQLite has one writer at a time.
	// Default 10: three replicas take 30 of PostgreSQL's 100.
	MaxConns int
	// StatementTimeout bounds one statement on the database server
	// (PostgreSQL's statement_timeout; SQLite's wait for the write lock).
	// Default 5 s: below contacthttp.DefaultStoreTimeout, so that a
	// statement the handler gave up on ends by itself even if the
	// cancellation is lost.
	StatementTimeout time.Duration
	// LockTimeout bounds PostgreSQL's wait for a row or table lock
	// (lock_timeout). Default 4 s, below StatementTimeout, so that a lock
	// wait fails as a lock wait.
	LockTimeout time.Duration
	// ConnectTimeout bounds opening one PostgreSQL connection
	// (connect_timeout, in whole seconds). Default 5 s.
	ConnectTimeout time.Duration
	// Schema is the PostgreSQL schema the store's tables live in, created
	// if need be, so that they never meet a host's tables of the same
	// names; "" keeps the connection's own search_path (usually public).
	// SQLite keeps the store in a file of its own instead.
	Schema string
	// DropEvents keeps no change feed: writes record no event, which
	// saves a PATCH the event's part of its statement (see
	// bench/README.md for the cost). Rule E1 then does not hold; for hosts that read no
	// events.
	DropEvents bool
}

// withDefaults fills the zero fields.
func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if out.MaxConns <= 0 {
		out.MaxConns = 10
	}
	def(&out.StatementTimeout, 5*time.Second)
	def(&out.LockTimeout, 4*time.Second)
	def(&out.ConnectTimeout, 5*time.Second)
	return out
}

// bound sizes a pool: as many idle connections as open ones, so that a
// burst does not open and close sessions, and lifetimes so that a
// connection the server killed or a failover left behind is replaced.
func bound(db *sql.DB, n int) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	db.SetConnMaxLifetime(30 * time.Minute)
}

// postgresSource adds the timeouts to a PostgreSQL URL as run-time
// parameters of every session, unless the URL sets them itself.
func postgresSource(dsn string, o Options) (string, error) {
	base, query, _ := strings.Cut(dsn, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", err
	}
	set := func(k, v string) {
		if !q.Has(k) {
			q.Set(k, v)
		}
	}
	set("statement_timeout", strconv.FormatInt(o.StatementTimeout.Milliseconds(), 10))
	set("lock_timeout", strconv.FormatInt(o.LockTimeout.Milliseconds(), 10))
	set("connect_timeout", strconv.Itoa(max(1, int(o.ConnectTimeout.Round(time.Second).Seconds()))))
	if o.Schema != "" {
		q.Set("search_path", pgx.Identifier{o.Schema}.Sanitize())
	}
	// Spaces as %20: pgx reads "+" as itself, not as a space.
	return base + "?" + strings.ReplaceAll(q.Encode(), "+", "%20"), nil
}

// sqliteSource is the modernc.org/sqlite source for a file, as a URI
// whose path is escaped, so that any file name opens that file: writes
// wait up to the statement timeout for the lock instead of failing,
// transactions take the write lock when they begin (so that a
// read-then-write never deadlocks), the journal is a write-ahead log
// (readers never wait for the writer), and foreign keys are enforced.
// Readers open the file read-only.
func sqliteSource(path string, o Options, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(o.StatementTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + escapePath(path) + "?" + q.Encode()
}

// escapePath escapes what an SQLite URI gives a meaning to, so that a
// file named "a?b#c%d" is that file.
func escapePath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}
