package contacthttp

// Who is calling (rule T5): the Principal an Auth hook yields, and
// KeyAuth, which admits API keys held only as SHA-256 hashes, each with
// its tenant and scopes, under per-key, per-tenant and failed-attempt
// rate limits.

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	cp "github.com/contactpatch/contactpatch"
)

// Principal is who a request comes from: its tenant, what it may do and
// the key it used. The Handler reads and writes only the tenant's
// contacts, and logs the tenant and key id.
type Principal struct {
	Tenant string // "" means contactpatch.DefaultTenant
	Scopes Scopes
	KeyID  string // names the key in logs; never the key itself
	// Quota is what the key's rate limit leaves it after this request;
	// the zero Quota is no limit.
	Quota Quota
}

// Quota is what a rate limit leaves a caller (rule H14): at most Max
// requests in any Interval, of which Remaining are left now. A token
// bucket of burst b and rate r a second is Max b and Interval b/r, the
// time it takes to fill again.
type Quota struct {
	Max, Remaining int
	Interval       time.Duration
}

// tenant is the principal's tenant, DefaultTenant when unnamed.
func (p Principal) tenant() string {
	if p.Tenant == "" {
		return cp.DefaultTenant
	}
	return p.Tenant
}

// Scopes is what a principal may do.
type Scopes uint8

const (
	// ScopeRead allows GET.
	ScopeRead Scopes = 1 << iota
	// ScopeWrite allows the writes, and GET too: a key that may change a
	// contact may read it, as L's write key does.
	ScopeWrite
)

// Allows reports whether s lets a request read, or write when write is
// set.
func (s Scopes) Allows(write bool) bool {
	if write {
		return s&ScopeWrite != 0
	}
	return s&(ScopeRead|ScopeWrite) != 0
}

// ParseScope returns the scope a name ("read" or "write") names.
func ParseScope(name string) (Scopes, error) {
	switch name {
	case "read":
		return ScopeRead, nil
	case "write":
		return ScopeWrite, nil
	}
	return 0, fmt.Errorf("contacthttp: unknown scope %q: use read or write", name)
}

// APIKey is one key KeyAuth admits.
type APIKey struct {
	// Secret is the key as clients send it. KeyAuth keeps only its
	// SHA-256 hash.
	Secret string
	// ID names the key in logs and rate limits; "" takes the first 12
	// hex digits of the hash.
	ID     string
	Tenant string // "" means contactpatch.DefaultTenant
	Scopes Scopes
}

