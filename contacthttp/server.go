package contacthttp

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Timeouts bound how long any client, with a key or without one, may
// hold a connection: a slow or silent client is cut off instead of tying
// up a file descriptor for ever.
type Timeouts struct {
	Header         time.Duration // to send the request line and headers
	Read           time.Duration // to send the whole request, body included
	Write          time.Duration // from the end of the headers to the end of the answer
	Idle           time.Duration // a kept-alive connection between requests
	MaxHeaderBytes int           // the request line and headers together; more is 431
}

// DefaultTimeouts are 5 s for the headers and 15 s for the whole request,
// which a 1 MiB body sent at 70 KB/s still meets; 20 s to answer; 60 s
// idle; and 16 KiB of headers, far more than an API call carries, so
// that a flood of large headers costs at most that per connection.
func DefaultTimeouts() Timeouts {
	return Timeouts{Header: 5 * time.Second, Read: 15 * time.Second, Write: 20 * time.Second,
		Idle: 60 * time.Second, MaxHeaderBytes: 16 << 10}
}

// NewServer returns an http.Server for h on addr with the given bounds.
// http.Server's zero values bound nothing but 1 MiB of headers; use this
// rather than a bare http.Server.
func NewServer(addr string, h http.Handler, t Timeouts) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: t.Header, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle, MaxHeaderBytes: t.MaxHeaderBytes}
}

// Serve runs srv until ctx is done, then shuts it down, giving requests
// in flight up to grace to finish. It returns nil after a clean shutdown,
// else the error that stopped the server.
func Serve(ctx context.Context, srv *http.Server, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
