package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
)

// The batch benchmarks (rule W4) update 100 contacts of G's profile, whose
// email is a unique key: Profile.UpdateMany (decode, one read of all,
// apply, one WriteMany) against what a handler without the library does
// at the least, decoding each input with encoding/json into a struct of
// *string fields and encoding the stored body, then either a plain loop
// of 100 UPDATEs, each its own transaction, or one set-based UPDATE of
// the 100 bodies, with no read, no version and no validation. The create
// benchmarks compare Profile.Create (checks, row and key in one
// transaction) with a plain INSERT of the body so encoded.
const batchSize = 100

// batchStore opens a store holding contacts b0..b99, each with an email.
func batchStore(b *testing.B, dsn string) *sqlstore.Store { return batchStoreWith(b, dsn, nil) }

func batchStoreWith(b *testing.B, dsn string, opts *sqlstore.Options) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	prof := profiles.Gomry()
	contacts := make([]cp.Contact, batchSize)
	for i := range contacts {
		contacts[i] = cp.Contact{ID: fmt.Sprintf("b%d", i), Email: cp.Value(fmt.Sprintf("b%d@example.com", i)),
			FirstName: cp.Value("Jane"), LastName: cp.Value("Doe"), Version: 1}
	}
	if _, err := s.Seed(context.Background(), cp.DefaultTenant, contacts, prof.UniqueKeys); err != nil {
		b.Fatal(err)
	}
	return s
}

// batchInputs are two batches, alternating job titles, so that every
// round writes every contact.
func batchInputs() [2][]cp.Input {
	var out [2][]cp.Input
	for v, title := range []string{"Chief Legal Officer", "General Counsel"} {
		for i := range batchSize {
			out[v] = append(out[v], cp.Input{ID: fmt.Sprintf("b%d", i), Body: []byte(`{"job_title": "` + title + `", "phone_number": "+1-555-0100"}`)})
		}
	}
	return out
}

func benchBatchUpdate(b *testing.B, dsn string) { benchBatchUpdateOf(b, batchStore(b, dsn)) }

func benchBatchUpdateOf(b *testing.B, s *sqlstore.Store) {
	in := batchInputs()
	ctx, prof := context.Background(), profiles.Gomry()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		out, err := prof.UpdateMany(ctx, s, cp.DefaultTenant, in[i%2], cp.BatchOptions{})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range out {
			if o.Err != nil || !o.Result.Changed() {
				b.Fatalf("input: %v (changed %v)", o.Err, o.Result.Changed())
			}
		}
	}
}

