package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
)

// levels records the level of every log line.
type levels struct {
	mu  sync.Mutex
	got []slog.Level
}

func (l *levels) Enabled(context.Context, slog.Level) bool { return true }
func (l *levels) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, r.Level)
	return nil
}
func (l *levels) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *levels) WithGroup(string) slog.Handler      { return l }

// A client that leaves before its answer is not a server error: the
// request ends with 499 and no ERROR line is logged.
func TestClientDisconnectIsNoServerError(t *testing.T) {
	var store cp.MemoryStore
	if err := cp.Default().Insert(context.Background(), &store, cp.DefaultTenant, cp.Contact{ID: "c1"}); err != nil {
		t.Fatal(err)
	}
	log := &levels{}
	h, err := New(Config{API: API{Name: "t", Profile: cp.Default(), Paths: []string{"/contacts/{id}"}, Key: contacthttp.BearerKey},
		Store: &store, WriteKey: "k", Logger: slog.New(log)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is gone
	req := httptest.NewRequestWithContext(ctx, http.MethodPatch, "/contacts/c1", strings.NewReader(`{"job_title":"CTO"}`))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("status %d, want 499", rec.Code)
	}
	for _, l := range log.got {
		if l >= slog.LevelError {
			t.Errorf("a disconnect was logged at %v", l)
		}
	}
	if len(log.got) == 0 {
		t.Error("the request was not logged at all")
	}
}

// With -db sqlite:PATH, a change survives a restart, and the seed fills
// only an empty database.
func TestDatabaseSurvivesRestart(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "contacts.db")
	seed := []byte(`{"contacts": [{"id": "c1", "full_name": "Ada Lovelace", "email": "ada@example.com"}]}`)
	serve := func() (http.Handler, func()) {
		store, names, closeStore, err := OpenStore(context.Background(), dsn, nil, cp.Default(), Seeds{cp.DefaultTenant: seed})
		if err != nil {
			t.Fatal(err)
		}
		h, err := New(Config{API: API{Name: "t", Profile: cp.Default(), Paths: []string{"/contacts/{id}"}, Key: contacthttp.BearerKey},
			Store: store, CustomFields: names, WriteKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		return h, closeStore
	}
	do := func(h http.Handler, method, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/contacts/c1", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer k")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	h, stop := serve()
	if r := do(h, http.MethodPatch, `{"job_title": "Analyst"}`); r.Code != 200 {
		t.Fatalf("PATCH: %d %s", r.Code, r.Body)
	}
	stop()
	h, stop = serve() // the restart: the seed must not overwrite the change
	defer stop()
	r := do(h, http.MethodGet, "")
	if r.Code != 200 || !strings.Contains(r.Body.String(), `"job_title":"Analyst"`) || r.Header().Get("ETag") != `"v1"` {
		t.Fatalf("after a restart: %d %s %s", r.Code, r.Header().Get("ETag"), r.Body)
	}
}

// The public demo key is accepted only under -demo; without -key or
// -demo a server does not start.
func TestChooseKey(t *testing.T) {
	for _, c := range []struct {
		key  string
		demo bool
		want string
		ok   bool
	}{
		{"", true, DemoKey, true},
		{"", false, "", false},
		{DemoKey, false, "", false},
		{DemoKey, true, DemoKey, true},
		{"s3cret", false, "s3cret", true},
		{"s3cret", true, "s3cret", true},
	} {
		got, err := chooseKey(c.key, c.demo, false)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("chooseKey(%q, %t) = %q, %v; want %q, ok %t", c.key, c.demo, got, err, c.want, c.ok)
		}
	}
}

// W1: a seed is checked as a create is: a contact that a policy refuses
// stops the start, naming it, and nothing is stored.
func TestBadSeedRefusesToStart(t *testing.T) {
	seed := []byte(`{"contacts": [{"data": {"id": "123e4567-e89b-12d3-a456-426614174000", "full_name": "Jane Doe", "email": "jane at example"}}]}`)
	_, _, _, err := OpenStore(context.Background(), "", nil, profiles.Leadlex(), Seeds{cp.DefaultTenant: seed})
	if err == nil || !strings.Contains(err.Error(), "123e4567") || !strings.Contains(err.Error(), "email") {
		t.Fatalf("a seed with an invalid email: %v", err)
	}
}
