package sqlstore

// The store as a contactpatch.Feed and Replays (rules E1-E3, I1): the
// events and recorded answers of writes, in the writes' own
// transactions. An event's Seq comes from the head row of contact_feed,
// taken as the transaction's last statement: its lock orders the writers
// that record events, so that Seq order is commit order and a reader
// following the feed never passes an event that commits later.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// recorded says whether a write carries what only a transaction records.
func recorded(w cp.Write) bool { return w.Event != nil || w.Replay != nil }

// admitReplay records w's answer inside tx before its row is written:
// a key the tenant holds unexpired fails the write with
// cp.ErrReplayExists. Over PostgreSQL a racing write of the same key
// waits here for the first to end, then fails.
func (s *Store) admitReplay(ctx context.Context, tx *sql.Tx, w cp.Write) error {
	r := w.Replay
	if r == nil {
		return nil
	}
	header, err := json.Marshal(r.Header)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO contact_replays (tenant, idem_key, fingerprint, status, header, body, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant, idem_key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
			header = excluded.header, body = excluded.body, expires = excluded.expires
		WHERE contact_replays.expires <= $8`),
		w.Tenant, r.Key, r.Fingerprint, r.Status, string(header), string(r.Body), r.Expires.UnixMilli(), time.Now().UnixMilli())
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return errors.Join(cp.ErrReplayExists, err)
	}
	return nil
}

// recordEvents records the events of ws, writes done inside tx, as its
// last statements: a deleted contact's earlier events lose their values,
// then the head row gives the events their Seqs.
func (s *Store) recordEvents(ctx context.Context, tx *sql.Tx, ws []cp.Write) error {
	var rows [][]any
	for _, w := range ws {
		if w.Op == cp.Delete {
			if _, err := tx.ExecContext(ctx, s.d.rebind(`UPDATE contact_events SET changes = '[]' WHERE tenant = $1 AND contact_id = $2`), w.Tenant, w.Contact.ID); err != nil {
				return err
			}
		}
		if w.Event == nil {
			continue
		}
		row, err := eventRow(w.Event)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	// Each event's Seq is the head's new value less the events after it.
	insert := func(first string) string {
		return `INSERT INTO contact_events (seq, tenant, contact_id, at, body, changes)
			SELECT ` + first + ` + CAST(r.key AS BIGINT), r.value ->> 0, r.value ->> 1, CAST(r.value ->> 2 AS BIGINT), r.value ->> 3, r.value ->> 4
			FROM ` + s.d.indexedRows(2)
	}
	if s.d.writingWith { // the head and the events in one statement
		_, err := tx.ExecContext(ctx, `WITH h AS (UPDATE contact_feed SET seq = seq + $1 WHERE name = '' RETURNING seq) `+
			insert("(SELECT seq FROM h) - $1 + 1"), len(rows), jsonArray(rows))
		return err
	}
	var head int64
	if err := tx.QueryRowContext(ctx, s.d.rebind(`UPDATE contact_feed SET seq = seq + $1 WHERE name = '' RETURNING seq`), len(rows)).Scan(&head); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, s.d.rebind(insert("$1")), head-int64(len(rows))+1, jsonArray(rows))
	return err
}

// eventRow is an event as contact_events holds it: tenant, contact id,
// time, the event without its values, the values.
func eventRow(e *cp.Event) ([]any, error) {
	ev := *e
	changes, err := json.Marshal(ev.Changes)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: event of %q: %w", ev.ContactID, err)
	}
	ev.Changes = nil
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: event of %q: %w", ev.ContactID, err)
	}
	return []any{ev.Tenant, ev.ContactID, ev.Time.UnixMilli(), string(body), string(changes)}, nil
}

// swapRecorded is a swap that keeps its keys and records its event in
// one statement, for a database whose statements may write in their
// WITH clauses (PostgreSQL): the row, then the head, then the event, so
// that a PATCH stays one round trip. The head's lock is held only to
// the statement's commit.
func (s *Store) swapRecorded(ctx context.Context, w cp.Write, body []byte) error {
	row, err := eventRow(w.Event)
	if err != nil {
		return err
	}
	c := w.Contact
	res, err := s.db.ExecContext(ctx, `WITH u AS (UPDATE contacts SET version = $1, body = $2, email = $3
			WHERE tenant = $4 AND id = $5 AND version = $6 RETURNING id),
		h AS (UPDATE contact_feed SET seq = seq + 1 WHERE name = '' AND EXISTS (SELECT 1 FROM u) RETURNING seq)
		INSERT INTO contact_events (seq, tenant, contact_id, at, body, changes) SELECT h.seq, $4, $5, $7, $8, $9 FROM h`,
		int64(c.Version), string(body), emailOf(c), w.Tenant, c.ID, int64(w.Version), row[2], row[3], row[4])
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return s.missing(ctx, s.db, w.Tenant, c.ID, err)
	}
	return nil
}

// done lists the writes of ws that errs reports done.
func done(ws []cp.Write, errs []error) []cp.Write {
	var out []cp.Write
	for i, w := range ws {
		if errs[i] == nil {
			out = append(out, w)
		}
	}
	return out
}

// Events returns up to limit events after the cursor, in commit order.
func (s *Store) Events(ctx context.Context, after uint64, limit int) ([]cp.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	return s.events(ctx, "events", `SELECT seq, body, changes FROM contact_events WHERE seq > $1 ORDER BY seq LIMIT $2`, int64(after), limit)
}

// History returns the events of the tenant's contact id, oldest first.
func (s *Store) History(ctx context.Context, tenant, id string) ([]cp.Event, error) {
	return s.events(ctx, "history", `SELECT seq, body, changes FROM contact_events WHERE tenant = $1 AND contact_id = $2 ORDER BY seq`, tenant, id)
}

func (s *Store) events(ctx context.Context, op, query string, args ...any) ([]cp.Event, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.reads.QueryContext(ctx, s.d.rebind(query), args...)
	if err != nil {
		return nil, s.fail(ctx, op, err)
	}
	defer rows.Close()
	var out []cp.Event
	for rows.Next() {
		var seq int64
		var body, changes []byte
		if err := rows.Scan(&seq, &body, &changes); err != nil {
			return nil, s.fail(ctx, op, err)
		}
		var ev cp.Event
		if err := json.Unmarshal(body, &ev); err != nil {
			return nil, fmt.Errorf("sqlstore: event %d: %w", seq, err)
		}
		if err := json.Unmarshal(changes, &ev.Changes); err != nil {
			return nil, fmt.Errorf("sqlstore: event %d: %w", seq, err)
		}
		ev.Seq = uint64(seq)
		out = append(out, ev)
	}
	return out, s.fail(ctx, op, rows.Err())
}

// errNoName refuses the cursor of a reader without a name: the name ”
// is the feed's own head.
var errNoName = errors.New("sqlstore: a cursor needs a name")

// Cursor returns where the named reader stopped, 0 before it began.
func (s *Store) Cursor(ctx context.Context, name string) (uint64, error) {
	if name == "" {
		return 0, errNoName
	}
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	var seq int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT seq FROM contact_feed WHERE name = $1`), name).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return uint64(seq), s.fail(ctx, "cursor", err)
}

