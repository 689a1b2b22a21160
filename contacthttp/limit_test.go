package contacthttp

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// O3: 300,000 distinct failing addresses keep at most maxBuckets buckets,
// a few MiB, and past the table they share one bucket, so they fail as
// one client does.
func TestFailureLimiterMemoryIsBounded(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	l := newLimiter(AuthFailureRate, AuthFailureBurst, clock.now)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	refused := 0
	for i := range 300_000 {
		if i%1000 == 0 {
			clock.t = clock.t.Add(10 * time.Millisecond)
		}
		if !l.allow(fmt.Sprintf("10.%d.%d.%d", i>>16, (i>>8)&255, i&255)) {
			refused++
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if n := len(l.buckets); n > maxBuckets {
		t.Errorf("%d buckets kept, want at most %d", n, maxBuckets)
	}
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 4<<20 {
		t.Errorf("the heap grew by %d bytes for 300,000 addresses, want at most 4 MiB", grown)
	}
	if refused < 250_000 {
		t.Errorf("only %d of 290,000 addresses past the table were refused: they should share one bucket", refused)
	}
}

// O3: buckets that have filled up again are forgotten once idle.
func TestIdleBucketsAreForgotten(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	l := newLimiter(AuthFailureRate, AuthFailureBurst, clock.now)
	for i := range 5000 {
		l.allow(fmt.Sprint("a", i))
	}
	clock.t = clock.t.Add(2 * time.Minute) // every bucket is full again
	l.allow("b")
	if n := len(l.buckets); n != 1 {
		t.Errorf("%d buckets after idling, want 1", n)
	}
}

// O3: over IPv6 an address's whole /64 is one client, so changing
// address within it does not buy more guesses; another /64 is another
// client.
func TestFailuresAreCountedPerIPv6Slash64(t *testing.T) {
	auth := mustKeyAuth(t, Keys{Key: BearerKey, Write: "good"})
	refused := func(addr string) bool {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "[" + addr + "]:1234"
		r.Header.Set("Authorization", "Bearer bad")
		var re *RetryError
		_, err := auth(r)
		return errors.As(err, &re)
	}
	for i := range AuthFailureBurst {
		if refused(fmt.Sprintf("2001:db8:0:1::%x", i+1)) {
			t.Fatalf("refused at attempt %d, within the burst", i)
		}
	}
	if !refused("2001:db8:0:1:ffff::9") {
		t.Error("another address of the same /64 got more guesses")
	}
	if refused("2001:db8:0:2::1") {
		t.Error("another /64 was refused")
	}
	if got := addrGroup("192.0.2.7"); got != "192.0.2.7" {
		t.Errorf("addrGroup(IPv4) = %q", got)
	}
}

// O3: the global budget bounds failures from many addresses together;
// a valid key is never counted against it.
func TestGlobalFailureBudget(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1e9, 0)}
	auth := mustKeyAuth(t, Keys{Key: BearerKey, Write: "good", Now: clock.now})
	try := func(addr, key string) error {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = addr + ":1234"
		r.Header.Set("Authorization", "Bearer "+key)
		_, err := auth(r)
		return err
	}
	limited := 0
	for i := range 1000 {
		var re *RetryError
		if errors.As(try(fmt.Sprintf("10.0.%d.%d", i>>8, i&255), "bad"), &re) {
			limited++
		}
	}
	if want := 1000 - AuthFailureGlobalBurst; limited != want {
		t.Errorf("%d of 1000 addresses failing once were limited, want %d", limited, want)
	}
	if err := try("10.9.9.9", "good"); err != nil {
		t.Errorf("a valid key was refused: %v", err)
	}
}

func mustKeyAuth(t *testing.T, k Keys) func(*http.Request) (Principal, error) {
	t.Helper()
	auth, err := KeyAuth(k)
	if err != nil {
		t.Fatal(err)
	}
	return auth
}
