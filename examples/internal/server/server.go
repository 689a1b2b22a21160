// Package server is what the reference servers share beyond the
// library's contacthttp package: their flags, their seed files and their
// API-key settings. Each server supplies only its routes, its API-key
// scheme and its sample data.
package server

import (
	"log/slog"
	"net/http"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/openapi"
	"github.com/contactpatch/contactpatch/sqlstore"
	"github.com/contactpatch/contactpatch/webhook"
)

// API is what differs between the reference servers.
type API struct {
	Name    string
	Title   string // the API's name in its OpenAPI document
	Profile *cp.Profile
	// Paths are the routes of one contact, whose last wildcard is the id,
	// such as "/api/v1/contacts/{contactId}".
	Paths []string
	// Key returns the API key a request carries, or "" if it has none.
	Key func(r *http.Request) string
	// Auth is how the OpenAPI document describes Key.
	Auth openapi.Auth
	// UniqueEmail adds the fast pre-check of emails against the store's
	// other contacts (G4); the guarantee is the profile's Unique email,
	// which the store enforces inside the write.
	UniqueEmail bool
	// ContactID, if set, resolves the id in the path (HubSpot's
	// idProperty) among the tenant's contacts; nil keeps it.
	ContactID func(s Store, tenant string, r *http.Request, id string) (string, error)
	// Lifecycle declares the routes beyond GET and PATCH the API serves:
	// none for an API whose document shows only PATCH.
	Lifecycle contacthttp.Lifecycle
	// NewID makes the id of a created contact; nil makes a UUID.
	NewID func() string
	// Webhook is the payload of the events -webhook delivers; nil means
	// CloudEvents with the API's name as source.
	Webhook webhook.Format
	// Rate and Burst are the default per-key limit (-rate, -burst): 0
	// for none.
	Rate  float64
	Burst int
	// QuotaHeader writes a key's rate limit into each answer in the
	// API's own header names; nil writes none.
	QuotaHeader func(http.Header, contacthttp.Quota)
}

// Store is where a server keeps its contacts, every tenant's: a
// MemoryStore, or a sqlstore.Store with -db.
type Store interface {
	cp.Store
	cp.EmailIndex
}

// Config is one running server.
type Config struct {
	API
	Store Store
	// CustomFields are each tenant's custom-field names (C7, T4), from
	// the tenant's seed file.
	CustomFields map[string][]string
	// Keys are the API keys of -keys, each of one tenant.
	Keys     []contacthttp.APIKey
	WriteKey string  // an API key of the default tenant allowed to read and write
	ReadKey  string  // an API key of the default tenant allowed only to read; "" for none
	Rate     float64 // requests per second per key; 0 for no limit
	Burst    int     // the bucket size; at least 1 when Rate is set
	// TenantRate and TenantBurst bound all the keys of one tenant
	// together; 0 for no limit.
	TenantRate  float64
	TenantBurst int
	Logger      *slog.Logger
	Now         func() time.Time  // nil means time.Now
	DB          *sqlstore.Options // the database's bounds; nil for the defaults
	// WebhookURL receives the change events, signed with WebhookSecret
	// (-webhook, -webhook-secret); "" delivers none.
	WebhookURL, WebhookSecret string
}

// New returns the server's handler: PATCH and GET on the API's paths
// (and the routes its Lifecycle declares),
// each key reaching its tenant's contacts alone, and every other route
// answered in the API's error view.
func New(cfg Config) (http.Handler, error) {
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: cfg.Key, Keys: cfg.Keys, Write: cfg.WriteKey, Read: cfg.ReadKey,
		Rate: cfg.Rate, Burst: cfg.Burst, TenantRate: cfg.TenantRate, TenantBurst: cfg.TenantBurst, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	h := &contacthttp.Handler{
		Profile: cfg.Profile,
		Store:   cfg.Store,
		Auth:    auth,
		Options: func(_ *http.Request, p contacthttp.Principal) cp.Options {
			opts := cp.Options{CustomFields: cfg.CustomFields[p.Tenant], Now: cfg.Now, NewID: cfg.NewID}
			if cfg.UniqueEmail {
				opts.EmailOwner = cp.EmailOwnerIn(cfg.Store, p.Tenant)
			}
			return opts
		},
		Logger:      cfg.Logger,
		Lifecycle:   cfg.Lifecycle,
		QuotaHeader: cfg.QuotaHeader,
	}
	if cfg.ContactID != nil {
		h.ContactID = func(r *http.Request, p contacthttp.Principal, id string) (string, error) {
			return cfg.ContactID(cfg.Store, p.Tenant, r, id)
		}
	}
	mux := h.Mux(cfg.Paths...)
	serveDoc(mux, "GET /openapi.json", openapi.Document, cfg.describe(nil), cfg.Profile)
	serveDoc(mux, "GET /openapi-3.0.json", openapi.Document30, cfg.describe(nil), cfg.Profile)
	return mux, nil
}

// serveDoc serves a document, made once, without a key.
func serveDoc(mux *http.ServeMux, pattern string, doc func(*cp.Profile, openapi.API) ([]byte, error), api openapi.API, p *cp.Profile) {
	body, err := doc(p, api)
	mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if err != nil {
			http.Error(w, "no OpenAPI document", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
}

// OpenAPI returns the API's OpenAPI 3.1 document, served without a key
// at GET /openapi.json, with the given examples.
func (a API) OpenAPI(examples []openapi.Example) ([]byte, error) {
	return openapi.Document(a.Profile, a.describe(examples))
}

// OpenAPI30 returns the same document in OpenAPI 3.0.3, for the client
// generators that read 3.0, served at GET /openapi-3.0.json.
func (a API) OpenAPI30(examples []openapi.Example) ([]byte, error) {
	return openapi.Document30(a.Profile, a.describe(examples))
}

func (a API) describe(examples []openapi.Example) openapi.API {
	return openapi.API{Title: a.Title, Path: a.Paths[0], Auth: a.Auth, Examples: examples,
		FieldsParam: a.Lifecycle.FieldsParam, HistoryParam: a.Lifecycle.HistoryParam,
		Create: a.Lifecycle.Create, Delete: a.Lifecycle.Delete != 0,
		Description: "PATCH and GET of one contact, as served by contactpatch's reference server for " + a.Name + "."}
}
