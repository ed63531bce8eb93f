package auth

import "time"

// Verify checks a token and returns its claims. The token must be signed
// (EdDSA, ES256 or RS256; never none or HMAC) by a trusted key, be within
// its nbf..exp (exp is required) give or take the leeway, have the
// configured issuer and audience, and name a subject, organisation and known
// role. Any failure is UNAUTHENTICATED with a message safe to show.
func (v *Verifier) Verify(token string) (Claims, error) {
	if len(token) > maxTokenSize {
		return Claims{}, refuse(msgTooLarge)
	}
	if token == "" {
		return Claims{}, refuse(msgMissing)
	}
	if !isJWTChars(token) {
		return Claims{}, refuse(msgInvalid)
	}
	v.refreshIfStale()
	keys := v.current()
	if c, ok := v.cache.get(token, keys, v.now()); ok {
		return c, nil
	}
	var tc tokenClaims
	t, err := v.parser.ParseWithClaims(token, &tc, v.keyfunc)
	if err != nil {
		return Claims{}, refuseParse(err)
	}
	kid, _ := t.Header["kid"].(string)
	c := tc.claims(kid)
	if problem := c.check(); problem != "" {
		return Claims{}, refuse(problem)
	}
	if v.tooLong(c) {
		return Claims{}, refuse(msgLifetime)
	}
	if v.cacheable(keys, kid) {
		v.cache.put(token, keys, c)
	}
	return c, nil
}

// tooLong reports whether the token lives longer than MaxLifetime, counted
// from iat (or from now without one), give or take the leeway.
func (v *Verifier) tooLong(c Claims) bool {
	if v.opts.MaxLifetime < 0 {
		return false
	}
	from := c.IssuedAt
	if from.IsZero() || from.After(v.now()) {
		from = v.now()
	}
	return c.ExpiresAt.Sub(from) > v.opts.MaxLifetime+v.opts.Leeway
}

// cacheable reports whether a token verified under keys may be cached:
// only when its key is one of them (a key of a JWKS URL may be withdrawn
// without the local set changing) and they are still the current keys.
func (v *Verifier) cacheable(keys *keySet, kid string) bool {
	if keys != v.current() {
		return false
	}
	if v.remote == nil {
		return true
	}
	_, local := keys.byKID[kid]
	return kid != "" && local
}

// isJWTChars reports whether s has only the characters of a compact JWS:
// base64url and dots. The base64 decoder would skip line breaks, which
// would let one signature stand for many strings.
func isJWTChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// RefusedFrom is when Verify starts refusing a token with these claims:
// its expiry plus the leeway. A connection that outlives its token closes
// then, so that the same token is not refused on reconnecting while the
// connection that holds it still runs, nor the other way round.
func (v *Verifier) RefusedFrom(c Claims) time.Time { return c.ExpiresAt.Add(v.opts.Leeway) }
