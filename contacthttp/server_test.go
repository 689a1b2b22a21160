package contacthttp

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// listen serves h on a real loopback listener with the given bounds, and
// returns its address.
func listen(t *testing.T, to Timeouts, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer("", h, to)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// refuse answers 401 without reading the body, as a handler does for a
// wrong key; accept reads the whole body first.
var (
	refuse = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	accept = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
)

// closedWithin opens clients connections that each send what send writes,
// and returns how long the server took to close the slowest of them; it
// fails for any still open after limit.
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
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Errorf("client %d: still open after %v", i, limit)
			}
			mu.Lock()
			slowest = max(slowest, time.Since(start))
			mu.Unlock()
		}()
	}
	wg.Wait()
	return slowest
}

// slowBody sends a PATCH whose body comes a byte every 100 ms.
func slowBody(c net.Conn) {
	fmt.Fprintf(c, "PATCH /contacts/c1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
	for range 50 {
		time.Sleep(100 * time.Millisecond)
		if _, err := c.Write([]byte(" ")); err != nil {
			return
		}
	}
}

// 500 clients sending their bodies a byte at a time to a handler that
// refuses them unread (a wrong key), and 100 to one that reads them, are
// all cut off once their request has taken the read timeout. Without it
// each would hold its connection for the 5 s its body takes.
func TestSlowBodiesAreCutOff(t *testing.T) {
	to := Timeouts{Header: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: time.Second, MaxHeaderBytes: 4 << 10}
	for _, c := range []struct {
		name    string
		h       http.Handler
		clients int
	}{{"refused unread", refuse, 500}, {"read", accept, 100}} {
		slowest := closedWithin(t, listen(t, to, c.h), c.clients, 5*time.Second, slowBody)
		t.Logf("%s: the slowest of %d slow bodies was closed after %v", c.name, c.clients, slowest)
		if slowest > 2*to.Read+time.Second { // dialing 500 connections takes time of its own
			t.Errorf("%s: a slow body held its connection %v, read timeout %v", c.name, slowest, to.Read)
		}
	}
}

// A client that connects and says nothing, or stops after a request, is
// closed after the header or idle timeout.
func TestSilentAndIdleClientsAreClosed(t *testing.T) {
	to := Timeouts{Header: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: 400 * time.Millisecond, MaxHeaderBytes: 4 << 10}
	addr := listen(t, to, accept)
	if silent := closedWithin(t, addr, 50, 5*time.Second, func(net.Conn) {}); silent > 3*to.Header {
		t.Errorf("a silent client held its connection %v, header timeout %v", silent, to.Header)
	}
	idle := closedWithin(t, addr, 20, 5*time.Second, func(c net.Conn) {
		fmt.Fprintf(c, "GET /contacts/c1 HTTP/1.1\r\nHost: x\r\n\r\n")
	})
	if idle > 3*to.Idle+to.Header {
		t.Errorf("an idle keep-alive connection stayed open %v, idle timeout %v", idle, to.Idle)
	}
}

// Headers past the limit are refused with 431 before any handler runs.
func TestLargeHeadersAreRefused(t *testing.T) {
	to := DefaultTimeouts()
	addr := listen(t, to, accept)
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

// rss is the process's resident set size in bytes, from /proc.
func rss(t *testing.T) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

// floodBound is the memory a flood of 300 connections sending endless
// headers may cost: each is cut off at MaxHeaderBytes (16 KiB) with 431,
// so what it holds is that, a read buffer and a goroutine, some 40 KiB;
// 300 of them fit in 64 MiB with room to spare. Measured: about 15 MiB
// with DefaultTimeouts, and 749 MiB with net/http's default of 1 MiB of
// headers.
const floodBound = 64 << 20

// 300 connections sending endless headers cost the server no more than
// floodBound of memory.
func TestHeaderFloodStaysBounded(t *testing.T) {
	addr := listen(t, DefaultTimeouts(), accept)
	runtime.GC()
	before := rss(t)
	chunk := []byte(strings.Repeat("a", 64<<10))
	var peak atomic.Int64
	done := make(chan struct{})
	go func() { // sample the resident set while the flood runs
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				if r := rss(t); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()
	closedWithin(t, addr, 300, 10*time.Second, func(c net.Conn) {
		fmt.Fprintf(c, "GET /contacts/c1 HTTP/1.1\r\nHost: x\r\nX-Filler: ")
		for range 16 { // 1 MiB of header, unless the server stops reading first
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	})
	close(done)
	grew := peak.Load() - before
	t.Logf("resident set grew by %d KiB under the flood", grew>>10)
	if grew > floodBound {
		t.Errorf("a header flood grew the resident set by %d MiB, bound %d MiB", grew>>20, floodBound>>20)
	}
}

// O3: one client address holding many connections gets MaxConnsPerAddr
// of them, the rest closed at once, and a client at another address is
// still answered.
func TestConnectionsPerAddressAreCapped(t *testing.T) {
	to := DefaultTimeouts()
	to.Header, to.MaxConnsPerAddr = 10*time.Second, 64
	addr := listen(t, to, accept)
	hog := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}, Timeout: 5 * time.Second}
	const held = 5000
	var closedByServer atomic.Int64
	var wg sync.WaitGroup
	conns := make([]net.Conn, 0, held)
	for range held {
		c, err := hog.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		conns = append(conns, c)
	}
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			if _, err := c.Read(make([]byte, 1)); err == io.EOF || isReset(err) {
				closedByServer.Add(1)
			}
		}()
	}
	start := time.Now()
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a client at another address was not answered: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || time.Since(start) > 2*time.Second {
		t.Errorf("another address: status %d after %v", resp.StatusCode, time.Since(start))
	}
	wg.Wait()
	if got := closedByServer.Load(); got < held-64 {
		t.Errorf("the server closed %d of %d connections of one address, want at least %d", got, held, held-64)
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// O1: at shutdown, a request still running when the grace period ends is
// cancelled, so its store work stops before the process exits, and Serve
// returns soon after.
func TestServeCancelsRequestsLeftAtShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	started, cancelled := make(chan struct{}), make(chan struct{})
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // a store call that waits on a lock
		close(cancelled)
	})
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, NewServer(addr, stuck, DefaultTimeouts()), 200*time.Millisecond) }()
	go func() {
		for range 50 {
			if resp, err := http.Get("http://" + addr + "/"); err == nil {
				resp.Body.Close()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("the request never started")
	}
	stop()
	select {
	case <-cancelled:
	case <-time.After(3 * time.Second):
		t.Fatal("the request left at shutdown was not cancelled")
	}
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return")
	}
}
