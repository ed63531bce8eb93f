package auth

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"exithub"
)

// The fuzz targets verify against a fixed key at a fixed moment, so that the
// checked-in seed corpus can hold a token that really verifies. Ed25519
// signatures are deterministic, so fuzzToken is the same on every run.
var (
	fuzzSeed = sha256.Sum256([]byte("exithub auth fuzz"))
	fuzzKey  = ed25519.NewKeyFromSeed(fuzzSeed[:])
	fuzzNow  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
)

// fuzzVerifier trusts the fuzz key only, and returns its kid.
func fuzzVerifier(t testing.TB) (*Verifier, string) {
	der, err := x509.MarshalPKIXPublicKey(fuzzKey.Public())
	if err != nil {
		t.Fatal(err)
	}
	kid, dir := fingerprint(der), t.TempDir()
	writeFile(t, filepath.Join(dir, kid+".pub"), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	v, err := NewVerifier(VerifierOptions{KeyDir: dir, MaxLifetime: -1, Now: func() time.Time { return fuzzNow }}) // the corpus token lives 11 years
	if err != nil {
		t.Fatal(err)
	}
	return v, kid
}

// fuzzToken is the one token the fuzz verifier accepts.
func fuzzToken(t testing.TB, kid string) string {
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{"sub": "fuzz", "org": "101",
		"role": "caseworker", "iss": "exithub", "aud": "exithub",
		"iat": 1735689600, "nbf": 1735689600, "exp": 2082758400}) // 2025-01-01 .. 2036-01-01
	tok.Header["kid"] = kid
	s, err := tok.SignedString(fuzzKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func FuzzVerify(f *testing.F) {
	v, kid := fuzzVerifier(f)
	valid := fuzzToken(f, kid)
	f.Add(valid)
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(tok)
		if err == nil {
			if tok != valid || c.Sub != "fuzz" || c.KeyID != kid {
				t.Fatalf("verified %q as %+v", tok, c)
			}
			return
		}
		if exithub.ErrorCode(err) != exithub.EUNAUTHENTICATED {
			t.Fatalf("error %v is not UNAUTHENTICATED", err)
		}
	})
}

func FuzzParseBearer(f *testing.F) {
	f.Add("Bearer abc.def.ghi")
	f.Fuzz(func(t *testing.T, header string) {
		tok, err := ParseBearer(header)
		if err != nil {
			if exithub.ErrorCode(err) != exithub.EUNAUTHENTICATED {
				t.Fatalf("error %v is not UNAUTHENTICATED", err)
			}
			return
		}
		if !isToken68(tok) || len(tok) > maxTokenSize || !strings.Contains(header, tok) {
			t.Fatalf("ParseBearer(%q) = %q", header, tok)
		}
		if again, err := ParseBearer("Bearer " + tok); err != nil || again != tok {
			t.Fatalf("round trip of %q: %q, %v", tok, again, err)
		}
	})
}

// TestFuzzSeedCorpusHoldsTheValidToken keeps the corpus meaningful: were
// the valid seed to go stale, the fuzzer would only ever see refusals.
func TestFuzzSeedCorpusHoldsTheValidToken(t *testing.T) {
	v, kid := fuzzVerifier(t)
	b, err := os.ReadFile(filepath.Join("testdata", "fuzz", "FuzzVerify", "valid_token"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	lit := strings.TrimSuffix(strings.TrimPrefix(lines[len(lines)-1], "string("), ")")
	tok, err := strconv.Unquote(lit)
	if err != nil {
		t.Fatal(err)
	}
	if tok != fuzzToken(t, kid) {
		t.Fatal("the seed is not fuzzToken; regenerate testdata/fuzz/FuzzVerify/valid_token")
	}
	_, err = v.Verify(tok)
	wantAccepted(t, err)
}
