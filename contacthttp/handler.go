package contacthttp

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	cp "github.com/contactpatch/contactpatch"
	"github.com/google/uuid"
)

// Handler serves GET and PATCH of one contact for a Profile over a Store:
// authentication through a hook that names the caller's tenant, whose
// contacts alone the request reaches (rule T1), the body's media type and size (415,
// 413), If-Match and ETags (412, 304), the read-apply-compare-and-swap
// cycle of Profile.Update, the profile's rendering, and every error in
// the profile's error view (rule R15), with a correlation id and one log
// line per request. Set the fields, then call Register or Mux; a Handler
// must not be changed once it serves.
type Handler struct {
	Profile *cp.Profile
	Store   cp.Store
	// Auth says who a request comes from, or refuses it with an error
	// such as ErrInvalidKey. A principal without the scope a route needs
	// gets 403. nil admits every request as a reader and writer of
	// contactpatch.DefaultTenant. KeyAuth builds one for API keys.
	Auth func(r *http.Request) (Principal, error)
	// Options returns the options of one PATCH for the caller (the
	// tenant's custom fields, the clock, the email owner lookup, which
	// contactpatch.EmailOwnerIn keeps inside the tenant); IfMatch is set
	// from the request. nil means the zero Options.
	Options func(r *http.Request, p Principal) cp.Options
	// ContactID turns the id in the path into the id in the tenant's
	// store, or fails, for instance with contactpatch.ErrNotFound. nil
	// keeps the id, writing a UUID in lower case, since UUIDs compare
	// without regard to case.
	ContactID func(r *http.Request, p Principal, id string) (string, error)
	// Logger gets one line per request; nil logs nothing.
	Logger *slog.Logger
	// RequestID returns the id of a request, sent back as X-Request-Id,
	// given to the error view as the correlation id, and logged; nil
	// makes a random UUID for each request.
	RequestID func(r *http.Request) string
	// StoreTimeout bounds the store work of one request (the ContactID
	// hook, Get, every round of Update), counted from the end of the
	// body: past it the work is cancelled and the client gets 503
	// "timeout" with Retry-After. Zero means DefaultStoreTimeout. Keep it
	// below the server's write timeout, or the 503 cannot reach the
	// client.
	StoreTimeout time.Duration
	// Lifecycle says which routes of a contact's life beyond GET and
	// PATCH the handler serves; the zero value serves none of them.
	Lifecycle Lifecycle
	// Idempotency says how the write routes treat the Idempotency-Key
	// header (rule I1); the zero value honours it over a store that
	// keeps answers.
	Idempotency Idempotency
	// QuotaHeader, if set, writes a caller's Quota into the header of
	// every answer its key's rate limit measured, a 429 included, in
	// the API's own names (rule H14; HubSpotQuota writes HubSpot's).
	QuotaHeader func(h http.Header, q Quota)
	// AfterCommit, if set, is called after a PATCH or POST has
	// committed a change, with its Result, for hosts that
	// publish changes elsewhere. It runs after the commit, so a crash
	// may lose its call; the store's Feed, written with the change,
	// loses nothing.
	AfterCommit func(r *http.Request, p Principal, res cp.Result)

	inflight   inflight // the Idempotency-Keys of the writes being served
	errLogOnce sync.Once
	errLog     *limiter     // bounds the lines that carry a server error's cause
	suppressed atomic.Int64 // causes left out since the last one written
}

// DefaultStoreTimeout is half of DefaultTimeouts' write timeout: a
// database that holds a request longer is locked or down, and the client
// learns so while its connection is still open.
const DefaultStoreTimeout = 10 * time.Second

// MaxIDLength is the longest contact id in a path: longer ones, and ids
// with a NUL or control byte or that are not UTF-8, name no contact, and
// are 404 before any store sees them.
const MaxIDLength = 256

// RetryError is a refusal that tells the client when to come back: the
// handler answers it with Retry-After, in whole seconds.
type RetryError struct {
	Err   error // the refusal, such as ErrRateLimited
	After time.Duration
	// Quota is the caller's, when a rate limit refused it.
	Quota Quota
}

// Error returns the refusal's message.
func (e *RetryError) Error() string { return e.Err.Error() }

// Unwrap returns the refusal.
func (e *RetryError) Unwrap() error { return e.Err }

