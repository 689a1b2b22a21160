// Package server is the HTTP plumbing the three reference servers share:
// authentication, per-key rate limiting, body and media-type checks,
// request logging and graceful shutdown around the library's
// Profile.Update. Each server supplies only its routes, its API-key scheme
// and its sample data.
package server

import (
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	cp "github.com/contactpatch/contactpatch"
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
	// UniqueEmail checks emails against the store's other contacts (G4).
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
	limiter *limiter
}

// New returns the server's handler: PATCH and GET on the API's path.
func New(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &server{Config: cfg, limiter: newLimiter(cfg.Rate, cfg.Burst, cfg.Now)}
	mux := http.NewServeMux()
	for _, path := range cfg.Paths {
		mux.HandleFunc("PATCH "+path, s.patch)
		mux.HandleFunc("GET "+path, s.get)
	}
	return s.logged(mux)
}

func (s *server) patch(w http.ResponseWriter, r *http.Request) {
	if err := s.admit(r, true); err != nil {
		s.fail(w, err)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		s.fail(w, cp.ErrUnsupportedMediaType)
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
	opts := cp.Options{IfMatch: strings.Join(r.Header.Values("If-Match"), ", "), CustomFields: s.CustomFields, Now: s.Now}
	if s.UniqueEmail {
		opts.EmailOwner = s.Store.EmailOwner
	}
	res, err := s.Profile.Update(r.Context(), s.Store, r.PathValue(s.IDParam), body, opts)
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
	c, err := s.Store.Get(r.Context(), r.PathValue(s.IDParam))
	if err != nil {
		s.fail(w, err)
		return
	}
	s.respond(w, c)
}

// admit checks the API key, its permission and its rate (L5).
func (s *server) admit(r *http.Request, write bool) error {
	key := s.Key(r)
	switch {
	case key == "" || (key != s.WriteKey && key != s.ReadKey):
		return cp.ErrInvalidKey
	case write && key != s.WriteKey:
		return cp.ErrInsufficientPermissions
	case !s.limiter.allow(key):
		return cp.ErrRateLimited
	}
	return nil
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
	if errors.Is(err, cp.ErrRateLimited) {
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
