package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
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
	store.Put(cp.Contact{ID: "c1"})
	log := &levels{}
	h := New(Config{API: API{Name: "t", Profile: cp.Default(), Paths: []string{"/contacts/{id}"}, Key: contacthttp.BearerKey},
		Store: &store, WriteKey: "k", Logger: slog.New(log)})
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
