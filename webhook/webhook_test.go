package webhook_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The vector the Standard Webhooks specification publishes, so that a
// receiver's own library verifies what the Deliverer signs.
func TestSignMatchesTheStandardVector(t *testing.T) {
	got := webhook.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	assert.Equal(t, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", got)
}

func TestVerify(t *testing.T) {
	const secret = "whsec_c2VjcmV0LWJ5dGVz"
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"a":1}`)
	h := http.Header{}
	webhook.SignHeader(h, secret, "evt-1", now, body)
	require.NoError(t, webhook.Verify(secret, h, body, now.Add(time.Minute), 5*time.Minute))
	assert.ErrorIs(t, webhook.Verify(secret, h, []byte(`{"a":2}`), now, 5*time.Minute), webhook.ErrBadSignature, "a changed body")
	assert.ErrorIs(t, webhook.Verify("whsec_b3RoZXI=", h, body, now, 5*time.Minute), webhook.ErrBadSignature, "another secret")
	assert.ErrorIs(t, webhook.Verify(secret, h, body, now.Add(10*time.Minute), 5*time.Minute), webhook.ErrBadSignature, "too old")
	h.Set("webhook-signature", "v1,bm9wZQ== "+h.Get("webhook-signature"))
	assert.NoError(t, webhook.Verify(secret, h, body, now, 5*time.Minute), "one of several signatures")
	assert.ErrorIs(t, webhook.Verify(secret, http.Header{}, body, now, time.Minute), webhook.ErrBadSignature, "no headers")
}

// receiver is a webhook endpoint on loopback that refuses the first
// fails requests and records the rest, verified.
type receiver struct {
	mu    sync.Mutex
	fails int
	got   []delivery
	srv   *httptest.Server
}

type delivery struct {
	id   string
	body []byte
	ok   bool
}

func newReceiver(t *testing.T, secret string, fails int) *receiver {
	r := &receiver{fails: fails}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.fails > 0 {
			r.fails--
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		err := webhook.Verify(secret, req.Header, body, time.Now(), time.Minute)
		r.got = append(r.got, delivery{req.Header.Get("webhook-id"), body, err == nil})
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

// waitFor polls until n deliveries arrived, for at most 5 s.
func (r *receiver) waitFor(t *testing.T, n int) []delivery {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if got := r.deliveries(); len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%d deliveries, want %d", len(r.deliveries()), n)
	return nil
}

// waitCursor waits up to 5 s for the deliverer's cursor to reach seq.
func waitCursor(t *testing.T, store *cp.MemoryStore, seq uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		cursor, err := store.Cursor(context.Background(), "webhook")
		require.NoError(t, err)
		if cursor >= seq {
			require.Equal(t, seq, cursor, "the cursor stops at the last event delivered")
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cursor is at %d, want %d", cursor, seq)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func patch(t *testing.T, s *cp.MemoryStore, body string) {
	t.Helper()
	_, err := cp.Default().Update(context.Background(), s, cp.DefaultTenant, "c1", []byte(body), cp.Options{RequestID: "req-1"})
	require.NoError(t, err)
}

// E2: every event reaches the receiver signed, in feed order, after the
// receiver's refusals; a deliverer started again under the same name
// resumes after the last event delivered.
func TestDelivererRetriesAndResumes(t *testing.T) {
	const secret = "whsec_c2VjcmV0LWJ5dGVz"
	store := new(cp.MemoryStore)
	require.NoError(t, cp.Default().Insert(context.Background(), store, cp.DefaultTenant, cp.Contact{ID: "c1", Version: 1}))
	patch(t, store, `{"job_title": "Engineer"}`)
	patch(t, store, `{"job_title": "Engineer"}`) // no change, no event
	patch(t, store, `{"job_title": "Counsel"}`)
	rcv := newReceiver(t, secret, 2)
	run := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		d := &webhook.Deliverer{Feed: store, URL: rcv.srv.URL, Secret: secret, Poll: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond}
		done := make(chan error)
		go func() { done <- d.Run(ctx) }()
		return func() {
			cancel()
			assert.ErrorIs(t, <-done, context.Canceled)
		}
	}
	evs, err := store.Events(context.Background(), 0, 0)
	require.NoError(t, err)
	require.Len(t, evs, 2)
	stop := run()
	got := rcv.waitFor(t, 2)
	// A delivery is done once the cursor passes it; a deliverer stopped
	// before that sends it again, as at-least-once allows.
	waitCursor(t, store, evs[1].Seq)
	stop()
	for i, d := range got {
		assert.True(t, d.ok, "delivery %d verifies", i)
		assert.Equal(t, evs[i].ID, d.id, "in feed order, the event id as webhook-id")
	}
	var ce struct {
		SpecVersion, ID, Source, Type, Subject string
		Data                                   struct {
			Tenant    string
			ContactID string `json:"contact_id"`
			Version   uint64
			Changes   []cp.FieldChange
		}
	}
	require.NoError(t, json.Unmarshal(got[1].body, &ce))
	assert.Equal(t, "1.0", ce.SpecVersion)
	assert.Equal(t, "contact.updated", ce.Type)
	assert.Equal(t, "c1", ce.Subject)
	require.Len(t, ce.Data.Changes, 1)
	assert.Equal(t, "job_title", ce.Data.Changes[0].Name)
	assert.JSONEq(t, `"Engineer"`, string(ce.Data.Changes[0].Old))
	assert.JSONEq(t, `"Counsel"`, string(ce.Data.Changes[0].New))

	patch(t, store, `{"job_title": "Chief Counsel"}`)
	stop = run()
	got = rcv.waitFor(t, 3)
	waitCursor(t, store, evs[1].Seq+1)
	time.Sleep(50 * time.Millisecond) // room for a wrong repeat to arrive
	stop()
	assert.Len(t, rcv.deliveries(), 3, "resumed after the last delivered, nothing sent twice")
	assert.NotEqual(t, got[1].id, got[2].id)
}

// E2, H11: HubSpot's payload has one propertyChange item per changed
// property, values as strings, ids stable across attempts.
func TestHubSpotFormat(t *testing.T) {
	ev := cp.Event{Seq: 7, ID: "e", Type: cp.EventUpdated, Tenant: "t", ContactID: "151", Time: time.UnixMilli(1_700_000_000_123), Principal: "key-1",
		Changes: []cp.FieldChange{{Name: "jobtitle", Old: json.RawMessage(`null`), New: json.RawMessage(`"Counsel"`)}, {Name: "phone", Old: json.RawMessage(`"1"`), New: json.RawMessage(`null`)}}}
	f := webhook.HubSpot{AppID: 3, SubscriptionID: 4, PortalID: func(string) int64 { return 99 }}
	first, ct, err := f.Encode(ev, 0)
	require.NoError(t, err)
	assert.Equal(t, "application/json", ct)
	var items []map[string]any
	require.NoError(t, json.Unmarshal(first, &items))
	require.Len(t, items, 2)
	assert.Equal(t, "contact.propertyChange", items[0]["subscriptionType"])
	assert.Equal(t, "jobtitle", items[0]["propertyName"])
	assert.Equal(t, "Counsel", items[0]["propertyValue"])
	assert.Equal(t, "", items[1]["propertyValue"], "a cleared property")
	assert.Equal(t, float64(151), items[0]["objectId"])
	assert.Equal(t, float64(99), items[0]["portalId"])
	assert.Equal(t, float64(1_700_000_000_123), items[0]["occurredAt"])
	assert.NotEqual(t, items[0]["eventId"], items[1]["eventId"])
	again, _, _ := f.Encode(ev, 1)
	var retried []map[string]any
	require.NoError(t, json.Unmarshal(again, &retried))
	assert.Equal(t, items[0]["eventId"], retried[0]["eventId"])
	assert.Equal(t, float64(1), retried[0]["attemptNumber"])
}