// The router's own refusals, answered in the profile's error view rather
// than net/http's plain text.
var (
	// ErrNoRoute is 404 not_found for a path no route serves.
	ErrNoRoute = cp.NewStatusError(http.StatusNotFound, "not_found", "No such route")
	// ErrMethodNotAllowed is 405 method_not_allowed, answered with Allow.
	ErrMethodNotAllowed = cp.NewStatusError(http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed: the Allow header lists the methods")
)

// Register serves the contact at pattern on mux: PATCH and GET, DELETE
// and the collection's routes as Lifecycle says, and 405 with Allow for
// any other method. pattern is a ServeMux path pattern whose last
// wildcard is the contact id, such as "/v1/contacts/{id}"; the
// collection is the pattern without that segment.
func (h *Handler) Register(mux *http.ServeMux, pattern string) {
	param := IDParam(pattern)
	allow := "GET, PATCH"
	mux.Handle("PATCH "+pattern, h.serve(func(c *call) error { return h.patch(c, param) }))
	mux.Handle("GET "+pattern, h.serve(func(c *call) error { return h.get(c, param) }))
	if h.Lifecycle.Delete != 0 {
		mux.Handle("DELETE "+pattern, h.serve(func(c *call) error { return h.delete(c, param) }))
		allow = "DELETE, GET, PATCH"
	}
	mux.Handle(pattern, h.serve(func(c *call) error {
		c.w.Header().Set("Allow", allow)
		return ErrMethodNotAllowed
	}))
	h.registerCollection(mux, collectionOf(pattern, param))
}

// NotFound answers every request 404 in the profile's error view: what
// to register at "/" of a mux that serves the API.
func (h *Handler) NotFound() http.Handler {
	return h.serve(func(*call) error { return ErrNoRoute })
}

// Mux returns a ServeMux that serves the contact at each pattern, as
// Register does, and answers any other path with NotFound.
func (h *Handler) Mux(patterns ...string) *http.ServeMux {
	mux := http.NewServeMux()
	for _, p := range patterns {
		h.Register(mux, p)
	}
	mux.Handle("/", h.NotFound())
	return mux
}

// IDParam returns the name of the wildcard a Handler reads the contact
// id from: the last {name} or {name...} of a ServeMux pattern ({$} marks
// the end of a path and names nothing), or "" for none.
func IDParam(pattern string) string {
	name := ""
	for rest := pattern; ; {
		open := strings.IndexByte(rest, '{')
		end := strings.IndexByte(rest, '}')
		if open < 0 || end < open {
			return name
		}
		if w := strings.TrimSuffix(rest[open+1:end], "..."); w != "$" {
			name = w
		}
		rest = rest[end+1:]
	}
}

// call is one request as a route serves it: the answer being written,
// and who asked once the route has admitted them.
type call struct {
	w   *statusRecorder
	r   *http.Request
	who Principal
}

// serve runs one route: a correlation id, the route, its error answered
// in the profile's view, and a log line.
func (h *Handler) serve(route func(*call) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := h.requestID(r)
		w.Header().Set("X-Request-Id", id)
		c := &call{w: &statusRecorder{ResponseWriter: w, status: http.StatusOK}, r: r}
		err := route(c)
		if err != nil {
			h.fail(c.w, r, id, err)
		}
		if h.Logger != nil {
			h.log(c, id, time.Since(start), err)
		}
	})
}

// Server errors are logged with their cause, at ERROR for a 500 and WARN
// for a 503, a burst of errorLogBurst and then errorLogRate a second: an
// outage fails every request, and a line of the same cause for each
// would bury the log. The lines left out are counted on the next one,
// and their requests still get their line, without the cause.
const (
	errorLogRate  = 1
	errorLogBurst = 10
)

// log writes a request's line.
func (h *Handler) log(c *call, id string, took time.Duration, err error) {
	r, rec := c.r, c.w
	level := slog.LevelInfo
	attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
		"duration", took, "request_id", id}
	if c.who.Tenant != "" {
		attrs = append(attrs, "tenant", c.who.Tenant, "key_id", c.who.KeyID)
	}
	if rec.status >= 500 && rec.status != statusClientLeft {
		h.errLogOnce.Do(func() { h.errLog = newLimiter(errorLogRate, errorLogBurst, nil) })
		if h.errLog.allow("") {
			level = slog.LevelWarn
			if rec.status == http.StatusInternalServerError {
				level = slog.LevelError
			}
			attrs = append(attrs, "err", err)
			if n := h.suppressed.Swap(0); n > 0 {
				attrs = append(attrs, "causes_suppressed", n)
			}
		} else {
			h.suppressed.Add(1)
		}
	}
	h.Logger.Log(r.Context(), level, "request", attrs...)
}

