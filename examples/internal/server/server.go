// Package server is the HTTP plumbing the three reference servers share:
// authentication, per-key rate limiting, body and media-type checks,
// request logging and graceful shutdown around the library's
// Profile.Update. Each server supplies only its routes, its API-key scheme
// and its sample data.
package server

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/google/uuid"
)

// MaxBody is the largest request body a server reads: 1 MiB, the
// library's default body limit. A larger body gets 413.
const MaxBody = 1 << 20

// API is what differs between the reference servers.
type API struct {
	Name    string
	Profile *cp.Profile
	// Paths are the routes of one contact, with the id wildcard, such as
	// "/api/v1/contacts/{contactId}".
	Paths []string
	// IDParam is the name of the id wildcard in Path.
	IDParam string
	// Key returns the API key a request carries, or "" if it has none.
	Key func(r *http.Request) string
	// UniqueEmail adds the fast pre-check of emails against the store's
	// other contacts (G4); the guarantee is the profile's Unique email,
	// which the store enforces inside the write.
	UniqueEmail bool
}

// Config is one running server.
type Config struct {
	API
	Store        *cp.MemoryStore
	CustomFields []string // the company's custom-field names (C7)
	WriteKey     string   // the API key allowed to read and write
	ReadKey      string   // an API key allowed only to read; "" for none
	Rate         float64  // requests per second per key; 0 for no limit
	Burst        int      // the bucket size; at least 1 when Rate is set
	Logger       *slog.Logger
	Now          func() time.Time // nil means time.Now
}

type server struct {
	Config
	limiter  *limiter // per API key
	failures *limiter // failed authentications, per client address
}

// New returns the server's handler: PATCH and GET on the API's path.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &server{Config: cfg, limiter: newLimiter(cfg.Rate, cfg.Burst, cfg.Now),
		failures: newLimiter(AuthFailureRate, AuthFailureBurst, cfg.Now)}
	mux := http.NewServeMux()
	for _, path := range cfg.Paths {
		mux.HandleFunc("PATCH "+path, s.patch)
		mux.HandleFunc("GET "+path, s.get)
		mux.HandleFunc(path, s.methodNotAllowed) // any other method
	}
	mux.HandleFunc("/", s.notFound)
	return s.logged(mux)
}

// The answers of the router's own refusals, in the API's envelope rather
// than net/http's plain text.
var (
	errNoRoute          = cp.NewStatusError(http.StatusNotFound, "not_found", "No such route")
	errMethodNotAllowed = cp.NewStatusError(http.StatusMethodNotAllowed, "method_not_allowed", "Method not allowed: use GET or PATCH")
)

func (s *server) notFound(w http.ResponseWriter, _ *http.Request) { s.fail(w, errNoRoute) }

func (s *server) methodNotAllowed(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Allow", "GET, PATCH")
	s.fail(w, errMethodNotAllowed)
}

// AuthFailureRate and AuthFailureBurst bound the failed authentications
// one client address may make: a burst of 20, then 2 a second. Past them
// the answer is 429, so that keys cannot be guessed at the speed of the
// network.
const (
	AuthFailureRate  = 2
	AuthFailureBurst = 20
)

// contactID is the id in the path; a UUID is written in lower case, as
// the store keeps it, since UUIDs compare without regard to case.
func (s *server) contactID(r *http.Request) string {
	id := r.PathValue(s.IDParam)
	if u, err := uuid.Parse(id); err == nil && len(id) == 36 {
		return u.String()
	}
	return id
}

func (s *server) patch(w http.ResponseWriter, r *http.Request) {
	if err := s.admit(r, true); err != nil {
		s.fail(w, err)
		return
	}
	if err := contacthttp.CheckBody(r); err != nil {
		s.fail(w, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		s.fail(w, cp.ErrBodyTooLarge)
		return
	case err != nil:
		s.fail(w, cp.ErrValidation)
		return
	}
	opts := cp.Options{IfMatch: contacthttp.JoinedHeader(r, "If-Match"), CustomFields: s.CustomFields, Now: s.Now}
	if s.UniqueEmail {
		opts.EmailOwner = s.Store.EmailOwner
	}
	res, err := s.Profile.Update(r.Context(), s.Store, s.contactID(r), body, opts)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.respond(w, res.Contact)
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	if err := s.admit(r, false); err != nil {
		s.fail(w, err)
		return
	}
	c, err := s.Store.Get(r.Context(), s.contactID(r))
	switch {
	case err != nil:
		s.fail(w, err)
	case !cp.MatchesIfMatch(contacthttp.JoinedHeader(r, "If-Match"), c):
		s.fail(w, cp.ErrPreconditionFailed)
	case !cp.MatchesIfNoneMatch(contacthttp.JoinedHeader(r, "If-None-Match"), c):
		w.Header().Set("ETag", cp.ETag(c))
		w.WriteHeader(http.StatusNotModified)
	default:
		s.respond(w, c)
	}
}

// admit checks the API key, its permission and its rate (L5). Keys are
// compared in constant time, and failed attempts count against the
// client's address, so that a flood of wrong keys meets a 429 too.
func (s *server) admit(r *http.Request, write bool) error {
	key := s.Key(r)
	isWrite, isRead := sameKey(key, s.WriteKey), sameKey(key, s.ReadKey)
	switch {
	case !isWrite && !isRead:
		if !s.failures.allow(contacthttp.ClientAddr(r)) {
			return errAuthRateLimited
		}
		return cp.ErrInvalidKey
	case write && !isWrite:
		return cp.ErrInsufficientPermissions
	case !s.limiter.allow(key):
		return cp.ErrRateLimited
	}
	return nil
}

// errAuthRateLimited is the 429 of too many failed authentications; it
// is told apart from the per-key one for its Retry-After.
var errAuthRateLimited = fmt.Errorf("too many failed authentications: %w", cp.ErrRateLimited)

// sameKey compares a sent key with a configured one in constant time; an
// empty configured key matches nothing.
func sameKey(sent, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}

func (s *server) respond(w http.ResponseWriter, c cp.Contact) {
	out, err := s.Profile.Render(c)
	if err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("ETag", cp.ETag(c))
	w.Write(out)
}

func (s *server) fail(w http.ResponseWriter, err error) {
	status := cp.HTTPStatus(err)
	if status == http.StatusInternalServerError {
		s.Logger.Error("request failed", "err", err)
	}
	switch {
	case errors.Is(err, errAuthRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(s.failures.retryAfter()))
	case errors.Is(err, cp.ErrRateLimited):
		w.Header().Set("Retry-After", strconv.Itoa(s.limiter.retryAfter()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(cp.ErrorJSON(err))
}

// logged writes one log line per request.
func (s *server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.Logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"bytes", rec.bytes, "duration", time.Since(start))
	})
}

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
