// Package profiles holds the reference profiles: the three documented
// contact APIs (L, G and C in docs/semantics.md) rebuilt with nothing but contactpatch's public
// configuration. The example servers under examples/ serve them and the
// conformance tests under testdata/ check them; each is also a worked
// example of writing a profile for an API of your own.
package profiles
