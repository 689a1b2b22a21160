package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
)

// The PATCH benchmarks send L bodies that change the job title and the
// phone (alternating between two values, so that every request writes)
// through an http.Handler to a database: the library's Handler
// (Profile.Update's read, apply, compare-and-swap) against a plain
// handler that decodes with encoding/json and runs one UPDATE, with no
// compare-and-swap, no validation and no transaction. The ratio is what
// the safety costs.
var patchBodies = [2]string{
	`{"job_title": "Chief Legal Officer", "phone": "+1-555-0100"}`,
	`{"job_title": "General Counsel", "phone": "+1-555-0199"}`,
}

func BenchmarkPatchHandlerSQLite(b *testing.B) {
	benchHandler(b, "sqlite:"+filepath.Join(b.TempDir(), "c.db"))
}

func BenchmarkBaselinePlainSQLite(b *testing.B) {
	path := filepath.Join(b.TempDir(), "c.db")
	benchPlain(b, "sqlite", "file:"+path, "sqlite:"+path)
}

func BenchmarkPatchHandlerPostgres(b *testing.B) {
	benchHandler(b, postgresDB(b))
}

func BenchmarkBaselinePlainPostgres(b *testing.B) {
	url := postgresDB(b)
	benchPlain(b, "pgx", url, url)
}

// BenchmarkPatchHandlerPostgresNoEvents is the same PATCH over a store
// that keeps no change feed (Options.DropEvents): against
// BenchmarkPatchHandlerPostgres, what recording each change's event in
// the write's transaction costs (rule E1).
func BenchmarkPatchHandlerPostgresNoEvents(b *testing.B) {
	h := &contacthttp.Handler{Profile: profiles.Leadlex(), Store: seededWith(b, postgresDB(b), &sqlstore.Options{DropEvents: true})}
	serve(b, h.Mux("/v1/contacts/{id}"))
}

func postgresDB(b *testing.B) string {
	if pg == nil {
		b.Skip("no PostgreSQL server")
	}
	url, err := pg.Database("bench")
	if err != nil {
		b.Fatal(err)
	}
	return url
}

// seeded opens a store holding contact c1.
func seeded(b *testing.B, dsn string) *sqlstore.Store { return seededWith(b, dsn, nil) }

func seededWith(b *testing.B, dsn string, opts *sqlstore.Options) *sqlstore.Store {
	s, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := cp.Default().Insert(context.Background(), s, cp.DefaultTenant, cp.Contact{ID: "c1", FullName: cp.Value("Jane Doe"), Version: 1}); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchHandler(b *testing.B, dsn string) {
	h := &contacthttp.Handler{Profile: profiles.Leadlex(), Store: seeded(b, dsn)}
	serve(b, h.Mux("/v1/contacts/{id}"))
}

// benchPlain is the handler a team writes without the library: decode
// into a struct, one UPDATE of the fields sent.
func benchPlain(b *testing.B, driver, source, dsn string) {
	seeded(b, dsn) // the same schema and row
	if driver == "sqlite" {
		source += "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	update := `UPDATE contacts SET body = $1 WHERE id = $2`
	if driver == "sqlite" {
		update = `UPDATE contacts SET body = ?1 WHERE id = ?2`
	}
	mux := http.NewServeMux()
	mux.HandleFunc("PATCH /v1/contacts/{id}", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			JobTitle *string `json:"job_title"`
			Phone    *string `json:"phone"`
		}
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out, _ := json.Marshal(in)
		if _, err := db.ExecContext(r.Context(), update, string(out), r.PathValue("id")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	})
	serve(b, mux)
}

func serve(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		r := httptest.NewRequest(http.MethodPatch, "/v1/contacts/c1", strings.NewReader(patchBodies[i%2]))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		io.Discard.Write(w.Body.Bytes())
	}
}
