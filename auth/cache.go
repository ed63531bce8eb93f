package auth

import (
	"crypto/sha256"
	"sync"
	"time"
)

// maxCachedTokens bounds the verified-token cache: past it, an arbitrary
// entry makes room, so a flood of distinct valid tokens costs memory once.
const maxCachedTokens = 10_000

// tokenCache keeps the claims of tokens already verified, keyed by the
// token's SHA-256 (never the token itself), until the token expires. Each
// entry belongs to the key set that verified it: when the keys are read
// anew, entries of the old set no longer count, so a retired key's tokens
// are verified again (and refused) at once.
type tokenCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedToken
}

type cachedToken struct {
	claims Claims
	keys   *keySet
}

// get returns the claims of token if it was verified under keys and has not
// expired at now.
func (c *tokenCache) get(token string, keys *keySet, now time.Time) (Claims, bool) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[h]
	if !ok {
		return Claims{}, false
	}
	if e.keys != keys || !now.Before(e.claims.ExpiresAt) {
		delete(c.entries, h)
		return Claims{}, false
	}
	return e.claims, true
}

// put remembers claims of token verified under keys.
func (c *tokenCache) put(token string, keys *keySet, claims Claims) {
	h := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[[sha256.Size]byte]cachedToken)
	}
	if len(c.entries) >= maxCachedTokens {
		for k := range c.entries {
			delete(c.entries, k)
			break
		}
	}
	c.entries[h] = cachedToken{claims: claims, keys: keys}
}

// len is the number of cached tokens, for tests.
func (c *tokenCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
