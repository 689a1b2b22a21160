package contacthttp_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// I1: a retried append under one key appends once and gets the first
// answer byte for byte; the key with another body is 422; without a key
// the write goes through each time; a required key is 400 when missing.
func TestIdempotencyKeyReplaysTheAnswer(t *testing.T) {
	h, store := defaultHandler(t)
	mux := h.Mux("/contacts/{id}")
	first := do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes": "called"}`, "Idempotency-Key", `"k-1"`)
	require.Equal(t, 200, first.status, first.body)
	again := do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes": "called"}`, "Idempotency-Key", `"k-1"`)
	require.Equal(t, 200, again.status)
	assert.Equal(t, first.body, again.body, "the replayed body is the first one")
	assert.Equal(t, first.header.Get("ETag"), again.header.Get("ETag"))
	assert.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
	assert.Empty(t, first.header.Get("Idempotent-Replayed"))
	c, err := store.Get(context.Background(), cp.DefaultTenant, "c1")
	require.NoError(t, err)
	assert.Equal(t, cp.Value("called"), c.Notes, "appended once")
	assert.Equal(t, uint64(2), c.Version)

	p := problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes": "other"}`, "Idempotency-Key", "k-1"), 422)
	assert.Equal(t, "idempotency_key_reused", p.Code)
	problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{}`, "Idempotency-Key", strings.Repeat("k", 256)), 400)

	do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes": "called"}`)
	c, _ = store.Get(context.Background(), cp.DefaultTenant, "c1")
	assert.Equal(t, cp.Value("called\ncalled"), c.Notes, "a write without a key is a new write")

	h.Idempotency.Require = true
	mux = h.Mux("/contacts/{id}")
	assert.Equal(t, "idempotency_key_missing", problemOf(t, do(t, mux, http.MethodPatch, "/contacts/c1", `{"notes": "x"}`), 400).Code)
	assert.Equal(t, 200, do(t, mux, http.MethodGet, "/contacts/c1", "").status, "reads need no key")
}

// I1, T1: keys are per tenant: one key in two tenants is two writes.
func TestIdempotencyKeysPerTenant(t *testing.T) {
	store := new(cp.MemoryStore)
	h := lifeHandler(t, store)
	a := send(h, http.MethodPost, "/contacts", "key-a", `{"email": "ada@example.com"}`, "Idempotency-Key", "k")
	b := send(h, http.MethodPost, "/contacts", "key-b", `{"email": "ada@example.com"}`, "Idempotency-Key", "k")
	require.Equal(t, 201, a.Code)
	require.Equal(t, 201, b.Code)
	assert.Len(t, store.IDs("org_a"), 1)
	assert.Len(t, store.IDs("org_b"), 1)
	retry := send(h, http.MethodPost, "/contacts", "key-a", `{"email": "ada@example.com"}`, "Idempotency-Key", "k")
	require.Equal(t, 201, retry.Code, "a retried create is answered as the first, not 409")
	assert.Equal(t, a.Header().Get("Location"), retry.Header().Get("Location"))
	assert.Equal(t, a.Body.String(), retry.Body.String())
	assert.Len(t, store.IDs("org_a"), 1)

	del := send(h, http.MethodDelete, a.Header().Get("Location"), "key-a", "", "Idempotency-Key", "d")
	require.Equal(t, 204, del.Code)
	retry = send(h, http.MethodDelete, a.Header().Get("Location"), "key-a", "", "Idempotency-Key", "d")
	assert.Equal(t, 204, retry.Code, "a retried erasure is answered as the first, not 404")
	assert.Equal(t, "true", retry.Header().Get("Idempotent-Replayed"))
}

// gate is a store whose first Get waits until the test lets it go, so
// that a request can be held in flight.
type gate struct {
	*cp.MemoryStore
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func (g *gate) Get(ctx context.Context, tenant, id string) (cp.Contact, error) {
	g.once.Do(func() {
		close(g.entered)
		<-g.release
	})
	return g.MemoryStore.Get(ctx, tenant, id)
}

// I1: a retry while the first request is in flight is 409; a request
// that another replica answered first, while it waited, is answered
// from that replica's record and writes nothing.
func TestIdempotencyKeyInFlightAndAcrossReplicas(t *testing.T) {
	store := new(cp.MemoryStore)
	put(t, store, cp.Contact{ID: "c1", Version: 1})
	g := &gate{MemoryStore: store, entered: make(chan struct{}), release: make(chan struct{})}
	slow := (&contacthttp.Handler{Profile: cp.Default(), Store: g}).Mux("/contacts/{id}")
	other := (&contacthttp.Handler{Profile: cp.Default(), Store: store}).Mux("/contacts/{id}")

	held := make(chan answer)
	go func() {
		held <- do(t, slow, http.MethodPatch, "/contacts/c1", `{"notes": "once"}`, "Idempotency-Key", "k")
	}()
	<-g.entered
	assert.Equal(t, "idempotency_in_flight", problemOf(t, do(t, slow, http.MethodPatch, "/contacts/c1", `{"notes": "once"}`, "Idempotency-Key", "k"), 409).Code)
	won := do(t, other, http.MethodPatch, "/contacts/c1", `{"notes": "once"}`, "Idempotency-Key", "k")
	require.Equal(t, 200, won.status, won.body)
	close(g.release)
	late := <-held
	require.Equal(t, 200, late.status, late.body)
	assert.Equal(t, won.body, late.body)
	assert.Equal(t, "true", late.header.Get("Idempotent-Replayed"))
	c, err := store.Get(context.Background(), cp.DefaultTenant, "c1")
	require.NoError(t, err)
	assert.Equal(t, cp.Value("once"), c.Notes)
}

// E1: the handler records the request id and the caller's key on the
// event, and AfterCommit sees each committed change and no no-op.
func TestEventsCarryTheRequest(t *testing.T) {
	store := new(cp.MemoryStore)
	var seen []cp.Result
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Keys: tenantKeys})
	require.NoError(t, err)
	hd := &contacthttp.Handler{Profile: cp.Default(), Store: store, Auth: auth,
		RequestID:   func(*http.Request) string { return "req-7" },
		AfterCommit: func(_ *http.Request, _ contacthttp.Principal, res cp.Result) { seen = append(seen, res) }}
	require.NoError(t, cp.Default().Insert(context.Background(), store, "org_a", cp.Contact{ID: "c1", Version: 1}))
	mux := hd.Mux("/contacts/{id}")
	require.Equal(t, 200, send(mux, http.MethodPatch, "/contacts/c1", "key-a", `{"job_title": "Counsel"}`).Code)
	require.Equal(t, 200, send(mux, http.MethodPatch, "/contacts/c1", "key-a", `{"job_title": "Counsel"}`).Code)
	require.Len(t, seen, 1, "a no-op is not a commit")
	evs, err := store.History(context.Background(), "org_a", "c1")
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, "req-7", evs[0].RequestID)
	assert.Equal(t, "ka", evs[0].Principal)
	assert.Equal(t, "job_title", evs[0].Changes[0].Name)
}
