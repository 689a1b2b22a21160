package wire

import (
	"bytes"
	"hash/maphash"
)

// keySet finds the repeated keys of one object. The first few keys are
// compared one by one, which is fastest for the objects bodies have;
// past them keys are found by hash, so that an object of n keys costs
// O(n) and not O(n²), whatever the key limit.
type keySet struct {
	keys   [][]byte
	hashes map[uint64]int // hash of a key -> index of the first key with it
	seed   maphash.Seed
}

// linearKeys is how many keys are compared one by one.
const linearKeys = 16

// repeats records key and reports whether the object had it already.
func (ks *keySet) repeats(key []byte) bool {
	if ks.hashes == nil && len(ks.keys) < linearKeys {
		for _, k := range ks.keys {
			if bytes.Equal(k, key) {
				return true
			}
		}
		ks.keys = append(ks.keys, key)
		return false
	}
	if ks.hashes == nil {
		ks.seed = maphash.MakeSeed()
		ks.hashes = make(map[uint64]int, 2*linearKeys)
		for i, k := range ks.keys {
			if _, ok := ks.hashes[maphash.Bytes(ks.seed, k)]; !ok {
				ks.hashes[maphash.Bytes(ks.seed, k)] = i
			}
		}
	}
	h := maphash.Bytes(ks.seed, key)
	if i, ok := ks.hashes[h]; !ok {
		ks.hashes[h] = len(ks.keys)
	} else if bytes.Equal(ks.keys[i], key) || ks.collides(key) {
		return true
	}
	ks.keys = append(ks.keys, key)
	return false
}

// collides compares key with every key so far: the rare case of two keys
// with one hash.
func (ks *keySet) collides(key []byte) bool {
	for _, k := range ks.keys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}
