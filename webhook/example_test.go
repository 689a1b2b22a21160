package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/webhook"
)

// A receiver verifies the body as it arrived, before parsing it.
func ExampleVerify() {
	const secret = "whsec_c2VjcmV0LWJ5dGVz"
	body := []byte(`{"type":"contact.updated"}`)
	at := time.Unix(1_700_000_000, 0)
	h := http.Header{}
	webhook.SignHeader(h, secret, "evt_1", at, body)
	fmt.Println(h.Get("webhook-id"), h.Get("webhook-timestamp"))
	fmt.Println(webhook.Verify(secret, h, body, at.Add(time.Second), 5*time.Minute))
	fmt.Println(webhook.Verify(secret, h, []byte(`{}`), at, 5*time.Minute))
	// Output:
	// evt_1 1700000000
	// <nil>
	// webhook: bad or missing signature
}

// A service delivers its store's feed from a goroutine of its own; a
// restart resumes from the cursor the store keeps.
func ExampleDeliverer() {
	store := new(cp.MemoryStore) // or a sqlstore.Store: both are Feeds
	d := &webhook.Deliverer{Feed: store, URL: "http://127.0.0.1:9000/hooks", Secret: "whsec_c2VjcmV0LWJ5dGVz",
		Format: webhook.CloudEvents{Source: "/contacts"}}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go d.Run(ctx)
}
