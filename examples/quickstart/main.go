// Command quickstart is the README's contact service: the L API's PATCH
// and GET over PostgreSQL or SQLite, behind an API key, with every bound
// of contacthttp.NewServer, until SIGINT or SIGTERM.
//
//	DATABASE_URL=sqlite:contacts.db API_KEY=s3cret go run ./examples/quickstart
package main

// quickstart:start
import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/contacthttp"
	"github.com/contactpatch/contactpatch/profiles"
	"github.com/contactpatch/contactpatch/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	store, err := sqlstore.Open(ctx, os.Getenv("DATABASE_URL"), nil) // sqlite:PATH or postgres://...
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	// A contact to patch, in an empty database: this service has no create.
	if _, err := store.Seed(ctx, contactpatch.DefaultTenant, []contactpatch.Contact{{ID: "c1", FullName: contactpatch.Value("Ada Lovelace")}}, nil); err != nil {
		log.Fatal(err)
	}
	// One key of the default tenant; contacthttp.APIKey gives each key a tenant of its own.
	auth, err := contacthttp.KeyAuth(contacthttp.Keys{Key: contacthttp.BearerKey, Write: os.Getenv("API_KEY")})
	if err != nil {
		log.Fatal(err)
	}
	h := &contacthttp.Handler{
		Profile: profiles.Leadlex(), // or profiles.HubSpot(), or a profile of your own
		Store:   store,
		Auth:    auth,
	}
	srv := contacthttp.NewServer("127.0.0.1:8080", h.Mux("/v1/contacts/{id}"), contacthttp.DefaultTimeouts())
	if err := contacthttp.Serve(ctx, srv, 5*time.Second); err != nil {
		log.Fatal(err)
	}
}

// quickstart:end
