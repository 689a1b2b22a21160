package sqlstore

// The store as a contactpatch.Batcher (rule W4): a batch of any size is a
// fixed number of statements. The rows and keys a batch touches are read
// (and, on PostgreSQL, locked) in two statements; each write is then
// judged in order against that state, as Write would judge it; and what
// the accepted writes leave is written with one set-based statement per
// table and kind of change. The inputs travel as one JSON array per
// statement, which both databases expand into rows.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/wire"
)

// GetMany returns the tenant's contacts among ids in the order of ids,
// leaving out the ones it does not hold, in one query.
func (s *Store) GetMany(ctx context.Context, tenant string, ids []string) ([]cp.Contact, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	rows, err := s.reads.QueryContext(ctx, s.d.rebind(`SELECT id, body FROM contacts WHERE tenant = $1 AND id IN (SELECT value FROM `+s.d.texts(2)+`)`),
		tenant, jsonArray(ids))
	if err != nil {
		return nil, s.fail(ctx, "get many", err)
	}
	defer rows.Close()
	var got []cp.Contact
	at := make(map[string]int, len(ids))
	for rows.Next() {
		var id string
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, s.fail(ctx, "get many", err)
		}
		c, err := contactOf(tenant, id, body)
		if err != nil {
			return nil, err
		}
		at[id] = len(got)
		got = append(got, c)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(ctx, "get many", err)
	}
	out := make([]cp.Contact, 0, len(got))
	for _, id := range ids {
		if i, ok := at[id]; ok {
			out = append(out, got[i])
			delete(at, id) // an id asked twice is returned once
		}
	}
	return out, nil
}

// KeyOwners returns the holder of each key in the tenant, "" for none, in
// one query.
func (s *Store) KeyOwners(ctx context.Context, tenant string, keys []cp.UniqueKey) ([]string, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	held, err := s.keysHeld(ctx, s.reads, tenant, nil, keys)
	if err != nil {
		return nil, s.fail(ctx, "key owners", err)
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = held.owner[keyOf(k)]
	}
	return out, nil
}

// WriteMany performs ws, all of one tenant, in one transaction of a fixed
// number of statements, each write judged as Write judges it. Without
// atomic, the writes that fail are left out and the others committed;
// with it, one failure writes nothing. A racing writer that takes a key
// between the read and the write fails the set-based statements; the
// batch is then done again one write at a time, which settles it.
func (s *Store) WriteMany(ctx context.Context, ws []cp.Write, atomic bool) ([]error, error) {
	ctx, cancel := s.bounded(ctx)
	defer cancel()
	if len(ws) == 0 {
		return nil, nil
	}
	ws = s.withoutDropped(ws)
	if slices.ContainsFunc(ws, func(w cp.Write) bool { return w.Replay != nil }) {
		return s.writeEach(ctx, ws, atomic) // each answer is the key's, one write at a time
	}
	if !atomic && onlySwaps(ws) {
		errs, err := s.swapAllRecorded(ctx, ws)
		return errs, s.fail(ctx, "write many", err)
	}
	var errs []error
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		errs, err = s.writeManyIn(ctx, tx, ws, atomic)
		if err == nil && atomic && errors.Join(errs...) != nil {
			err = errRolledBack
		}
		if err == nil {
			err = s.recordEvents(ctx, tx, done(ws, errs))
		}
		return err
	})
	switch {
	case errors.Is(err, errRolledBack):
		return errs, nil
	case errors.Is(err, errRaced) || s.d.uniqueViolation(err) || s.d.retryable(err):
		return s.writeEach(ctx, ws, atomic)
	case err != nil:
		return nil, s.fail(ctx, "write many", err)
	}
	return errs, nil
}

// onlySwaps reports whether ws are compare-and-swaps of distinct
// contacts of one tenant that keep their keys: a batch of patches that
// change no unique field, which one statement performs.
func onlySwaps(ws []cp.Write) bool {
	seen := make(map[string]bool, len(ws))
	for _, w := range ws {
		if w.Op != cp.Swap || !w.KeepKeys || w.Tenant != ws[0].Tenant || seen[w.Contact.ID] {
			return false
		}
		seen[w.Contact.ID] = true
	}
	return true
}

// withoutDropped is ws without their events, for a store that keeps
// none.
func (s *Store) withoutDropped(ws []cp.Write) []cp.Write {
	if !s.dropEvents {
		return ws
	}
	ws = slices.Clone(ws)
	for i := range ws {
		ws[i].Event = nil
	}
	return ws
}

