// Package apis declares the four reference APIs as the servers serve
// them: their profiles, routes, key schemes and what their documents say
// about themselves, so that the servers and the reference pages share
// one declaration.
package apis

import (
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/openapi"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/webhook"
)

// Leadlex is the L API (rules L1-L8).
var Leadlex = server.API{
	Name:      "leadlex",
	Title:     "L contacts API",
	Profile:   profiles.Leadlex(),
	Paths:     []string{"/functions/v1/api-gateway/v1/contacts/{id}", "/v1/contacts/{id}"},
	Key:       contacthttp.BearerKey,
	Auth:      openapi.Auth{Bearer: true},
	Lifecycle: contacthttp.Lifecycle{FieldsParam: "fields"}, // a sparse GET; no other route
}

// Gomry is the G API (rules G1-G8).
var Gomry = server.API{
	Name:        "gomry",
	Title:       "G contacts API",
	Profile:     profiles.Gomry(),
	Paths:       []string{"/api/v1/contacts/{contactId}"},
	Key:         func(r *http.Request) string { return r.Header.Get("X-API-KEY") },
	Auth:        openapi.Auth{Header: "X-API-KEY"},
	UniqueEmail: true,
	Lifecycle:   contacthttp.Lifecycle{FieldsParam: "fields"}, // a sparse GET; no other route
}

// Callaidan is the C API (rules C1-C9). Its key is the whole
// Authorization header, as its document prints it.
var Callaidan = server.API{
	Name:      "callaidan",
	Title:     "C contacts API",
	Profile:   profiles.Callaidan(),
	Paths:     []string{"/contacts/{contact_id}/{$}"},
	Key:       func(r *http.Request) string { return r.Header.Get("Authorization") },
	Auth:      openapi.Auth{Header: "Authorization"},
	Lifecycle: contacthttp.Lifecycle{FieldsParam: "fields"}, // a sparse GET; no other route
}

// HubSpot is HubSpot's CRM v3 contacts (rules H1-H8, H12, H16): PATCH
// and GET, create, DELETE archiving, ?archived=true, and the batch
// routes, each input of a batch committed by itself (207 when some fail),
// as HubSpot documents its batches.
var HubSpot = server.API{
	Name:        "hubspot",
	Title:       "HubSpot CRM v3 contacts",
	Profile:     profiles.HubSpot(),
	Paths:       []string{"/crm/v3/objects/contacts/{contactId}"},
	Key:         contacthttp.BearerKey,
	Auth:        openapi.Auth{Bearer: true},
	UniqueEmail: true,
	ContactID:   byIDProperty,
	Lifecycle: contacthttp.Lifecycle{Create: true, Delete: contacthttp.Archive, ArchivedParam: "archived", Batch: true,
		FieldsParam: "properties", HistoryParam: "propertiesWithHistory"},
	NewID:   hubspotID,
	Webhook: webhook.HubSpot{PortalID: portalID},
	// HubSpot's limit for a private app of a free or starter account:
	// 100 requests in ten seconds, announced on every answer.
	Rate:        10,
	Burst:       100,
	QuotaHeader: contacthttp.HubSpotQuota,
}

// portalID is a tenant as HubSpot's numeric account id: the tenant's
// number when it is one, else a hash of its name.
func portalID(tenant string) int64 {
	if n, err := strconv.ParseInt(tenant, 10, 64); err == nil {
		return n
	}
	h := fnv.New32a()
	h.Write([]byte(tenant))
	return int64(h.Sum32())
}

// hubspotID is a new contact's id as HubSpot writes them: a decimal
// number, here random below 2^53 so that JavaScript clients read it
// exactly.
func hubspotID() string { return strconv.FormatUint(1+rand.Uint64N(1<<53-1), 10) }

// All lists the four APIs.
var All = []server.API{Leadlex, Gomry, Callaidan, HubSpot}

// errIDProperty refuses an idProperty this server cannot look contacts
// up by.
var errIDProperty = cp.NewStatusError(http.StatusBadRequest, "validation_error",
	"idProperty must be hs_object_id or email")

// byIDProperty resolves the path's id as ?idProperty says (rule H8): the
// contact's id by default, or the contact whose email it is, ignoring
// case.
func byIDProperty(s server.Store, tenant string, r *http.Request, id string) (string, error) {
	switch r.URL.Query().Get("idProperty") {
	case "", "hs_object_id":
		return id, nil
	case "email":
		owner, err := s.EmailOwner(r.Context(), tenant, strings.TrimSpace(id))
		if err == nil && owner == "" {
			err = cp.ErrNotFound
		}
		return owner, err
	}
	return "", errIDProperty
}
