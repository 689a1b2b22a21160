// Command hubspot serves HubSpot's CRM v3 contact update (rules H1-H8)
// with the library:
//
//	go run ./examples/hubspot
//	curl -X PATCH http://127.0.0.1:8080/crm/v3/objects/contacts/101 \
//	  -H "Authorization: Bearer demo_key" -H "Content-Type: application/json" \
//	  -d '{"properties": {"jobtitle": "VP of Sales", "lifecyclestage": "customer"}}'
//
// See README.md beside this file for the routes, flags and seed format.
package main

import (
	"embed"
	"net/http"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/examples/internal/server"
	"github.com/contactpatch/contactpatch/profiles"
)

// sample holds contact 101 and a second contact whose email is taken.
//
//go:embed sample.json
var sample embed.FS

var api = server.API{
	Name:        "hubspot",
	Profile:     profiles.HubSpot(),
	Paths:       []string{"/crm/v3/objects/contacts/{contactId}"},
	Key:         contacthttp.BearerKey,
	UniqueEmail: true,
	ContactID:   byIDProperty,
}

// errIDProperty refuses an idProperty this server cannot look contacts
// up by.
var errIDProperty = cp.NewStatusError(http.StatusBadRequest, "validation_error",
	"idProperty must be hs_object_id or email")

// byIDProperty resolves the path's id as ?idProperty says (rule H8): the
// contact's id by default, or the contact whose email it is, ignoring
// case.
func byIDProperty(s server.Store, r *http.Request, id string) (string, error) {
	switch r.URL.Query().Get("idProperty") {
	case "", "hs_object_id":
		return id, nil
	case "email":
		owner, err := s.EmailOwner(r.Context(), strings.TrimSpace(id))
		if err == nil && owner == "" {
			err = cp.ErrNotFound
		}
		return owner, err
	}
	return "", errIDProperty
}

func main() { server.Main(api, sample) }