// swapAllRecorded is swapAll with the events of the swaps done, in one
// transaction when there are any.
func (s *Store) swapAllRecorded(ctx context.Context, ws []cp.Write) ([]error, error) {
	switch {
	case !slices.ContainsFunc(ws, recorded):
		return s.swapAll(ctx, s.db, ws)
	case s.d.writingWith && !slices.ContainsFunc(ws, func(w cp.Write) bool { return w.Event == nil }):
		return s.swapAllWith(ctx, ws)
	}
	var errs []error
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if errs, err = s.swapAll(ctx, tx, ws); err != nil {
			return err
		}
		return s.recordEvents(ctx, tx, done(ws, errs))
	})
	return errs, err
}

// swapAll performs compare-and-swaps that keep their keys with one
// UPDATE, atomic by itself, which returns the rows it changed: each of
// the others missed its version or its contact, which one more query
// tells apart.
func (s *Store) swapAll(ctx context.Context, q querier, ws []cp.Write) ([]error, error) {
	tenant := ws[0].Tenant
	rows := make([][]any, len(ws))
	for i, w := range ws {
		body, err := bodyOf(w.Contact)
		if err != nil {
			return nil, err
		}
		rows[i] = []any{w.Contact.ID, w.Contact.Version, string(body), emailOf(w.Contact), w.Version}
	}
	res, err := q.QueryContext(ctx, s.d.rebind(swapAllQuery(s.d)+` RETURNING contacts.id`), tenant, jsonArray(rows))
	if err != nil {
		return nil, err
	}
	done, err := ids(res)
	if err != nil {
		return nil, err
	}
	return s.missedOf(ctx, q, ws, done)
}

// missedOf tells the swaps of ws that done does not list apart: each
// missed its version, or its contact, which one query tells.
func (s *Store) missedOf(ctx context.Context, q querier, ws []cp.Write, done map[string]bool) ([]error, error) {
	if len(done) == len(ws) {
		return make([]error, len(ws)), nil
	}
	tenant := ws[0].Tenant
	var missed []string
	for _, w := range ws {
		if !done[w.Contact.ID] {
			missed = append(missed, w.Contact.ID)
		}
	}
	res, err := q.QueryContext(ctx, s.d.rebind(`SELECT id FROM contacts WHERE tenant = $1 AND id IN (SELECT value FROM `+s.d.texts(2)+`)`), tenant, jsonArray(missed))
	if err != nil {
		return nil, err
	}
	there, err := ids(res)
	errs := make([]error, len(ws))
	for i, w := range ws {
		switch id := w.Contact.ID; {
		case done[id]:
		case there[id]:
			errs[i] = cp.ErrVersionMismatch
		default:
			errs[i] = cp.ErrNotFound
		}
	}
	return errs, err
}

// swapAllWith is swapAllRecorded in one statement, for a database whose
// WITH clauses may write (PostgreSQL): the swaps, then the feed's head
// moved by as many as were done, then their events, numbered in the
// order of their ids, so that a batch is one round trip as a PATCH is.
func (s *Store) swapAllWith(ctx context.Context, ws []cp.Write) ([]error, error) {
	rows := make([][]any, len(ws))
	for i, w := range ws {
		body, err := bodyOf(w.Contact)
		if err != nil {
			return nil, err
		}
		ev, err := eventRow(w.Event)
		if err != nil {
			return nil, err
		}
		rows[i] = []any{w.Contact.ID, w.Contact.Version, string(body), emailOf(w.Contact), w.Version, ev[2], ev[3], ev[4]}
	}
	q := `WITH w AS MATERIALIZED (SELECT r.value ->> 0 AS id, CAST(r.value ->> 1 AS BIGINT) AS version, r.value ->> 2 AS body,
			r.value ->> 3 AS email, CAST(r.value ->> 4 AS BIGINT) AS was, CAST(r.value ->> 5 AS BIGINT) AS at,
			r.value ->> 6 AS event, r.value ->> 7 AS changes FROM ` + s.d.rows(2) + `),
		u AS (UPDATE contacts SET version = w.version, body = w.body, email = w.email FROM w
			WHERE contacts.tenant = $1 AND contacts.id = w.id AND contacts.version = w.was RETURNING contacts.id),
		n AS (SELECT id, row_number() OVER (ORDER BY id) AS i, count(*) OVER () AS total FROM u),
		h AS (UPDATE contact_feed SET seq = seq + (SELECT count(*) FROM u) WHERE name = '' AND EXISTS (SELECT 1 FROM u) RETURNING seq),
		e AS (INSERT INTO contact_events (seq, tenant, contact_id, at, body, changes)
			SELECT h.seq - n.total + n.i, $1, w.id, w.at, w.event, w.changes FROM n JOIN w ON w.id = n.id CROSS JOIN h)
		SELECT id FROM u`
	res, err := s.db.QueryContext(ctx, q, ws[0].Tenant, jsonArray(rows))
	if err != nil {
		return nil, err
	}
	done, err := ids(res)
	if err != nil {
		return nil, err
	}
	return s.missedOf(ctx, s.db, ws, done)
}

