// Command gomry serves the G contact API (rules G1-G8) with the library:
//
//	go run ./examples/gomry -demo
//	curl -X PATCH -H "X-API-KEY: demo_key" -H "Content-Type: application/json" \
//	  -d '{"first_name": "Janet", "job_title": "CTO", "tags": ["vip", "speaker"]}' \
//	  http://127.0.0.1:8080/api/v1/contacts/AbCdEfGhIjKlMnOpQrSt
//
// See README.md beside this file for the routes, flags and seed format.
package main

import (
	"embed"

	"github.com/contactpatch/contactpatch/examples/internal/apis"
	"github.com/contactpatch/contactpatch/examples/internal/server"
)

// sample holds the document's contact and one whose email is taken.
//
//go:embed sample.json
var sample embed.FS

var api = apis.Gomry

func main() { server.Main(api, sample) }
