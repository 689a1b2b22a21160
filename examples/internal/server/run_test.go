package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// listen serves a minimal API on a real loopback listener with the given
// bounds, and returns its address.
func listen(t *testing.T, to Timeouts) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var store cp.MemoryStore
	store.Put(cp.Contact{ID: "c1"})
	h := New(Config{API: API{Name: "t", Profile: cp.Default(), Paths: []string{"/contacts/{id}"}, IDParam: "id", Key: BearerKey},
		Store: &store, WriteKey: "k"})
	srv := NewHTTPServer("", h, to)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// closedWithin opens clients connections that each send what send writes,
// and reports how long the server took to close the slowest of them, or
// fails when one is still open after limit.
func closedWithin(t *testing.T, addr string, clients int, limit time.Duration, send func(c net.Conn)) time.Duration {
	t.Helper()
	var mu sync.Mutex
	var slowest time.Duration
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			start := time.Now()
			c.SetReadDeadline(start.Add(limit))
			go send(c)
			_, err = io.Copy(io.Discard, c) // until the server closes
			took := time.Since(start)
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("client %d: still open after %v", i, limit)
			}
			mu.Lock()
			slowest = max(slowest, took)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return slowest
}

// A client that sends its body a byte at a time, with a wrong key (500 of
// them) or a good one, is cut off once the request has taken the read
// timeout.
func TestSlowBodiesAreCutOff(t *testing.T) {
	to := Timeouts{Header: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: time.Second, MaxHeaderBytes: 4 << 10}
	addr := listen(t, to)
	for _, c := range []struct {
		key     string
		clients int
	}{{"wrong", 500}, {"k", 100}} {
		key := c.key
		slowest := closedWithin(t, addr, c.clients, 5*time.Second, func(c net.Conn) {
			fmt.Fprintf(c, "PATCH /contacts/c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
				"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{", key)
			for range 50 {
				time.Sleep(100 * time.Millisecond)
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		})
		t.Logf("key %q: the slowest of %d slow bodies was closed after %v", key, c.clients, slowest)
		if slowest > 2*to.Read+time.Second { // dialing 500 connections takes time of its own
			t.Errorf("key %q: a slow body held its connection %v, read timeout %v", key, slowest, to.Read)
		}
	}
}

// A client that connects and says nothing, or stops after a request, is
// closed after the header or idle timeout.
func TestSilentAndIdleClientsAreClosed(t *testing.T) {
	to := Timeouts{Header: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: 400 * time.Millisecond, MaxHeaderBytes: 4 << 10}
	addr := listen(t, to)
	silent := closedWithin(t, addr, 50, 5*time.Second, func(net.Conn) {})
	if silent > 3*to.Header {
		t.Errorf("a silent client held its connection %v, header timeout %v", silent, to.Header)
	}
	idle := closedWithin(t, addr, 20, 5*time.Second, func(c net.Conn) {
		fmt.Fprintf(c, "GET /contacts/c1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer k\r\n\r\n")
	})
	if idle > 3*to.Idle+to.Header {
		t.Errorf("an idle keep-alive connection stayed open %v, idle timeout %v", idle, to.Idle)
	}
}

// Headers past the limit are refused with 431 before any handler runs.
func TestLargeHeadersAreRefused(t *testing.T) {
	to := DefaultTimeouts()
	addr := listen(t, to)
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/contacts/c1", nil)
	req.Header.Set("X-Filler", strings.Repeat("a", 2*to.MaxHeaderBytes))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status %d, want 431", resp.StatusCode)
	}
}

// levels records the level of every log line.
type levels struct {
	mu  sync.Mutex
	got []slog.Level
}

func (l *levels) Enabled(context.Context, slog.Level) bool { return true }
func (l *levels) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got = append(l.got, r.Level)
	return nil
}
func (l *levels) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *levels) WithGroup(string) slog.Handler      { return l }

// A client that leaves before its answer is not a server error: the
// request ends with 499 and no ERROR line is logged.
func TestClientDisconnectIsNoServerError(t *testing.T) {
	var store cp.MemoryStore
	store.Put(cp.Contact{ID: "c1"})
	log := &levels{}
	h := New(Config{API: API{Name: "t", Profile: cp.Default(), Paths: []string{"/contacts/{id}"}, IDParam: "id", Key: BearerKey},
		Store: &store, WriteKey: "k", Logger: slog.New(log)})
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client is gone
	req := httptest.NewRequestWithContext(ctx, http.MethodPatch, "/contacts/c1", strings.NewReader(`{"job_title":"CTO"}`))
	req.Header.Set("Authorization", "Bearer k")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Errorf("status %d, want 499", rec.Code)
	}
	for _, l := range log.got {
		if l >= slog.LevelError {
			t.Errorf("a disconnect was logged at %v", l)
		}
	}
	if len(log.got) == 0 {
		t.Error("the request was not logged at all")
	}
}
