package auth

import (
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// idp is an identity provider's keys: RSA and P-256, with a JWKS of them.
type idp struct {
	rsa, ec, other jwk
}

func newIDP(t *testing.T) idp {
	return idp{
		rsa:   jwk{kid: "rsa-1", alg: "RS256", key: newRSAKey(t)},
		ec:    jwk{kid: "ec-1", alg: "ES256", key: newECKey(t, elliptic.P256())},
		other: jwk{kid: "ec-384", alg: "", key: newECKey(t, elliptic.P384())},
	}
}

func TestVerifyAcceptsJWKSFileKeys(t *testing.T) {
	e := newEnv(t)
	p := newIDP(t)
	secret := make([]byte, 32)
	rand.Read(secret)
	hmacKey := jwk{kid: "hmac", alg: "HS256", key: secret}
	path := writeFile(t, filepath.Join(t.TempDir(), "jwks.json"), jwksJSON(t, p.rsa, p.ec, p.other, hmacKey))
	v := e.verifier(VerifierOptions{JWKS: path})
	cases := []struct {
		name string
		tok  string
		ok   bool
	}{
		{"RS256", sign(t, jwt.SigningMethodRS256, p.rsa.key, "rsa-1", e.claims()), true},
		{"ES256", sign(t, jwt.SigningMethodES256, p.ec.key, "ec-1", e.claims()), true},
		{"ES256 without kid", sign(t, jwt.SigningMethodES256, p.ec.key, "", e.claims()), true},
		{"key directory still trusted", e.mint(alice, time.Hour), true},
		{"PS256 with the RSA key", sign(t, jwt.SigningMethodPS256, p.rsa.key, "rsa-1", e.claims()), false},
		{"RS256 naming the EC kid", sign(t, jwt.SigningMethodRS256, p.rsa.key, "ec-1", e.claims()), false},
		{"P-384 key is not trusted", sign(t, jwt.SigningMethodES384, p.other.key, "ec-384", e.claims()), false},
		{"HMAC key in the JWKS is not trusted", sign(t, jwt.SigningMethodHS256, secret, "hmac", e.claims()), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(tc.tok)
			if tc.ok {
				wantAccepted(t, err)
			} else {
				wantRefused(t, err, msgInvalid)
			}
		})
	}
}

func TestVerifyAcceptsJWKSURLKeys(t *testing.T) {
	e := newEnv(t)
	p := newIDP(t)
	later := jwk{kid: "rsa-2", alg: "RS256", key: newRSAKey(t)}
	var body atomic.Value
	body.Store(jwksJSON(t, p.rsa))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body.Load().([]byte))
	}))
	defer srv.Close()
	v := e.verifier(VerifierOptions{JWKS: srv.URL})
	_, err := v.Verify(sign(t, jwt.SigningMethodRS256, p.rsa.key, "rsa-1", e.claims()))
	wantAccepted(t, err)
	_, err = v.Verify(sign(t, jwt.SigningMethodRS256, p.rsa.key, "", e.claims()))
	wantAccepted(t, err)
	// The provider rotates: the unknown kid makes the verifier fetch again.
	body.Store(jwksJSON(t, p.rsa, later))
	_, err = v.Verify(sign(t, jwt.SigningMethodRS256, later.key, "rsa-2", e.claims()))
	wantAccepted(t, err)
	_, err = v.Verify(sign(t, jwt.SigningMethodES256, p.ec.key, "ec-1", e.claims()))
	wantRefused(t, err, msgInvalid)
}

func TestNewVerifierRefusesBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	badDir := t.TempDir()
	writeFile(t, filepath.Join(badDir, "broken.pub"), []byte("not a key"))
	notJSON := writeFile(t, filepath.Join(dir, "jwks.json"), []byte("<html>"))
	cases := map[string]VerifierOptions{
		"no keys named":         {},
		"missing key directory": {KeyDir: filepath.Join(dir, "nope")},
		"unusable public key":   {KeyDir: badDir},
		"missing JWKS file":     {JWKS: filepath.Join(dir, "nope.json")},
		"JWKS file not JSON":    {JWKS: notJSON},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			if v, err := NewVerifier(opts); err == nil {
				v.Close()
				t.Fatal("no error")
			}
		})
	}
}
