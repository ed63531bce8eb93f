package auth

import (
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerifiedTokenIsServedFromTheCacheUntilItExpires(t *testing.T) {
	e := newEnv(t)
	tok := e.mint(alice, time.Hour)
	first, err := e.v.Verify(tok)
	wantAccepted(t, err)
	// A parser that accepts nothing: only the cache can answer now.
	e.v.parser = jwt.NewParser(jwt.WithValidMethods([]string{"none"}))
	again, err := e.v.Verify(tok)
	wantAccepted(t, err)
	if again != first || e.v.cache.len() != 1 {
		t.Fatalf("second verify: %+v (cache of %d); want the first claims from the cache", again, e.v.cache.len())
	}
	e.clock.Advance(time.Hour)
	if _, err := e.v.Verify(tok); err == nil {
		t.Fatal("an expired token was served from the cache")
	}
	if e.v.cache.len() != 0 {
		t.Fatal("the expired token is still cached")
	}
}

func TestTokenCacheForgetsTokensOfAnOldKeySet(t *testing.T) {
	e := newEnv(t)
	tok := e.mint(alice, time.Hour)
	_, err := e.v.Verify(tok)
	wantAccepted(t, err)
	old := e.v.current()
	if _, ok := e.v.cache.get(tok, old, e.clock.Now()); !ok {
		t.Fatal("a verified token was not cached")
	}
	e.v.reload()
	if _, ok := e.v.cache.get(tok, e.v.current(), e.clock.Now()); ok {
		t.Fatal("a token verified under the old key set was served after the keys were read anew")
	}
}

func TestTokenCacheIsBounded(t *testing.T) {
	var c tokenCache
	keys := newKeySet()
	for i := range maxCachedTokens + 100 {
		c.put(fmt.Sprint("token-", i), keys, Claims{ExpiresAt: time.Now().Add(time.Hour)})
	}
	if c.len() > maxCachedTokens {
		t.Fatalf("%d cached tokens; at most %d", c.len(), maxCachedTokens)
	}
}
