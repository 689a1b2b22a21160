package contacthttp

// Token buckets per key, with memory bounded whatever the number of keys:
// API keys are few, but the addresses failing to authenticate are as many
// as an attacker has.

import (
	"math"
	"net/netip"
	"sync"
	"time"
)

// maxBuckets bounds the buckets one limiter keeps: about 1.5 MiB at most.
// Past it, keys it has no bucket for share one, so that a flood of new
// addresses is limited as one client is.
const maxBuckets = 10_000

// limiter is a token bucket per key: each key may make burst requests at
// once and rate requests per second after that (L5's 429), or, per client
// address, as many failed authentications.
type limiter struct {
	rate    float64
	burst   float64
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	shared  bucket    // for keys that find the table full
	swept   time.Time // when full buckets were last forgotten
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if now == nil {
		now = time.Now
	}
	l := &limiter{rate: rate, burst: math.Max(1, float64(burst)), now: now, buckets: map[string]*bucket{}}
	l.shared = bucket{tokens: l.burst, last: now()}
	l.swept = l.shared.last
	return l
}

// allow takes a token from key's bucket, or reports that there is none.
// A limiter with no rate allows everything.
func (l *limiter) allow(key string) bool {
	ok, _ := l.take(key)
	return ok
}

// take is allow, also saying what the bucket holds afterwards.
func (l *limiter) take(key string) (bool, Quota) {
	if l.rate <= 0 {
		return true, Quota{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.bucket(key, now)
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	q := Quota{Max: int(l.burst), Interval: time.Duration(l.burst / l.rate * float64(time.Second))}
	if b.tokens < 1 {
		return false, q
	}
	b.tokens--
	q.Remaining = int(b.tokens)
	return true, q
}

// bucket finds key's bucket, or makes one while the table has room.
func (l *limiter) bucket(key string, now time.Time) *bucket {
	if b, ok := l.buckets[key]; ok {
		return b
	}
	if len(l.buckets) >= maxBuckets || now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	if len(l.buckets) >= maxBuckets {
		return &l.shared
	}
	b := &bucket{tokens: l.burst, last: now}
	l.buckets[key] = b
	return b
}

// sweep forgets the buckets that have filled up again, since a new key
// gets a full one anyway; at most once a second, so that a full table of
// busy keys costs one pass a second, not one per request.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < time.Second {
		return
	}
	l.swept = now
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// retryAfter is how long until a token is sure to be back, for the
// Retry-After header.
func (l *limiter) retryAfter() time.Duration {
	if l.rate <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(time.Second) / l.rate))
}

// addrGroup is what failed authentications of addr are counted against:
// the address itself for IPv4, its /64 for IPv6, since one IPv6 client
// holds a whole /64 and could otherwise change address at each attempt.
func addrGroup(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Is4In6() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}