// statusClientLeft is the 499 of a client that left: no server error.
const statusClientLeft = 499

func (h *Handler) requestID(r *http.Request) string {
	if h.RequestID != nil {
		return h.RequestID(r)
	}
	return uuid.NewString()
}

func (h *Handler) patch(c *call, param string) error {
	if err := h.admit(c, true); err != nil {
		return err
	}
	if err := CheckBody(c.r); err != nil {
		return err
	}
	id, err := h.contactID(c, param)
	if err != nil {
		return err
	}
	body, err := h.readBody(c)
	if err != nil {
		return err
	}
	opts := h.options(c)
	r, cancel := h.withDeadline(c.r)
	defer cancel()
	o, done, err := h.admitOnce(r.Context(), c, body)
	if err != nil || done {
		return storeError(err)
	}
	defer o.release()
	o.answer(&opts, http.StatusOK, h.headerOf, h.Profile.Render)
	res, err := h.Profile.Update(r.Context(), h.Store, c.who.Tenant, id, body, opts)
	if err != nil {
		return storeError(o.settle(r.Context(), err))
	}
	h.committed(c, res)
	return h.respond(c.w, res.Contact)
}

// committed calls AfterCommit for a result that changed the contact.
func (h *Handler) committed(c *call, res cp.Result) {
	if h.AfterCommit != nil && res.Changed() {
		h.AfterCommit(c.r, c.who, res)
	}
}

// readBody reads a request's body, within the profile's limit.
func (h *Handler) readBody(c *call) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, int64(h.Profile.Limits().Body)))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, ErrBodyTooLarge
	case err != nil:
		return nil, cp.ErrValidation // the client broke off its body
	}
	return body, nil
}

// options are the caller's Options, with the request's If-Match.
func (h *Handler) options(c *call) cp.Options {
	var opts cp.Options
	if h.Options != nil {
		opts = h.Options(c.r, c.who)
	}
	opts.IfMatch = JoinedHeader(c.r, "If-Match")
	opts.RequestID, opts.Principal = c.w.Header().Get("X-Request-Id"), c.who.KeyID
	return opts
}

// withDeadline puts the store deadline on r's context.
func (h *Handler) withDeadline(r *http.Request) (*http.Request, context.CancelFunc) {
	d := h.StoreTimeout
	if d <= 0 {
		d = DefaultStoreTimeout
	}
	ctx, cancel := context.WithTimeout(r.Context(), d)
	return r.WithContext(ctx), cancel
}

// storeError tells the client when to come back after a 503 of the
// store work: out of time, too many lost races, a database down. None is
// the client's fault, and each passes.
func storeError(err error) error {
	var retry *RetryError
	if cp.HTTPStatus(err) == http.StatusServiceUnavailable && !errors.As(err, &retry) {
		return &RetryError{Err: err, After: time.Second}
	}
	return err
}

// target admits the caller of a route on one contact without a body,
// puts the store deadline on the request, and resolves the path's id.
func (h *Handler) target(c *call, param string, write bool) (string, context.CancelFunc, error) {
	if err := h.admit(c, write); err != nil {
		return "", func() {}, err
	}
	r, cancel := h.withDeadline(c.r)
	c.r = r
	id, err := h.contactID(c, param)
	return id, cancel, storeError(err)
}

// admitBody admits the caller of a route with a body, and reads it.
func (h *Handler) admitBody(c *call, write bool) ([]byte, error) {
	if err := h.admit(c, write); err != nil {
		return nil, err
	}
	if err := CheckBody(c.r); err != nil {
		return nil, err
	}
	return h.readBody(c)
}