// plainDB is the database of a store that batchStore seeded, opened as a
// team without the library would.
func plainDB(b *testing.B, driver, source string) *sql.DB {
	if driver == "sqlite" {
		source += "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// plainContact is the stored body of a handler without the library.
type plainContact struct {
	ID        string  `json:"id"`
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Email     *string `json:"email"`
	JobTitle  *string `json:"job_title"`
	Phone     *string `json:"phone"`
}

// plainBodies is what a plain handler writes for the inputs: each decoded
// with encoding/json and its body encoded.
func plainBodies(b *testing.B, in []cp.Input) []string {
	out := make([]string, len(in))
	first, last := "Jane", "Doe"
	for i, input := range in {
		var patch struct {
			JobTitle *string `json:"job_title"`
			Phone    *string `json:"phone_number"`
		}
		if err := json.Unmarshal(input.Body, &patch); err != nil {
			b.Fatal(err)
		}
		email := input.ID + "@example.com"
		body, _ := json.Marshal(plainContact{ID: input.ID, FirstName: &first, LastName: &last, Email: &email, JobTitle: patch.JobTitle, Phone: patch.Phone})
		out[i] = string(body)
	}
	return out
}

func benchUpdateLoop(b *testing.B, driver, source, dsn string) {
	batchStore(b, dsn)
	db := plainDB(b, driver, source)
	in := batchInputs()
	update := forDriver(driver, `UPDATE contacts SET body = $1 WHERE tenant = $2 AND id = $3`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for j, body := range plainBodies(b, in[i%2]) {
			if _, err := db.Exec(update, body, cp.DefaultTenant, fmt.Sprintf("b%d", j)); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func benchUpdateSet(b *testing.B, driver, source, dsn string) {
	batchStore(b, dsn)
	db := plainDB(b, driver, source)
	in := batchInputs()
	rows := `jsonb_array_elements($2::jsonb) AS r`
	if driver == "sqlite" {
		rows = `json_each($2) AS r`
	}
	update := forDriver(driver, `WITH w AS MATERIALIZED (SELECT r.value ->> 0 AS id, r.value ->> 1 AS body FROM `+rows+`)
		UPDATE contacts SET body = w.body FROM w WHERE contacts.tenant = $1 AND contacts.id = w.id`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		pairs := make([][2]string, batchSize)
		for j, body := range plainBodies(b, in[i%2]) {
			pairs[j] = [2]string{in[i%2][j].ID, body}
		}
		raw, _ := json.Marshal(pairs)
		if _, err := db.Exec(update, cp.DefaultTenant, string(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func benchCreate(b *testing.B, dsn string) { benchCreateOf(b, batchStore(b, dsn)) }

func benchCreateOf(b *testing.B, s *sqlstore.Store) {
	ctx, prof := context.Background(), profiles.Gomry()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"email": "new%d@example.com", "first_name": "Jane", "last_name": "Doe", "job_title": "Counsel"}`, i)
		if _, err := prof.Create(ctx, s, cp.DefaultTenant, []byte(body), cp.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchInsert(b *testing.B, driver, source, dsn string) {
	batchStore(b, dsn)
	db := plainDB(b, driver, source)
	insert := forDriver(driver, `INSERT INTO contacts (tenant, id, version, body, email) VALUES ($1, $2, 1, $3, $4)`)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		raw := fmt.Sprintf(`{"email": "new%d@example.com", "first_name": "Jane", "last_name": "Doe", "job_title": "Counsel"}`, i)
		var in plainContact
		if err := json.Unmarshal([]byte(raw), &in); err != nil {
			b.Fatal(err)
		}
		in.ID = fmt.Sprintf("n%d", i)
		email := *in.Email
		body, _ := json.Marshal(in)
		if _, err := db.Exec(insert, cp.DefaultTenant, fmt.Sprintf("n%d", i), string(body), email); err != nil {
			b.Fatal(err)
		}
	}
}

// forDriver writes a query in the driver's parameters.
func forDriver(driver, q string) string {
	if driver == "sqlite" {
		return rebind(q)
	}
	return q
}

func BenchmarkBatchUpdateSQLite(b *testing.B) {
	benchBatchUpdate(b, "sqlite:"+filepath.Join(b.TempDir(), "c.db"))
}

func BenchmarkBaselineUpdateLoopSQLite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.db")
	benchUpdateLoop(b, "sqlite", "file:"+path, "sqlite:"+path)
}

func BenchmarkBaselineUpdateSetSQLite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.db")
	benchUpdateSet(b, "sqlite", "file:"+path, "sqlite:"+path)
}

func BenchmarkBatchUpdatePostgres(b *testing.B) { benchBatchUpdate(b, postgresDB(b)) }

// BenchmarkBatchUpdatePostgresNoEvents is the batch over a store that
// keeps no change feed (Options.DropEvents): the write alone, against
// which the events' cost is measured.
func BenchmarkBatchUpdatePostgresNoEvents(b *testing.B) {
	benchBatchUpdateOf(b, batchStoreWith(b, postgresDB(b), &sqlstore.Options{DropEvents: true}))
}

func BenchmarkBaselineUpdateLoopPostgres(b *testing.B) {
	url := postgresDB(b)
	benchUpdateLoop(b, "pgx", url, url)
}

func BenchmarkBaselineUpdateSetPostgres(b *testing.B) {
	url := postgresDB(b)
	benchUpdateSet(b, "pgx", url, url)
}

func BenchmarkCreateSQLite(b *testing.B) {
	benchCreate(b, "sqlite:"+filepath.Join(b.TempDir(), "c.db"))
}

func BenchmarkBaselineInsertSQLite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.db")
	benchInsert(b, "sqlite", "file:"+path, "sqlite:"+path)
}

func BenchmarkCreatePostgres(b *testing.B) { benchCreate(b, postgresDB(b)) }

// BenchmarkCreatePostgresNoEvents is the create over a store that keeps
// no change feed: what the create's event costs.
func BenchmarkCreatePostgresNoEvents(b *testing.B) {
	benchCreateOf(b, batchStoreWith(b, postgresDB(b), &sqlstore.Options{DropEvents: true}))
}

func BenchmarkBaselineInsertPostgres(b *testing.B) {
	url := postgresDB(b)
	benchInsert(b, "pgx", url, url)
}
