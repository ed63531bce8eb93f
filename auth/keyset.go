package auth

import "github.com/golang-jwt/jwt/v5"

// keySet is the trusted keys at one moment, indexed for the lookups Verify
// makes. It is never modified once built: a reload builds a new one.
type keySet struct {
	byKID map[string]trustedKey
	all   []trustedKey
}

// newKeySet indexes keys. Should two sources name different keys alike, the
// first wins (the key directory is read first), and keys without a kid are
// only tried for tokens without one.
func newKeySet(sources ...[]trustedKey) *keySet {
	s := &keySet{byKID: map[string]trustedKey{}}
	for _, keys := range sources {
		for _, k := range keys {
			s.all = append(s.all, k)
			if _, dup := s.byKID[k.kid]; k.kid != "" && !dup {
				s.byKID[k.kid] = k
			}
		}
	}
	return s
}

// forAlg returns the keys that verify alg, for a token that names no kid.
func (s *keySet) forAlg(alg string) []jwt.VerificationKey {
	var keys []jwt.VerificationKey
	for _, k := range s.all {
		if k.alg == alg {
			keys = append(keys, k.key)
		}
	}
	return keys
}