func (h *Handler) get(c *call, param string) error {
	id, cancel, err := h.target(c, param, false)
	defer cancel()
	if err != nil {
		return err
	}
	r := c.r
	stored, err := h.Store.Get(r.Context(), c.who.Tenant, id)
	switch {
	case err != nil:
		return storeError(err)
	case stored.Archived() && !h.showArchived(r):
		return cp.ErrNotFound
	case !cp.MatchesIfMatch(JoinedHeader(r, "If-Match"), stored):
		return cp.ErrPreconditionFailed
	case !MatchesIfNoneMatch(JoinedHeader(r, "If-None-Match"), stored):
		c.w.Header().Set("ETag", cp.ETag(stored))
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	names, sparse := h.historyNames(r), h.Lifecycle.FieldsParam != "" && r.URL.Query().Has(h.Lifecycle.FieldsParam)
	if len(names) == 0 && !sparse {
		return h.respond(c.w, stored)
	}
	out, err := h.Profile.Render(stored)
	if sparse {
		out, err = h.Profile.RenderOnly(stored, listed(r, h.Lifecycle.FieldsParam))
	}
	if err == nil && len(names) > 0 {
		out, err = h.appendHistory(r.Context(), c.who.Tenant, id, out, names)
	}
	if err != nil {
		return storeError(err)
	}
	h.writeContact(c.w, http.StatusOK, stored, out)
	return nil
}

// admit learns who the caller is, and refuses one without the scope the
// route needs.
func (h *Handler) admit(c *call, write bool) error {
	if h.Auth == nil {
		c.who = Principal{Tenant: cp.DefaultTenant, Scopes: ScopeRead | ScopeWrite}
		return nil
	}
	p, err := h.Auth(c.r)
	var retry *RetryError
	switch {
	case h.QuotaHeader == nil:
	case err == nil && p.Quota.Max > 0:
		h.QuotaHeader(c.w.Header(), p.Quota)
	case errors.As(err, &retry) && retry.Quota.Max > 0:
		h.QuotaHeader(c.w.Header(), retry.Quota)
	}
	if err != nil {
		return err
	}
	p.Tenant = p.tenant() // the hooks see the tenant the store is asked for
	c.who = p
	if !p.Scopes.Allows(write) {
		return ErrInsufficientPermissions
	}
	return nil
}

func (h *Handler) contactID(c *call, param string) (string, error) {
	return h.contactIn(c, c.r.PathValue(param))
}

// canonicalID writes a UUID in lower case, since UUIDs compare without
// regard to case, and keeps any other id.
func canonicalID(id string) string {
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 {
		return u.String()
	}
	return id
}

// plausibleID reports whether id could name a contact: not empty, at most
// MaxIDLength bytes of UTF-8 without control characters. A database would
// refuse the others with an error of its own, where no contact is a 404.
func plausibleID(id string) bool {
	if id == "" || len(id) > MaxIDLength || !utf8.ValidString(id) {
		return false
	}
	return !strings.ContainsFunc(id, unicode.IsControl)
}

func (h *Handler) respond(w http.ResponseWriter, c cp.Contact) error {
	return h.respondWith(w, http.StatusOK, c)
}

func (h *Handler) respondWith(w http.ResponseWriter, status int, c cp.Contact) error {
	out, err := h.Profile.Render(c)
	if err != nil {
		return err
	}
	h.writeContact(w, status, c, out)
	return nil
}

// writeContact answers with out, the rendering of c.
func (h *Handler) writeContact(w http.ResponseWriter, status int, c cp.Contact, out []byte) {
	for name, v := range h.headerOf(c) {
		w.Header()[name] = v
	}
	w.WriteHeader(status)
	w.Write(out) // a failed write is a client that left: nothing can reach it
}

// headerOf is the header of an answer that shows c, as a recorded
// answer keeps it.
func (h *Handler) headerOf(c cp.Contact) http.Header {
	return http.Header{"Content-Type": {"application/json"}, "Etag": {cp.ETag(c)}}
}

// fail answers err in the profile's error view.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, id string, err error) {
	var retry *RetryError
	if errors.As(err, &retry) {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.After.Seconds()))))
	}
	pr := cp.ProblemOf(err)
	pr.Instance, pr.CorrelationID = r.URL.Path, id
	ct, body := h.Profile.RenderError(pr)
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(pr.Status)
	w.Write(body)
}

// statusRecorder keeps what a route answered, for the log line.
type statusRecorder struct {
	http.ResponseWriter
	status, bytes int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}