// SetCursor moves the named reader's cursor.
func (s *Store) SetCursor(ctx context.Context, name string, seq uint64) error {
	if name == "" {
		return errNoName
	}
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	_, err := s.db.ExecContext(ctx, s.d.rebind(`INSERT INTO contact_feed (name, seq) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`), name, int64(seq))
	return s.fail(ctx, "set cursor", err)
}

// PruneEvents drops the events older than before, and the expired
// answers.
func (s *Store) PruneEvents(ctx context.Context, before time.Time) (int, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	if _, err := s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM contact_replays WHERE expires <= $1`), time.Now().UnixMilli()); err != nil {
		return 0, s.fail(ctx, "prune", err)
	}
	res, err := s.db.ExecContext(ctx, s.d.rebind(`DELETE FROM contact_events WHERE at < $1`), before.UnixMilli())
	if err != nil {
		return 0, s.fail(ctx, "prune", err)
	}
	n, err := res.RowsAffected()
	return int(n), s.fail(ctx, "prune", err)
}

// Replay returns the tenant's unexpired answer under key, or
// cp.ErrNotFound.
func (s *Store) Replay(ctx context.Context, tenant, key string) (cp.Replay, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	var r cp.Replay
	var header, body string
	var expires int64
	err := s.db.QueryRowContext(ctx, s.d.rebind(`SELECT fingerprint, status, header, body, expires FROM contact_replays
		WHERE tenant = $1 AND idem_key = $2 AND expires > $3`), tenant, key, time.Now().UnixMilli()).
		Scan(&r.Fingerprint, &r.Status, &header, &body, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return cp.Replay{}, cp.ErrNotFound
	case err != nil:
		return cp.Replay{}, s.fail(ctx, "replay", err)
	}
	r.Key, r.Body, r.Expires = key, []byte(body), time.UnixMilli(expires)
	r.Header = http.Header{}
	if err := json.Unmarshal([]byte(header), &r.Header); err != nil {
		return cp.Replay{}, fmt.Errorf("sqlstore: answer %q of %q: %w", key, tenant, err)
	}
	return r, nil
}
