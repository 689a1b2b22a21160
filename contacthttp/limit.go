package contacthttp

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per API key: each key may make burst requests
// at once and rate requests per second after that (L5's 429), or a token bucket per client address for failed
// authentications.
type limiter struct {
	rate    float64
	burst   float64
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int, now func() time.Time) *limiter {
	if now == nil {
		now = time.Now
	}
	return &limiter{rate: rate, burst: math.Max(1, float64(burst)), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket, or reports that there is none.
// A limiter with no rate allows everything.
func (l *limiter) allow(key string) bool {
	if l.rate <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// retryAfter is how long until a token is sure to be back, for the
// Retry-After header.
func (l *limiter) retryAfter() time.Duration {
	if l.rate <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(float64(time.Second) / l.rate))
}
