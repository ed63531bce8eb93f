package auth

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/MicahParks/jwkset"
)

// isURL tells a JWKS URL from a file path.
func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// readJWKSFile returns the usable signing keys of a JWKS file. Keys the hub
// cannot use (encryption keys, symmetric keys, other curves) are skipped,
// since an identity provider's set often holds more than signing keys; a
// file that is not a JWKS at all is an error.
func readJWKSFile(path string) ([]trustedKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("auth: read JWKS: %w", err)
	}
	var set jwkset.JWKSMarshal
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("auth: parse JWKS %s: %w", path, err)
	}
	var keys []trustedKey
	for _, m := range set.Keys {
		// Private: false makes symmetric keys fail here rather than load.
		jwk, err := jwkset.NewJWKFromMarshal(m, jwkset.JWKMarshalOptions{}, jwkset.JWKValidateOptions{})
		if err != nil {
			continue
		}
		if k, ok := jwkToTrusted(jwk); ok {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// jwkToTrusted returns a JWK's public key if it is a signing key the hub
// accepts.
func jwkToTrusted(jwk jwkset.JWK) (trustedKey, bool) {
	m := jwk.Marshal()
	if m.USE != "" && m.USE != jwkset.UseSig {
		return trustedKey{}, false
	}
	key := jwk.Key()
	if p, ok := key.(interface{ Public() crypto.PublicKey }); ok {
		key = p.Public()
	}
	return newTrustedKey(m.KID, m.ALG.String(), key)
}

// remoteKey reads kid from a remote JWKS. An error counts as "no such key":
// an unreachable identity provider refuses its tokens like any unknown key,
// and the client is told no more than that.
func remoteKey(ctx context.Context, s jwkset.Storage, kid string) (trustedKey, bool) {
	jwk, err := s.KeyRead(ctx, kid)
	if err != nil {
		return trustedKey{}, false
	}
	return jwkToTrusted(jwk)
}

// remoteKeys returns every usable key of a remote JWKS storage.
func remoteKeys(ctx context.Context, s jwkset.Storage) []trustedKey {
	all, err := s.KeyReadAll(ctx)
	if err != nil {
		return nil
	}
	var keys []trustedKey
	for _, jwk := range all {
		if k, ok := jwkToTrusted(jwk); ok {
			keys = append(keys, k)
		}
	}
	return keys
}
