package contacthttp_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/stretchr/testify/assert"
)

// stuckStore is a database that holds every call until the caller gives
// up, as a row lock or a frozen server does; it counts the calls.
type stuckStore struct{ calls atomic.Int64 }

func (s *stuckStore) Get(ctx context.Context, _, _ string) (cp.Contact, error) {
	s.calls.Add(1)
	<-ctx.Done()
	return cp.Contact{}, ctx.Err()
}

func (s *stuckStore) Write(ctx context.Context, _ cp.Write) error {
	<-ctx.Done()
	return ctx.Err()
}

// O1: store work that outlives the deadline is cancelled, and the client
// gets 503 "timeout" with Retry-After, in time.
func TestStoreDeadlineAnswers503(t *testing.T) {
	s := &stuckStore{}
	h := &contacthttp.Handler{Profile: cp.Default(), Store: s, StoreTimeout: 50 * time.Millisecond}
	mux := h.Mux("/contacts/{id}")
	for _, method := range []string{http.MethodPatch, http.MethodGet} {
		start := time.Now()
		a := do(t, mux, method, "/contacts/c1", `{"notes": "x"}`)
		pr := problemOf(t, a, http.StatusServiceUnavailable)
		assert.Equal(t, "timeout", pr.Code, method)
		assert.Equal(t, "1", a.header.Get("Retry-After"), method)
		assert.Less(t, time.Since(start), 2*time.Second, method)
	}
}

// contendedStore loses every compare-and-swap.
type contendedStore struct{ cp.MemoryStore }

func (s *contendedStore) Write(context.Context, cp.Write) error {
	return cp.ErrVersionMismatch
}

func TestContendedUpdateAnswers503WithRetryAfter(t *testing.T) {
	s := &contendedStore{}
	put(t, &s.MemoryStore, cp.Contact{ID: "c1"})
	h := &contacthttp.Handler{Profile: cp.Default(), Store: s}
	a := do(t, h.Mux("/contacts/{id}"), http.MethodPatch, "/contacts/c1", `{"notes": "x"}`)
	assert.Equal(t, "contended", problemOf(t, a, http.StatusServiceUnavailable).Code)
	assert.Equal(t, "1", a.header.Get("Retry-After"))
}

// O1: an id that cannot name a contact (NUL, a control byte, not
// UTF-8, too long) is 404 before the store or the ContactID hook sees it,
// answered as an unknown id is.
func TestImplausibleIDsAre404BeforeTheStore(t *testing.T) {
	s := &stuckStore{}
	hooked := false
	h := &contacthttp.Handler{Profile: profiles.HubSpot(), Store: s,
		ContactID: func(*http.Request, contacthttp.Principal, string) (string, error) {
			hooked = true
			return "", cp.ErrNotFound
		}}
	mux := h.Mux("/contacts/{id}")
	for _, id := range []string{"%00", "a%00b", "%ff", "a%0Ab", url.PathEscape(strings.Repeat("x", contacthttp.MaxIDLength+1))} {
		for _, method := range []string{http.MethodGet, http.MethodPatch} {
			a := do(t, mux, method, "/contacts/"+id+"?idProperty=email", `{"properties": {}}`)
			assert.Equal(t, http.StatusNotFound, a.status, "%s %s: %s", method, id, a.body)
		}
	}
	assert.Zero(t, s.calls.Load(), "the store was called")
	assert.False(t, hooked, "the ContactID hook was called")
	a := do(t, mux, http.MethodGet, "/contacts/"+strings.Repeat("x", contacthttp.MaxIDLength), "")
	assert.Equal(t, http.StatusNotFound, a.status)
	assert.True(t, hooked, "an id of the longest length reaches the hook")
}

// downStore is a database that is down: every call fails with a 503.
type downStore struct{}

var errDown = cp.NewStatusError(http.StatusServiceUnavailable, "unavailable", "The database is unavailable")

func (downStore) Get(context.Context, string, string) (cp.Contact, error) {
	return cp.Contact{}, fmt.Errorf("dial tcp 127.0.0.1:5432: connection refused: %w", errDown)
}

func (downStore) Write(context.Context, cp.Write) error { return errDown }

// O1: during an outage every request still gets its line, but the lines
// that carry the cause are a burst of ten, then one a second.
func TestOutageLoggingIsRateLimited(t *testing.T) {
	var logs bytes.Buffer
	h := &contacthttp.Handler{Profile: cp.Default(), Store: downStore{}, Logger: slog.New(slog.NewJSONHandler(&logs, nil))}
	mux := h.Mux("/contacts/{id}")
	for range 200 {
		a := do(t, mux, http.MethodGet, "/contacts/c1", "")
		assert.Equal(t, http.StatusServiceUnavailable, a.status)
		assert.Equal(t, "1", a.header.Get("Retry-After"))
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	assert.Len(t, lines, 200, "every request has its line")
	causes := strings.Count(logs.String(), "connection refused")
	assert.GreaterOrEqual(t, causes, 10)
	assert.LessOrEqual(t, causes, 12, "lines carrying the cause")
	assert.Equal(t, causes, strings.Count(logs.String(), `"level":"WARN"`))
}
