// Command leadlex serves the L contact API (rules L1-L8) with the library:
//
//	go run ./examples/leadlex -demo
//	curl -X PATCH http://127.0.0.1:8080/functions/v1/api-gateway/v1/contacts/123e4567-e89b-12d3-a456-426614174000 \
//	  -H "Authorization: Bearer demo_key" -H "Content-Type: application/json" \
//	  -d '{"job_title": "Chief Legal Officer", "notes": "Promoted to CLO in Q1 2026"}'
//
// See README.md beside this file for the routes, flags and seed format.
package main

import (
	"embed"

	"github.com/contactpatch/contactpatch/examples/internal/apis"
	"github.com/contactpatch/contactpatch/examples/internal/server"
)

// sample holds the contacts of the document's examples.
//
//go:embed sample.json
var sample embed.FS

var api = apis.Leadlex

func main() { server.Main(api, sample) }