// ids reads a query's one column of ids.
func ids(rows *sql.Rows) (map[string]bool, error) {
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// swapAllQuery updates the rows of $2, [id, version, body, email, the
// version read], that are still at the version read.
// The rows are materialized first: SQLite would otherwise read the JSON
// again for every row of the table it scans.
func swapAllQuery(d *dialect) string {
	return `WITH w AS MATERIALIZED (SELECT r.value ->> 0 AS id, CAST(r.value ->> 1 AS BIGINT) AS version, r.value ->> 2 AS body,
			r.value ->> 3 AS email, CAST(r.value ->> 4 AS BIGINT) AS was FROM ` + d.rows(2) + `)
		UPDATE contacts SET version = w.version, body = w.body, email = w.email FROM w
		WHERE contacts.tenant = $1 AND contacts.id = w.id AND contacts.version = w.was`
}

// errRolledBack rolls back an atomic batch with a failed write.
var errRolledBack = errors.New("sqlstore: batch rolled back")

// errRaced rolls back a batch whose rows another writer changed between
// the read and the write.
var errRaced = errors.New("sqlstore: batch met a racing writer")

// writeEach is WriteMany one write at a time, for the rare batch that met
// a racing writer: each write in a transaction of its own, or all in one.
func (s *Store) writeEach(ctx context.Context, ws []cp.Write, atomic bool) ([]error, error) {
	errs := make([]error, len(ws))
	if !atomic {
		for i, w := range ws {
			errs[i] = s.Write(ctx, w)
		}
		return errs, nil
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for i, w := range ws {
			if err := s.admitReplay(ctx, tx, w); err != nil {
				errs[i] = err
				return errRolledBack
			}
			conflict, err := s.writeIn(ctx, tx, w)
			if conflict != nil {
				errs[i] = conflict
				return errRolledBack
			}
			if errors.Is(err, cp.ErrExists) || errors.Is(err, cp.ErrNotFound) || errors.Is(err, cp.ErrVersionMismatch) {
				errs[i] = err
				return errRolledBack
			}
			if err != nil {
				return err
			}
		}
		return s.recordEvents(ctx, tx, ws)
	})
	if err != nil && !errors.Is(err, errRolledBack) {
		return nil, s.fail(ctx, "write many", err)
	}
	return errs, nil
}

// writeManyIn judges and performs ws inside tx: Seed's transaction or
// WriteMany's own.
func (s *Store) writeManyIn(ctx context.Context, tx *sql.Tx, ws []cp.Write, atomic bool) ([]error, error) {
	tenant := ws[0].Tenant
	ids, keys := make([]string, 0, len(ws)), []cp.UniqueKey(nil)
	for _, w := range ws {
		if w.Tenant != tenant {
			return nil, errors.New("sqlstore: one WriteMany names two tenants")
		}
		if !w.Op.Valid() {
			return nil, errors.New("sqlstore: a Write with no Op")
		}
		ids = append(ids, w.Contact.ID)
		keys = append(keys, w.Keys...)
	}
	st, err := s.readState(ctx, tx, tenant, ids, keys)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(ws))
	for i, w := range ws {
		errs[i] = st.judge(w)
		if errs[i] != nil && atomic {
			return errs, nil
		}
	}
	return errs, s.apply(ctx, tx, tenant, st)
}

// state is what a batch's writes see: the rows and keys they touch, as
// stored, then as each accepted write leaves them.
type state struct {
	version map[string]int64 // the version of each contact the batch names that exists, as the batch goes
	stored  map[string]bool  // the contacts that existed before the batch
	was     map[string]int64 // their versions before it
	final   map[string]*cp.Contact
	gone    map[string]bool // contacts the batch deleted, unless it inserted them again
	rekeyed map[string]bool // contacts whose keys the batch replaces
	keys    held
}

