package auth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The algorithms a token may be signed with. HMAC is not among them: its
// "key" would be whatever bytes a forger says the public key is.
const (
	algEdDSA = "EdDSA"
	algES256 = "ES256"
	algRS256 = "RS256"
)

var acceptedAlgs = []string{algEdDSA, algES256, algRS256}

// trustedKey is a public key and the one algorithm it verifies. Tying each
// key to one algorithm is what rules out algorithm confusion.
type trustedKey struct {
	kid string
	alg string
	key crypto.PublicKey
}

// newTrustedKey returns key as a trusted key, or false if it is of a kind
// (or strength) the hub does not accept or contradicts its declared alg.
func newTrustedKey(kid, declaredAlg string, key crypto.PublicKey) (trustedKey, bool) {
	alg := algFor(key)
	if alg == "" || (declaredAlg != "" && declaredAlg != alg) {
		return trustedKey{}, false
	}
	return trustedKey{kid: kid, alg: alg, key: key}, true
}

// algFor returns the algorithm key verifies: EdDSA for Ed25519, ES256 for
// P-256 only, RS256 for RSA of at least 2048 bits (weaker is forgeable).
func algFor(key crypto.PublicKey) string {
	switch k := key.(type) {
	case ed25519.PublicKey:
		if len(k) == ed25519.PublicKeySize {
			return algEdDSA
		}
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return algES256
		}
	case *rsa.PublicKey:
		if k.N.BitLen() >= 2048 {
			return algRS256
		}
	}
	return ""
}

// readKeyDir returns the trusted keys of every *.pub in dir, named by file,
// and the names of those that could not be used. The error is for a
// directory that cannot be read at all.
func readKeyDir(dir string) (keys []trustedKey, bad []string, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("auth: read key directory: %w", err)
	}
	for _, e := range entries {
		kid, ok := strings.CutSuffix(e.Name(), ".pub")
		if !ok || e.IsDir() {
			continue
		}
		k, err := readPublicKey(filepath.Join(dir, e.Name()), kid)
		if err != nil {
			bad = append(bad, e.Name())
			continue
		}
		keys = append(keys, k)
	}
	return keys, bad, nil
}

// readPublicKey reads one *.pub as the trusted key kid.
func readPublicKey(path, kid string) (trustedKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return trustedKey{}, err
	}
	pub, err := parsePublicPEM(b)
	if err != nil {
		return trustedKey{}, err
	}
	k, ok := newTrustedKey(kid, "", pub)
	if !ok {
		return trustedKey{}, fmt.Errorf("auth: %s: unsupported key", path)
	}
	return k, nil
}
