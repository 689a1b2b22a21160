package contacthttp

// The refusals of the HTTP layer, and the conditional GET, which only a
// handler needs: the root package keeps the errors of a patch itself.

import (
	"net/http"
	"strings"

	cp "github.com/contactpatch/contactpatch"
	"github.com/contactpatch/contactpatch/internal/etag"
)

// The refusals a handler makes before a patch is read, each rendered in
// the profile's error view as the root's sentinels are. Auth hooks return
// ErrInvalidKey, ErrInsufficientPermissions and ErrRateLimited (inside a
// [RetryError] to say when to retry).
var (
	// ErrInvalidKey is 401 invalid_key: no key, or an unknown one.
	ErrInvalidKey = cp.NewStatusError(http.StatusUnauthorized, "invalid_key", "Invalid API key")
	// ErrInsufficientPermissions is 403 insufficient_permissions: a read
	// key on a write.
	ErrInsufficientPermissions = cp.NewStatusError(http.StatusForbidden, "insufficient_permissions", "Missing write permission")
	// ErrRateLimited is 429 rate_limited.
	ErrRateLimited = cp.NewStatusError(http.StatusTooManyRequests, "rate_limited", "Rate limit exceeded")
	// ErrBodyTooLarge is 413 payload_too_large; it equals what
	// contactpatch.HTTPStatus and ProblemOf make of an *http.MaxBytesError.
	ErrBodyTooLarge = cp.NewStatusError(http.StatusRequestEntityTooLarge, "payload_too_large", "Request body too large")
	// ErrUnsupportedMediaType is 415 unsupported_media_type: a body that
	// is not JSON, or not UTF-8.
	ErrUnsupportedMediaType = cp.NewStatusError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Type must be application/json")
	// ErrContentEncoding refuses a body in a content coding: only identity
	// is read (RFC 9110 §8.4 answers an unsupported coding with 415).
	ErrContentEncoding = cp.NewStatusError(http.StatusUnsupportedMediaType, "unsupported_media_type", "Content-Encoding must be identity")
)

// MatchesIfNoneMatch evaluates an If-None-Match header against c as RFC
// 9110 §13.1.2 does: true when the header is empty or lists no tag that
// equals ETag(c) by weak comparison; "*" never holds for a stored
// contact. A GET whose If-None-Match does not hold is answered 304 Not
// Modified, with the ETag and no body.
func MatchesIfNoneMatch(header string, c cp.Contact) bool {
	return strings.TrimSpace(header) == "" || !etag.Matches(header, cp.ETag(c), true)
}
