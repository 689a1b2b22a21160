package contacthttp

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
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
	// MaxConns bounds the connections open at once, and MaxConnsPerAddr
	// those of one client address (one /64 over IPv6): a connection past
	// either is closed as soon as it is accepted, so that a few clients
	// holding connections cannot take every file descriptor. 0 is no
	// bound.
	MaxConns, MaxConnsPerAddr int
}

// DefaultTimeouts are 5 s for the headers and 15 s for the whole request,
// which a 1 MiB body sent at 70 KB/s still meets; 20 s to answer; 60 s
// idle; 16 KiB of headers, far more than an API call carries, so that a
// flood of large headers costs at most that per connection; 8192
// connections, well under a server's descriptor limit; and 256 per
// client address, room for an office behind one NAT address.
func DefaultTimeouts() Timeouts {
	return Timeouts{Header: 5 * time.Second, Read: 15 * time.Second, Write: 20 * time.Second,
		Idle: 60 * time.Second, MaxHeaderBytes: 16 << 10, MaxConns: 8192, MaxConnsPerAddr: 256}
}

// NewServer returns an http.Server for h on addr with the given bounds.
// http.Server's zero values bound nothing but 1 MiB of headers; use this
// rather than a bare http.Server.
func NewServer(addr string, h http.Handler, t Timeouts) *http.Server {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: t.Header, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle, MaxHeaderBytes: t.MaxHeaderBytes}
	if t.MaxConns > 0 || t.MaxConnsPerAddr > 0 {
		l := &connLimit{max: t.MaxConns, perAddr: t.MaxConnsPerAddr, byAddr: map[string]int{}, counted: map[net.Conn]string{}}
		srv.ConnState = l.state
	}
	return srv
}

// connLimit counts a server's connections, in all and per client
// address, through http.Server.ConnState, and closes those past a bound
// as soon as they are accepted.
type connLimit struct {
	max, perAddr int
	mu           sync.Mutex
	total        int
	byAddr       map[string]int
	counted      map[net.Conn]string
}

func (l *connLimit) state(c net.Conn, s http.ConnState) {
	switch s {
	case http.StateNew:
		host, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		addr := addrGroup(host)
		l.mu.Lock()
		full := (l.max > 0 && l.total >= l.max) || (l.perAddr > 0 && l.byAddr[addr] >= l.perAddr)
		if !full {
			l.total++
			l.byAddr[addr]++
			l.counted[c] = addr
		}
		l.mu.Unlock()
		if full {
			c.Close()
		}
	case http.StateClosed, http.StateHijacked:
		l.mu.Lock()
		if addr, ok := l.counted[c]; ok {
			delete(l.counted, c)
			l.total--
			if l.byAddr[addr]--; l.byAddr[addr] == 0 {
				delete(l.byAddr, addr)
			}
		}
		l.mu.Unlock()
	}
}

// Serve runs srv until ctx is done, then shuts it down, giving requests
// in flight up to grace to finish. Requests still running then are
// cancelled, and Serve waits up to a second more for them to return, so
// that their store work stops (a database cancels the statement) before
// the process exits, rather than committing after it. It returns nil
// after a clean shutdown, else the error that stopped the server.
func Serve(ctx context.Context, srv *http.Server, grace time.Duration) error {
	base, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	if srv.BaseContext == nil {
		srv.BaseContext = func(net.Listener) context.Context { return base }
	}
	var inFlight sync.WaitGroup
	next := srv.Handler
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inFlight.Add(1)
		defer inFlight.Done()
		next.ServeHTTP(w, r)
	})
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if err != nil {
		cancelRequests()
		srv.Close()
		waitAtMost(&inFlight, time.Second)
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// waitAtMost waits for wg, or for d.
func waitAtMost(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}
