// Command hubspot serves HubSpot's CRM v3 contact update (rules H1-H8)
// with the library:
//
//	go run ./examples/hubspot -demo
//	curl -X PATCH http://127.0.0.1:8080/crm/v3/objects/contacts/101 \
//	  -H "Authorization: Bearer demo_key" -H "Content-Type: application/json" \
//	  -d '{"properties": {"jobtitle": "VP of Sales", "lifecyclestage": "customer"}}'
//
// See README.md beside this file for the routes, flags and seed format.
package main

import (
	"embed"

	"github.com/contactpatch/contactpatch/examples/internal/apis"
	"github.com/contactpatch/contactpatch/examples/internal/server"
)

// sample holds contact 101 and a second contact whose email is taken.
//
//go:embed sample.json
var sample embed.FS

var api = apis.HubSpot

func main() { server.Main(api, sample) }
