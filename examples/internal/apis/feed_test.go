package apis

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "whsec_c2VjcmV0LWJ5dGVz"

// hooks is a webhook receiver on loopback that keeps what verifies.
type hooks struct {
	mu     sync.Mutex
	bodies [][]byte
	bad    int
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	if webhook.Verify(hookSecret, r.Header, body, time.Now(), time.Minute) != nil {
		h.bad++
		return
	}
	h.bodies = append(h.bodies, body)
}

func (h *hooks) count() (int, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies), h.bad
}

// serveWithHooks runs api over a memory store holding contact id, with
// its events delivered to a receiver.
func serveWithHooks(t *testing.T, api server.API, id string) (http.Handler, *hooks) {
	store := new(cp.MemoryStore)
	require.NoError(t, api.Profile.Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: id, JobTitle: cp.Value("Engineer"), Version: 1}))
	rcv := &hooks{}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	cfg := server.Config{API: api, Store: store, WriteKey: "k", WebhookURL: srv.URL, WebhookSecret: hookSecret,
		Logger: slog.New(slog.DiscardHandler)}
	h, err := server.New(cfg)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	stop := server.FollowFeed(ctx, cfg)
	t.Cleanup(func() {
		cancel()
		stop()
	})
	return h, rcv
}

func call(h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer k")
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// waitHooks waits up to 2 s for n verified deliveries.
func waitHooks(t *testing.T, rcv *hooks, n int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		got, bad := rcv.count()
		require.Zero(t, bad, "every delivery verifies")
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deliveries within 2 s, want %d", got, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// E1, E2, I1 on L's server: a PATCH of job_title delivers one signed
// CloudEvent with its old and new value within 2 s, a PATCH that changes
// nothing delivers nothing, and a PATCH of notes retried under one
// Idempotency-Key appends once and is answered byte for byte.
func TestLeadlexWebhooksAndRetries(t *testing.T) {
	const id = "123e4567-e89b-12d3-a456-426614174000"
	path := "/functions/v1/api-gateway/v1/contacts/" + id
	h, rcv := serveWithHooks(t, Leadlex, id)
	require.Equal(t, 200, call(h, http.MethodPatch, path, `{"job_title": "Chief Legal Officer"}`).Code)
	waitHooks(t, rcv, 1)
	var ev struct {
		SpecVersion, Type, Subject string
		Data                       struct{ Changes []cp.FieldChange }
	}
	require.NoError(t, json.Unmarshal(rcv.bodies[0], &ev))
	assert.Equal(t, "1.0", ev.SpecVersion)
	assert.Equal(t, "contact.updated", ev.Type)
	require.Len(t, ev.Data.Changes, 1)
	assert.Equal(t, "job_title", ev.Data.Changes[0].Name)
	assert.JSONEq(t, `"Engineer"`, string(ev.Data.Changes[0].Old))
	assert.JSONEq(t, `"Chief Legal Officer"`, string(ev.Data.Changes[0].New))

	require.Equal(t, 200, call(h, http.MethodPatch, path, `{"job_title": "Chief Legal Officer"}`).Code)
	first := call(h, http.MethodPatch, path, `{"notes": "Promoted"}`, "Idempotency-Key", "retry-1")
	again := call(h, http.MethodPatch, path, `{"notes": "Promoted"}`, "Idempotency-Key", "retry-1")
	require.Equal(t, 200, first.Code, first.Body.String())
	assert.Equal(t, first.Body.String(), again.Body.String(), "the retry's answer is the first, byte for byte")
	assert.Equal(t, 422, call(h, http.MethodPatch, path, `{"notes": "Other"}`, "Idempotency-Key", "retry-1").Code)
	waitHooks(t, rcv, 2)
	time.Sleep(300 * time.Millisecond) // room for a wrong delivery of the no-op or the retry
	n, _ := rcv.count()
	assert.Equal(t, 2, n, "the no-op and the replay delivered nothing")
	get := call(h, http.MethodGet, path, "")
	assert.Equal(t, 1, strings.Count(get.Body.String(), "Promoted"), "appended once: %s", get.Body.String())
}

// H11, E3 on HubSpot's server: two PATCHes of jobtitle, then
// ?propertiesWithHistory=jobtitle lists both values, newest first; the
// webhook payload is HubSpot's.
func TestHubSpotPropertyHistory(t *testing.T) {
	h, rcv := serveWithHooks(t, HubSpot, "151")
	path := "/crm/v3/objects/contacts/151"
	for _, title := range []string{"Counsel", "Chief Counsel"} {
		w := call(h, http.MethodPatch, path, `{"properties": {"jobtitle": "`+title+`"}}`)
		require.Equal(t, 200, w.Code, w.Body.String())
	}
	w := call(h, http.MethodGet, path+"?propertiesWithHistory=jobtitle,lastname&propertiesWithHistory=nosuch", "")
	require.Equal(t, 200, w.Code, w.Body.String())
	var got struct {
		ID         string
		Properties map[string]any
		History    map[string][]struct{ Value, Timestamp, SourceType string } `json:"propertiesWithHistory"`
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got), w.Body.String())
	assert.Equal(t, "151", got.ID)
	require.Len(t, got.History["jobtitle"], 2, w.Body.String())
	assert.Equal(t, "Chief Counsel", got.History["jobtitle"][0].Value, "newest first")
	assert.Equal(t, "Counsel", got.History["jobtitle"][1].Value)
	assert.Equal(t, "API", got.History["jobtitle"][0].SourceType)
	_, err := time.Parse(time.RFC3339, got.History["jobtitle"][0].Timestamp)
	assert.NoError(t, err)
	assert.Empty(t, got.History["lastname"], "a property never changed has no history")
	assert.NotContains(t, got.History, "nosuch", "unknown names are ignored")
	assert.NotContains(t, call(h, http.MethodGet, path, "").Body.String(), "propertiesWithHistory")

	waitHooks(t, rcv, 2)
	var items []map[string]any
	require.NoError(t, json.Unmarshal(rcv.bodies[1], &items))
	require.Len(t, items, 1)
	assert.Equal(t, "contact.propertyChange", items[0]["subscriptionType"])
	assert.Equal(t, "jobtitle", items[0]["propertyName"])
	assert.Equal(t, "Chief Counsel", items[0]["propertyValue"])
	assert.Equal(t, float64(151), items[0]["objectId"])
}

// H10: GET ?properties=email,firstname answers only those properties,
// with the ones HubSpot always returns; unknown names are ignored; L's
// server takes ?fields= the same way, keeping the id.
func TestSparseViews(t *testing.T) {
	h, _ := serveWithHooks(t, HubSpot, "101")
	w := call(h, http.MethodGet, "/crm/v3/objects/contacts/101?properties=email,firstname&properties=nosuch", "")
	require.Equal(t, 200, w.Code, w.Body.String())
	var got struct {
		ID         string
		Properties map[string]any
		CreatedAt  *string
		Archived   *bool
	}
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
	var names []string
	for name := range got.Properties {
		names = append(names, name)
	}
	assert.ElementsMatch(t, []string{"email", "firstname", "hs_object_id", "createdate", "lastmodifieddate"}, names, w.Body.String())
	assert.Equal(t, "101", got.ID)
	assert.NotNil(t, got.Archived)
	assert.Contains(t, call(h, http.MethodGet, "/crm/v3/objects/contacts/101", "").Body.String(), `"jobtitle"`, "no parameter, the whole view")

	const id = "123e4567-e89b-12d3-a456-426614174000"
	l, _ := serveWithHooks(t, Leadlex, id)
	w = call(l, http.MethodGet, "/v1/contacts/"+id+"?fields=job_title", "")
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.JSONEq(t, `{"data": {"id": "`+id+`", "job_title": "Engineer"}}`, w.Body.String())
}
