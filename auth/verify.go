package auth

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
	if v.cacheable(keys, kid) {
		v.cache.put(token, keys, c)
	}
	return c, nil
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