// Keys configures KeyAuth: API keys, what they may do, and how fast.
type Keys struct {
	// Key returns the key a request carries, or "" for none, such as
	// BearerKey.
	Key func(r *http.Request) string
	// Keys are the keys admitted, each with its tenant and scopes.
	Keys []APIKey
	// Write and Read are shorthands for a deployment of one tenant: a
	// key of DefaultTenant allowed to read and write, and one allowed
	// only to read (403 on a write).
	Write, Read string
	// Rate is the requests per second one key may make past its Burst;
	// 0 for no limit (429 with Retry-After past it).
	Rate  float64
	Burst int
	// TenantRate and TenantBurst bound all the keys of one tenant
	// together, so that a tenant with many keys cannot take the
	// service's whole capacity; 0 for no limit.
	TenantRate  float64
	TenantBurst int
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

// hashedKey is an admitted key as KeyAuth keeps it. A SHA-256 hash is
// enough for API keys, unlike passwords: they are long random strings,
// so no dictionary reaches them, and a fast hash costs nothing per
// request, where a slow one would be a denial of service.
type hashedKey struct {
	hash [sha256.Size]byte
	p    Principal
}

// KeyAuth returns a Handler.Auth that admits the keys of k (rules L5,
// T5): 401 for a missing or unknown key, 429 past a key's or its
// tenant's rate, and 429 too for a client address past AuthFailureBurst
// failed attempts, or for any failure past the global budget. The
// Handler answers 403 for a write by a key without the write scope. The
// sent key's hash is compared with every admitted key's in constant
// time, so that the time taken says nothing of which keys exist. It
// fails on two keys with one secret.
func KeyAuth(k Keys) (func(r *http.Request) (Principal, error), error) {
	keys, err := hashKeys(k)
	if err != nil {
		return nil, err
	}
	perKey := newLimiter(k.Rate, k.Burst, k.Now)
	perTenant := newLimiter(k.TenantRate, k.TenantBurst, k.Now)
	failures := newLimiter(AuthFailureRate, AuthFailureBurst, k.Now)
	allFailures := newLimiter(AuthFailureGlobalRate, AuthFailureGlobalBurst, k.Now)
	return func(r *http.Request) (Principal, error) {
		p, ok := find(keys, k.Key(r))
		switch {
		case !ok:
			if !failures.allow(addrGroup(ClientAddr(r))) {
				return Principal{}, &RetryError{Err: ErrRateLimited, After: failures.retryAfter()}
			}
			if !allFailures.allow("") {
				return Principal{}, &RetryError{Err: ErrRateLimited, After: allFailures.retryAfter()}
			}
			return Principal{}, ErrInvalidKey
		}
		ok, q := perKey.take(p.KeyID)
		if !ok {
			return Principal{}, &RetryError{Err: ErrRateLimited, After: perKey.retryAfter(), Quota: q}
		}
		if !perTenant.allow(p.tenant()) {
			return Principal{}, &RetryError{Err: ErrRateLimited, After: perTenant.retryAfter()}
		}
		p.Quota = q
		return p, nil
	}, nil
}

// hashKeys hashes the keys of k, the Write and Read shorthands included.
func hashKeys(k Keys) ([]hashedKey, error) {
	all := k.Keys
	if k.Write != "" {
		all = append(all[:len(all):len(all)], APIKey{Secret: k.Write, ID: "write", Scopes: ScopeRead | ScopeWrite})
	}
	if k.Read != "" {
		all = append(all[:len(all):len(all)], APIKey{Secret: k.Read, ID: "read", Scopes: ScopeRead})
	}
	out := make([]hashedKey, 0, len(all))
	for i, a := range all {
		if a.Secret == "" {
			return nil, fmt.Errorf("contacthttp: key %d has no secret", i)
		}
		h := hashedKey{hash: sha256.Sum256([]byte(a.Secret)), p: Principal{Tenant: a.Tenant, Scopes: a.Scopes, KeyID: a.ID}}
		if h.p.KeyID == "" {
			h.p.KeyID = fmt.Sprintf("%x", h.hash[:6])
		}
		h.p.Tenant = h.p.tenant()
		if _, dup := find(out, a.Secret); dup {
			return nil, errors.New("contacthttp: two keys have one secret")
		}
		out = append(out, h)
	}
	return out, nil
}

// find returns the principal of the key whose hash is sent's, looking at
// every key whatever it finds; "" matches nothing.
func find(keys []hashedKey, sent string) (Principal, bool) {
	if sent == "" {
		return Principal{}, false
	}
	sum := sha256.Sum256([]byte(sent))
	var p Principal
	found := 0
	for i := range keys {
		eq := subtle.ConstantTimeCompare(sum[:], keys[i].hash[:])
		if eq == 1 {
			p = keys[i].p
		}
		found |= eq
	}
	return p, found == 1
}

// HubSpotQuota writes a Quota as HubSpot's rate-limit headers:
// X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds.
func HubSpotQuota(h http.Header, q Quota) {
	h.Set("X-HubSpot-RateLimit-Max", strconv.Itoa(q.Max))
	h.Set("X-HubSpot-RateLimit-Remaining", strconv.Itoa(q.Remaining))
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", strconv.FormatInt(q.Interval.Milliseconds(), 10))
}
