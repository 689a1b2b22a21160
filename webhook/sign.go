package webhook

// Signatures as the Standard Webhooks convention makes them: HMAC-SHA256
// over "id.timestamp.body" with the secret's bytes, sent as
// "v1,<base64>" in webhook-signature beside webhook-id and
// webhook-timestamp.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// SecretPrefix starts a secret in its printable form: the prefix, then
// the key's bytes in standard base64.
const SecretPrefix = "whsec_"

// ErrBadSignature is Verify's answer to a request that is not signed by
// the secret, or not within its tolerance of now.
var ErrBadSignature = errors.New("webhook: bad or missing signature")

// key is the HMAC key of a secret: the bytes a "whsec_" secret encodes,
// else the secret's own bytes.
func key(secret string) []byte {
	if rest, ok := strings.CutPrefix(secret, SecretPrefix); ok {
		if b, err := base64.StdEncoding.DecodeString(rest); err == nil {
			return b
		}
	}
	return []byte(secret)
}

// Sign returns the webhook-signature value of a message: "v1," and the
// base64 HMAC-SHA256 of id, the Unix time of at and body, joined by dots.
func Sign(secret, id string, at time.Time, body []byte) string {
	mac := hmac.New(sha256.New, key(secret))
	mac.Write([]byte(id + "." + strconv.FormatInt(at.Unix(), 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// SignHeader sets the three headers of a signed message on h.
func SignHeader(h http.Header, secret, id string, at time.Time, body []byte) {
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", strconv.FormatInt(at.Unix(), 10))
	h.Set("webhook-signature", Sign(secret, id, at, body))
}

// Verify checks a received message: its headers name an id and a time
// within tolerance of now, and one of its signatures is the secret's.
// Receivers call it on the body as received, before parsing it.
func Verify(secret string, h http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if id == "" || err != nil {
		return ErrBadSignature
	}
	at := time.Unix(sec, 0)
	if d := now.Sub(at); d > tolerance || d < -tolerance {
		return ErrBadSignature
	}
	want := Sign(secret, id, at, body)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return nil
		}
	}
	return ErrBadSignature
}
