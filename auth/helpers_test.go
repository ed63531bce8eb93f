package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/golang-jwt/jwt/v5"

	"exithub"
)

// clock is a settable clock shared by a KeyDir and a Verifier.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a key directory and a verifier of it on one clock.
type env struct {
	t     *testing.T
	clock *clock
	keys  *KeyDir
	v     *Verifier
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := newClock()
	k, err := OpenKeyDir(filepath.Join(t.TempDir(), "keys"))
	if err != nil {
		t.Fatal(err)
	}
	k.Now = c.Now
	e := &env{t: t, clock: c, keys: k}
	e.v = e.verifier(VerifierOptions{})
	return e
}

// verifier returns a verifier of the env's key directory; opts may add to it.
func (e *env) verifier(opts VerifierOptions) *Verifier {
	e.t.Helper()
	opts.KeyDir, opts.Now = e.keys.Dir(), e.clock.Now
	v, err := NewVerifier(opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(v.Close)
	return v
}

var alice = Claims{Sub: "alice", Org: "101", Role: exithub.RoleCaseworker}

func (e *env) mint(c Claims, ttl time.Duration) string {
	e.t.Helper()
	tok, err := e.keys.Mint(c, ttl)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// claims is a valid payload at now, to be varied by a test.
func (e *env) claims() jwt.MapClaims {
	now := e.clock.Now().Unix()
	return jwt.MapClaims{"sub": "alice", "org": "101", "role": "caseworker", "iss": "exithub",
		"aud": "exithub", "iat": now, "nbf": now, "exp": now + 3600}
}

// signCurrent signs claims with the key directory's current key.
func (e *env) signCurrent(claims jwt.MapClaims) string {
	e.t.Helper()
	kid, signer, err := e.keys.currentSigner()
	if err != nil {
		e.t.Fatal(err)
	}
	return sign(e.t, jwt.SigningMethodEdDSA, signer, kid, claims)
}

// sign makes a token with any method and key; kid "" leaves it out.
func sign(t *testing.T, m jwt.SigningMethod, key any, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(m, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// wantAccepted fails unless err is nil.
func wantAccepted(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
}

// wantRefused fails unless err is UNAUTHENTICATED with message msg.
func wantRefused(t *testing.T, err error, msg string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted")
	}
	if !errors.Is(err, exithub.ErrUnauthenticated) || exithub.ErrorCode(err) != exithub.EUNAUTHENTICATED {
		t.Fatalf("err = %v, want UNAUTHENTICATED", err)
	}
	if got := exithub.ErrorMessage(err); got != msg {
		t.Fatalf("message = %q, want %q", got, msg)
	}
}

func newRSAKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newECKey(t *testing.T, c elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// jwk is one key of a JWKS to write.
type jwk struct {
	kid, alg string
	key      any
}

// jwksJSON returns a JWKS of keys.
func jwksJSON(t *testing.T, keys ...jwk) []byte {
	t.Helper()
	var set jwkset.JWKSMarshal
	for _, k := range keys {
		j, err := jwkset.NewJWKFromKey(k.key, jwkset.JWKOptions{
			Metadata: jwkset.JWKMetadataOptions{KID: k.kid, ALG: jwkset.ALG(k.alg)},
			Marshal:  jwkset.JWKMarshalOptions{Private: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		set.Keys = append(set.Keys, j.Marshal())
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t testing.TB, path string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func mustRotate(t *testing.T, k *KeyDir) string {
	t.Helper()
	kid, err := k.Rotate()
	if err != nil {
		t.Fatal(err)
	}
	return kid
}

func mustKID(t *testing.T, k *KeyDir) string {
	t.Helper()
	kid, err := k.CurrentKID()
	if err != nil {
		t.Fatal(err)
	}
	return kid
}
