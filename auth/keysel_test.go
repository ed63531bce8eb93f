package auth

import (
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestVerifyRefusesAlgNone(t *testing.T) {
	e := newEnv(t)
	kid := mustKID(t, e.keys)
	for _, kidHeader := range []string{kid, ""} {
		tok := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, kidHeader, e.claims())
		_, err := e.v.Verify(tok)
		wantRefused(t, err, msgInvalid)
		// The same with the signature of a genuine token pasted on.
		real := strings.Split(e.mint(alice, time.Hour), ".")[2]
		_, err = e.v.Verify(tok + real)
		wantRefused(t, err, msgInvalid)
	}
}

func TestVerifyRefusesHMACAlgorithms(t *testing.T) {
	e := newEnv(t)
	kid := mustKID(t, e.keys)
	pubPEM, err := os.ReadFile(filepath.Join(e.keys.Dir(), kid+".pub"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := parsePublicPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 32)
	rand.Read(random) // returns no error since Go 1.24: it crashes the program instead
	// The key-confusion attack: the verifier's public key, in any form
	// the attacker can get, used as an HMAC secret.
	secrets := map[string][]byte{"random secret": random, "public key PEM": pubPEM,
		"raw public key": []byte(pub.(ed25519.PublicKey))}
	methods := []jwt.SigningMethod{jwt.SigningMethodHS256, jwt.SigningMethodHS384, jwt.SigningMethodHS512}
	for name, secret := range secrets {
		for _, m := range methods {
			for _, k := range []string{kid, ""} {
				t.Run(name+"/"+m.Alg()+"/kid="+k, func(t *testing.T) {
					_, err := e.v.Verify(sign(t, m, secret, k, e.claims()))
					wantRefused(t, err, msgInvalid)
				})
			}
		}
	}
}

func TestVerifyRefusesUnknownKID(t *testing.T) {
	e := newEnv(t)
	_, stranger, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"stranger's key and kid":     sign(t, jwt.SigningMethodEdDSA, stranger, "nobody", e.claims()),
		"stranger's key without kid": sign(t, jwt.SigningMethodEdDSA, stranger, "", e.claims()),
		"stranger's key, our kid":    sign(t, jwt.SigningMethodEdDSA, stranger, mustKID(t, e.keys), e.claims()),
		"path as kid":                sign(t, jwt.SigningMethodEdDSA, stranger, "../../etc/passwd", e.claims()),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.v.Verify(tok)
			wantRefused(t, err, msgInvalid)
		})
	}
}

func TestVerifyRefusesKIDOfAnotherAlgorithm(t *testing.T) {
	e := newEnv(t)
	// An ES256 token naming our Ed25519 key: the key verifies EdDSA only.
	tok := sign(t, jwt.SigningMethodES256, newECKey(t, elliptic.P256()), mustKID(t, e.keys), e.claims())
	_, err := e.v.Verify(tok)
	wantRefused(t, err, msgInvalid)
}

func TestVerifyAcceptsTokenWithoutKIDFromATrustedKey(t *testing.T) {
	e := newEnv(t)
	_, signer, err := e.keys.currentSigner()
	if err != nil {
		t.Fatal(err)
	}
	mustRotate(t, e.keys) // the kid-less token's key is now one of two
	c, err := e.v.Verify(sign(t, jwt.SigningMethodEdDSA, signer, "", e.claims()))
	wantAccepted(t, err)
	if c.KeyID != "" {
		t.Fatalf("KeyID = %q for a token without kid", c.KeyID)
	}
}
