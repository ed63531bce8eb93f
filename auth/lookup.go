package auth

import "github.com/golang-jwt/jwt/v5"

// keyfunc finds the key to check t's signature with: the trusted key its
// kid names, provided that key verifies t's algorithm; or, for a token
// without a kid, every trusted key of its algorithm. It never returns
// anything but a public key, so no HMAC "secret" can be made of one.
func (v *Verifier) keyfunc(t *jwt.Token) (any, error) {
	alg := t.Method.Alg()
	raw, named := t.Header["kid"]
	if !named {
		return v.keysForAlg(alg)
	}
	kid, ok := raw.(string)
	if !ok || kid == "" {
		return nil, errUnknownKey
	}
	k, ok := v.keyByKID(kid)
	if !ok || k.alg != alg {
		return nil, errUnknownKey
	}
	return k.key, nil
}

// keyByKID looks kid up among the trusted keys; if it is unknown, the keys
// are re-read (a key may have been rotated in since), and then the JWKS URL
// asked.
func (v *Verifier) keyByKID(kid string) (trustedKey, bool) {
	if k, ok := v.current().byKID[kid]; ok {
		return k, true
	}
	v.reloadForUnknownKID()
	if k, ok := v.current().byKID[kid]; ok {
		return k, true
	}
	if v.remote != nil {
		return remoteKey(v.ctx, v.remote, kid)
	}
	return trustedKey{}, false
}

// keysForAlg returns every trusted key that verifies alg, for a token that
// names no kid; the parser tries them in turn.
func (v *Verifier) keysForAlg(alg string) (any, error) {
	keys := v.current().forAlg(alg)
	if v.remote != nil {
		for _, k := range remoteKeys(v.ctx, v.remote) {
			if k.alg == alg {
				keys = append(keys, k.key)
			}
		}
	}
	if len(keys) == 0 {
		return nil, errUnknownKey
	}
	return jwt.VerificationKeySet{Keys: keys}, nil
}

// current returns the trusted keys; the set itself is never modified, so it
// can be used after the lock is released.
func (v *Verifier) current() *keySet {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.keys
}
