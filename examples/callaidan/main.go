// Command callaidan serves the C contact API (rules C1-C9) with the library:
//
//	go run ./examples/callaidan -demo
//	curl -X PATCH http://127.0.0.1:8080/contacts/3c90c3cc-0d44-4b50-8888-8dd25736052a/ \
//	  -H "Authorization: demo_key" -H "Content-Type: application/json" \
//	  -d '{"full_name": "Dr. Maria de la Cruz", "lead_source": "linkedin"}'
//
// See README.md beside this file for the routes, flags and seed format.
package main

import (
	"embed"

	"github.com/contactpatch/contactpatch/examples/internal/apis"
	"github.com/contactpatch/contactpatch/examples/internal/server"
)

// sample holds one contact and the company's custom-field names.
//
//go:embed sample.json
var sample embed.FS

var api = apis.Callaidan

func main() { server.Main(api, sample) }
