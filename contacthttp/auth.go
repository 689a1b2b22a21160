package contacthttp

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// Keys configures KeyAuth: API keys, what they may do, and how fast.
type Keys struct {
	// Key returns the key a request carries, or "" for none, such as
	// BearerKey.
	Key func(r *http.Request) string
	// Write is the key allowed to read and write; Read, if set, a key
	// allowed only to read (403 on PATCH).
	Write, Read string
	// Rate is the requests per second one key may make past its Burst;
	// 0 for no limit (429 with Retry-After past it).
	Rate  float64
	Burst int
	// Now is the limiters' clock; nil means time.Now.
	Now func() time.Time
}

// AuthFailureRate and AuthFailureBurst bound the failed authentications
// one client address (one /64 over IPv6) may make: a burst of 20, then 2 a
// second. AuthFailureGlobalRate and AuthFailureGlobalBurst bound them for
// all addresses together, so that many addresses guess no faster than a
// few. Past either the answer is 429, so that keys cannot be guessed at
// the speed of the network; requests with a valid key never count.
const (
	// AuthFailureRate is the failed attempts a second one address may make past its burst.
	AuthFailureRate = 2
	// AuthFailureBurst is the failed attempts one address may make at once.
	AuthFailureBurst = 20
	// AuthFailureGlobalRate is the failed attempts a second all addresses together may make.
	AuthFailureGlobalRate = 100
	// AuthFailureGlobalBurst is the failed attempts all addresses together may make at once.
	AuthFailureGlobalBurst = 200
)

// KeyAuth returns a Handler.Auth that admits the keys of k (rule L5):
// 401 for a missing or unknown key, 403 for the read key on a write, 429
// past a key's rate, and 429 too for a client address past
// AuthFailureBurst failed attempts, or for any failure past the global
// budget. Keys are compared in constant time.
func KeyAuth(k Keys) func(r *http.Request, write bool) error {
	perKey := newLimiter(k.Rate, k.Burst, k.Now)
	failures := newLimiter(AuthFailureRate, AuthFailureBurst, k.Now)
	allFailures := newLimiter(AuthFailureGlobalRate, AuthFailureGlobalBurst, k.Now)
	return func(r *http.Request, write bool) error {
		key := k.Key(r)
		isWrite, isRead := sameKey(key, k.Write), sameKey(key, k.Read)
		switch {
		case !isWrite && !isRead:
			if !failures.allow(addrGroup(ClientAddr(r))) {
				return &RetryError{Err: ErrRateLimited, After: failures.retryAfter()}
			}
			if !allFailures.allow("") {
				return &RetryError{Err: ErrRateLimited, After: allFailures.retryAfter()}
			}
			return ErrInvalidKey
		case write && !isWrite:
			return ErrInsufficientPermissions
		case !perKey.allow(key):
			return &RetryError{Err: ErrRateLimited, After: perKey.retryAfter()}
		}
		return nil
	}
}

// sameKey compares a sent key with a configured one in constant time; an
// empty configured key matches nothing.
func sameKey(sent, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(want)) == 1
}
