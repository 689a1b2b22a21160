package contacthttp

// Idempotency-Key on the write routes (rule I1, after the IETF httpapi
// draft): the answer to a write made under a key is recorded by the
// store with the write itself, so that a retry is answered from the
// record and writes nothing, whichever replica it reaches.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// Idempotency says how the write routes treat the Idempotency-Key
// header. The zero value honours the header over a store that keeps
// answers (a contactpatch.Replays), keeps answers DefaultIdempotencyTTL,
// and does not require the header. Over a store that keeps none the
// header is ignored, as the draft asks of a server that does not
// support it.
type Idempotency struct {
	// Require refuses a write without the header: 400
	// idempotency_key_missing.
	Require bool
	// TTL is how long an answer is kept; 0 means DefaultIdempotencyTTL.
	TTL time.Duration
}

// DefaultIdempotencyTTL is how long an answer is kept by default: a day,
// as long as any client retries.
const DefaultIdempotencyTTL = 24 * time.Hour

// MaxIdempotencyKey is the longest key taken.
const MaxIdempotencyKey = 255

// The refusals of rule I1.
var (
	// ErrIdempotencyKeyMissing is 400: the profile requires the header.
	ErrIdempotencyKeyMissing = cp.NewStatusError(http.StatusBadRequest, "idempotency_key_missing", "This write needs an Idempotency-Key header")
	// ErrIdempotencyKeyInvalid is 400: an empty key, or one longer than
	// MaxIdempotencyKey or with control characters.
	ErrIdempotencyKeyInvalid = cp.NewStatusError(http.StatusBadRequest, "idempotency_key_invalid", "The Idempotency-Key must be 1 to 255 printable characters")
	// ErrIdempotencyKeyReused is 422: the key answered another request
	// (another method, path or body).
	ErrIdempotencyKeyReused = cp.NewStatusError(http.StatusUnprocessableEntity, "idempotency_key_reused", "This Idempotency-Key was used for another request")
	// ErrIdempotencyInFlight is 409: a request under the same key is
	// still being served.
	ErrIdempotencyInFlight = cp.NewStatusError(http.StatusConflict, "idempotency_in_flight", "A request with this Idempotency-Key is still in progress; retry later")
)

// once is one write under an Idempotency-Key; a nil once is a write
// without one.
type once struct {
	h           *Handler
	c           *call
	store       cp.Replays
	slot, key   string
	fingerprint string
}

// admitOnce reads the request's key: it answers a retry from the record
// (done), refuses what I1 refuses, or returns the once the write goes
// through. The caller releases it when the write is over.
func (h *Handler) admitOnce(ctx context.Context, c *call, body []byte) (o *once, done bool, err error) {
	raw, sent := c.r.Header["Idempotency-Key"]
	store, keeps := h.Store.(cp.Replays)
	switch {
	case !sent && h.Idempotency.Require:
		return nil, false, ErrIdempotencyKeyMissing
	case !sent || !keeps:
		return nil, false, nil
	}
	key := strings.TrimSpace(strings.Join(raw, ","))
	if k, err := strconv.Unquote(key); err == nil && strings.HasPrefix(key, `"`) {
		key = k // the draft's form is a structured-field string
	}
	if key == "" || len(key) > MaxIdempotencyKey || strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, false, ErrIdempotencyKeyInvalid
	}
	o = &once{h: h, c: c, store: store, key: key, slot: c.who.Tenant + "\x00" + key, fingerprint: fingerprint(c, body)}
	if _, busy := h.inflight.LoadOrStore(o.slot, struct{}{}); busy {
		return nil, false, ErrIdempotencyInFlight
	}
	done, err = o.replay(ctx)
	if done || err != nil {
		o.release()
		return nil, done, err
	}
	return o, false, nil
}

// fingerprint names a request: its method, path and query, tenant and
// body.
func fingerprint(c *call, body []byte) string {
	sum := sha256.New()
	for _, part := range []string{c.r.Method, c.r.URL.RequestURI(), c.who.Tenant} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	sum.Write(body)
	return hex.EncodeToString(sum.Sum(nil))
}

// replay answers from the record, if the key holds one.
func (o *once) replay(ctx context.Context) (bool, error) {
	r, err := o.store.Replay(ctx, o.c.who.Tenant, o.key)
	switch {
	case errors.Is(err, cp.ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case r.Fingerprint != o.fingerprint:
		return false, ErrIdempotencyKeyReused
	}
	h := o.c.w.Header()
	for name, v := range r.Header {
		h[name] = v
	}
	h.Set("Idempotent-Replayed", "true")
	o.c.w.WriteHeader(r.Status)
	o.c.w.Write(r.Body)
	return true, nil
}

// settle answers a write the store refused because another request
// under the key committed first: from that request's record.
func (o *once) settle(ctx context.Context, err error) error {
	if o == nil || !errors.Is(err, cp.ErrReplayExists) {
		return err
	}
	switch done, rerr := o.replay(ctx); {
	case rerr != nil:
		return rerr
	case !done: // the record expired between the two steps
		return ErrIdempotencyInFlight
	}
	return nil
}

func (o *once) release() {
	if o != nil {
		o.h.inflight.Delete(o.slot)
	}
}

// answer sets opts so that the write records the answer it gets, the
// one answerOf writes.
func (o *once) answer(opts *cp.Options, status int, header func(cp.Contact) http.Header, body func(cp.Contact) ([]byte, error)) {
	if o == nil {
		return
	}
	ttl := o.h.Idempotency.TTL
	if ttl <= 0 {
		ttl = DefaultIdempotencyTTL
	}
	opts.Answer = func(c cp.Contact) (*cp.Replay, error) {
		b, err := body(c)
		if err != nil {
			return nil, err
		}
		return &cp.Replay{Key: o.key, Fingerprint: o.fingerprint, Status: status, Header: header(c), Body: b, Expires: time.Now().Add(ttl)}, nil
	}
}

// inflight is the keys whose requests this handler serves now.
type inflight = sync.Map
