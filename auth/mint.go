package auth

import (
	"crypto"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Mint returns a token for c signed (EdDSA) with the current key, valid from
// now for ttl. A negative ttl makes an already expired token, which tests
// want. Only Sub, Org and Role of c are used.
func (k *KeyDir) Mint(c Claims, ttl time.Duration) (string, error) {
	if problem := c.check(); problem != "" {
		return "", fmt.Errorf("auth: mint: %s", problem)
	}
	kid, signer, err := k.currentSigner()
	if err != nil {
		return "", err
	}
	now := k.now()
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, tokenClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    orDefault(k.Issuer),
			Audience:  jwt.ClaimStrings{orDefault(k.Audience)},
			Subject:   c.Sub,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Org:  c.Org,
		Role: string(c.Role),
	})
	t.Header["kid"] = kid
	return t.SignedString(signer)
}

// currentSigner returns the current key, parsed once per kid rather than on
// every Mint.
func (k *KeyDir) currentSigner() (string, crypto.Signer, error) {
	kid, err := k.CurrentKID()
	if err != nil {
		return "", nil, fmt.Errorf("auth: current key: %w", err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if kid == k.signerKID {
		return kid, k.signer, nil
	}
	b, err := os.ReadFile(filepath.Join(k.dir, kid+".key"))
	if err != nil {
		return "", nil, fmt.Errorf("auth: signing key: %w", err)
	}
	s, err := parsePrivatePEM(b)
	if err != nil {
		return "", nil, fmt.Errorf("auth: signing key %s: %w", kid, err)
	}
	k.signerKID, k.signer = kid, s
	return kid, s, nil
}

// now is Mint's clock.
func (k *KeyDir) now() time.Time {
	if k.Now != nil {
		return k.Now()
	}
	return time.Now()
}

// orDefault returns s, or DefaultIssuer for "".
func orDefault(s string) string {
	if s == "" {
		return DefaultIssuer
	}
	return s
}
