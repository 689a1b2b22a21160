// Package etag evaluates the conditional request headers of RFC 9110
// §13.1 against an entity tag: the one parser of entity-tag lists, shared
// by the root's If-Match and contacthttp's If-None-Match.
package etag

import "strings"

// Matches evaluates a conditional header's field value against the
// stored entity tag as RFC 9110 §13.1 does: "*" alone matches any stored
// contact; otherwise the value is a comma-separated list of entity tags
// (repeated header lines joined with commas form one), and it matches
// when one of them is the stored tag, compared weakly (If-None-Match) or
// strongly (If-Match), so that a weak tag (W/"v3") never matches
// If-Match. A value that is not such a list matches nothing.
func Matches(header, etag string, weakly bool) bool {
	h := strings.TrimSpace(header)
	if h == "*" {
		return true
	}
	h = strings.TrimLeft(h, ", \t") // empty list elements are allowed
	matched := false
	for h != "" {
		weak := strings.HasPrefix(h, "W/")
		if weak {
			h = h[2:]
		}
		end := strings.IndexByte(h[min(1, len(h)):], '"') + 1
		if !strings.HasPrefix(h, `"`) || end < 1 {
			return false // not an entity tag: "*" in a list, a bare word
		}
		matched = matched || ((weakly || !weak) && h[:end+1] == etag)
		h = strings.TrimLeft(h[end+1:], " \t")
		if h != "" && h[0] != ',' {
			return false
		}
		h = strings.TrimLeft(h, ", \t") // empty list elements are allowed
	}
	return matched
}
