// Command hookrecv is a webhook receiver for the delivery proof
// (examples/delivery.sh): it verifies each request's Standard Webhooks
// signature, appends the webhook-id of each verified one to -out, one
// line each, answers 503 to every -fail-every'th request so that the
// sender must retry, and 401 to a request that does not verify.
//
//	go run ./examples/cmd/hookrecv -addr 127.0.0.1:9000 -secret whsec_... -out ids.txt
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/contactpatch/contactpatch/webhook"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9000", "address to listen on (loopback)")
	secret := flag.String("secret", "", "the signing secret (required)")
	out := flag.String("out", "webhook-ids.txt", "file the verified webhook-ids are appended to")
	failEvery := flag.Int("fail-every", 0, "answer 503 to every n-th request; 0 never")
	flag.Parse()
	if *secret == "" {
		log.Fatal("hookrecv: -secret is required")
	}
	f, err := os.OpenFile(*out, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	http.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		n++
		if *failEvery > 0 && n%*failEvery == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if webhook.Verify(*secret, r.Header, body, time.Now(), 5*time.Minute) != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprintln(f, r.Header.Get("webhook-id"))
	})
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