// held is a set of unique keys and their holders.
type held struct {
	owner map[key]string   // the holder of each key
	of    map[string][]key // the keys each contact holds
}

// key is one unique key in the keys table.
type key struct{ field, value string }

func keyOf(k cp.UniqueKey) key { return key{keyField(k), k.Value} }

// readState reads the versions of the rows the batch names, the keys
// they hold and the holders of the keys it gives. Nothing is locked: the
// writes check the versions read, and a racing writer that moved one, or
// took a key, fails the batch's statements, which WriteMany settles.
func (s *Store) readState(ctx context.Context, tx *sql.Tx, tenant string, ids []string, keys []cp.UniqueKey) (*state, error) {
	st := &state{version: map[string]int64{}, stored: map[string]bool{}, was: map[string]int64{}, final: map[string]*cp.Contact{},
		gone: map[string]bool{}, rekeyed: map[string]bool{}}
	rows, err := tx.QueryContext(ctx, s.d.rebind(`SELECT id, version FROM contacts WHERE tenant = $1 AND id IN (SELECT value FROM `+s.d.texts(2)+`)`),
		tenant, jsonArray(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		st.version[id], st.stored[id], st.was[id] = v, true, v
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	st.keys, err = s.keysHeld(ctx, tx, tenant, ids, keys)
	return st, err
}

// keysHeld reads the keys the contacts ids hold, and who holds keys.
func (s *Store) keysHeld(ctx context.Context, q querier, tenant string, ids []string, keys []cp.UniqueKey) (held, error) {
	h := held{owner: map[key]string{}, of: map[string][]key{}}
	pairs := make([][2]string, len(keys))
	for i, k := range keys {
		pairs[i] = [2]string{keyField(k), k.Value}
	}
	rows, err := q.QueryContext(ctx, s.d.rebind(`SELECT field, value, contact_id FROM contact_keys WHERE tenant = $1 AND (
		contact_id IN (SELECT value FROM `+s.d.texts(2)+`) OR
		(field, value) IN (SELECT r.value ->> 0, r.value ->> 1 FROM `+s.d.rows(3)+`))`),
		tenant, jsonArray(ids), jsonArray(pairs))
	if err != nil {
		return h, err
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var id string
		if err := rows.Scan(&k.field, &k.value, &id); err != nil {
			return h, err
		}
		h.owner[k] = id
		h.of[id] = append(h.of[id], k)
	}
	return h, rows.Err()
}

// judge decides one write against the state, as Write would, and on
// success makes it part of the state.
func (st *state) judge(w cp.Write) error {
	id := w.Contact.ID
	v, exists := st.version[id]
	switch {
	case w.Op == cp.Insert && exists:
		return cp.ErrExists
	case w.Op != cp.Insert && !exists:
		return cp.ErrNotFound
	case w.Op != cp.Insert && uint64(v) != w.Version:
		return cp.ErrVersionMismatch
	}
	if w.Op == cp.Delete {
		st.keys.take(id, nil)
		delete(st.version, id)
		delete(st.final, id)
		st.gone[id], st.rekeyed[id] = true, true
		return nil
	}
	if w.Op == cp.Insert || !w.KeepKeys {
		if err := st.keys.check(id, w.Keys); err != nil {
			return err
		}
		if w.Op == cp.Insert || !st.keys.holds(id, w.Keys) {
			st.keys.take(id, w.Keys)
			st.rekeyed[id] = true
		}
	}
	c := w.Contact
	st.version[id], st.final[id] = int64(c.Version), &c
	delete(st.gone, id)
	return nil
}

// check fails with a conflict on the first key another contact holds.
func (h *held) check(id string, keys []cp.UniqueKey) error {
	for _, k := range keys {
		if owner, ok := h.owner[keyOf(k)]; ok && owner != id {
			return &cp.ConflictError{Field: k.Name, OwnerID: owner}
		}
	}
	return nil
}

// holds reports whether contact id holds exactly keys already, so that
// the batch leaves its rows in the keys table as they are.
func (h *held) holds(id string, keys []cp.UniqueKey) bool {
	if len(h.of[id]) != len(keys) {
		return false
	}
	for _, k := range keys {
		if h.owner[keyOf(k)] != id {
			return false
		}
	}
	return true
}

// take gives contact id exactly keys.
func (h *held) take(id string, keys []cp.UniqueKey) {
	for _, k := range h.of[id] {
		delete(h.owner, k)
	}
	h.of[id] = nil
	for _, k := range keys {
		h.owner[keyOf(k)] = id
		h.of[id] = append(h.of[id], keyOf(k))
	}
}

// apply writes what the accepted writes leave: keys freed first, so that
// a key moves between two contacts of one batch, then rows, then keys.
func (s *Store) apply(ctx context.Context, tx *sql.Tx, tenant string, st *state) error {
	var rekeyed []string
	var gone, updates, inserts, newKeys [][]any
	for id := range st.rekeyed {
		rekeyed = append(rekeyed, id)
		for _, k := range st.keys.of[id] {
			newKeys = append(newKeys, []any{k.field, k.value, id})
		}
	}
	for id := range st.gone {
		if st.stored[id] {
			gone = append(gone, []any{id, st.was[id]})
		}
	}
	for id, c := range st.final {
		body, err := bodyOf(*c)
		if err != nil {
			return err
		}
		row := []any{id, c.Version, string(body), emailOf(*c), st.was[id]}
		if st.stored[id] {
			updates = append(updates, row)
		} else {
			inserts = append(inserts, row)
		}
	}
	// One order for every writer, so that two batches never wait on each
	// other's rows.
	byFirst := func(a, b []any) int { return strings.Compare(a[0].(string), b[0].(string)) }
	slices.SortFunc(gone, byFirst)
	slices.SortFunc(updates, byFirst)
	slices.SortFunc(inserts, byFirst)
	slices.SortFunc(newKeys, func(a, b []any) int {
		return strings.Compare(a[0].(string)+"\x00"+a[1].(string), b[0].(string)+"\x00"+b[1].(string))
	})
	// The rows deleted and updated must still be at the versions read;
	// fewer rows touched means a racing writer moved one.
	steps := []struct {
		n       int
		query   string
		arg     string
		checked bool
	}{
		{len(rekeyed), `DELETE FROM contact_keys WHERE tenant = $1 AND contact_id IN (SELECT value FROM ` + s.d.texts(2) + `)`, jsonArray(rekeyed), false},
		{len(gone), `DELETE FROM contacts WHERE tenant = $1 AND (id, version) IN (
			SELECT r.value ->> 0, CAST(r.value ->> 1 AS BIGINT) FROM ` + s.d.rows(2) + `)`, jsonArray(gone), true},
		{len(updates), swapAllQuery(s.d), jsonArray(updates), true},
		{len(inserts), `INSERT INTO contacts (tenant, id, version, body, email)
			SELECT $1, r.value ->> 0, CAST(r.value ->> 1 AS BIGINT), r.value ->> 2, r.value ->> 3 FROM ` + s.d.rows(2), jsonArray(inserts), false},
		{len(newKeys), `INSERT INTO contact_keys (tenant, field, value, contact_id)
			SELECT $1, r.value ->> 0, r.value ->> 1, r.value ->> 2 FROM ` + s.d.rows(2), jsonArray(newKeys), false},
	}
	for _, step := range steps {
		if step.n == 0 {
			continue
		}
		res, err := tx.ExecContext(ctx, s.d.rebind(step.query), tenant, step.arg)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); step.checked && (err != nil || n != int64(step.n)) {
			return errRaced
		}
	}
	return nil
}

// jsonArray writes a statement's rows as one JSON array, each item a
// string, a number, null or an array of those; both databases expand it
// into rows. The bodies it carries make reflection the batch's cost.
func jsonArray[T any](items []T) string {
	size := 2
	for _, v := range items {
		size += sizeOf(v)
	}
	return string(appendItems(make([]byte, 0, size), items))
}

// sizeOf is about the length of an item's JSON, so that the array is
// written into one allocation.
func sizeOf(v any) int {
	switch v := v.(type) {
	case string:
		return len(v) + len(v)/8 + 3
	case []any:
		n := 2
		for _, x := range v {
			n += sizeOf(x)
		}
		return n
	}
	return 21
}

func appendItems[T any](b []byte, items []T) []byte {
	b = append(b, '[')
	for i, v := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, v)
	}
	return append(b, ']')
}

func appendItem(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return wire.AppendString(b, v)
	case uint64:
		return strconv.AppendUint(b, v, 10)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case nil:
		return append(b, "null"...)
	case []any:
		return appendItems(b, v)
	case [2]string:
		return appendItems(b, v[:])
	}
	panic(fmt.Sprintf("sqlstore: a batch row holds a %T", v))
}
