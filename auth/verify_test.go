package auth

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"exithub"
)

func TestVerifyAcceptsAValidToken(t *testing.T) {
	e := newEnv(t)
	kid := mustKID(t, e.keys)
	c, err := e.v.Verify(e.mint(alice, time.Hour))
	wantAccepted(t, err)
	now := e.clock.Now()
	want := Claims{Sub: "alice", Org: "101", Role: exithub.RoleCaseworker, KeyID: kid,
		IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
	if c.Sub != want.Sub || c.Org != want.Org || c.Role != want.Role || c.KeyID != want.KeyID ||
		!c.IssuedAt.Equal(want.IssuedAt) || !c.ExpiresAt.Equal(want.ExpiresAt) {
		t.Fatalf("claims = %+v, want %+v", c, want)
	}
}

// reencode replaces one segment of a token with f of its decoding.
func reencode(t *testing.T, tok string, seg int, f func(map[string]any)) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[seg])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	parts[seg] = base64.RawURLEncoding.EncodeToString(b)
	return strings.Join(parts, ".")
}

func TestVerifyRefusesTamperedTokens(t *testing.T) {
	e := newEnv(t)
	tok := e.mint(alice, time.Hour)
	parts := strings.Split(tok, ".")
	flip := func(s string, i int) string {
		c := byte('A')
		if s[i] == 'A' {
			c = 'B'
		}
		return s[:i] + string(c) + s[i+1:]
	}
	cases := map[string]string{
		"payload org changed": reencode(t, tok, 1, func(m map[string]any) { m["org"] = "751" }),
		"payload role raised": reencode(t, tok, 1, func(m map[string]any) { m["role"] = "admin" }),
		"expiry extended":     reencode(t, tok, 1, func(m map[string]any) { m["exp"] = 4102444800 }),
		"signature changed":   parts[0] + "." + parts[1] + "." + flip(parts[2], 5),
		"signature dropped":   parts[0] + "." + parts[1] + ".",
		"signature truncated": parts[0] + "." + parts[1] + "." + parts[2][:40],
		"segments swapped":    parts[1] + "." + parts[0] + "." + parts[2],
		"extra segment":       tok + ".x",
	}
	for name, bad := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.v.Verify(bad)
			wantRefused(t, err, msgInvalid)
		})
	}
}

func TestVerifyRefusesTokensOutsideTheirLifetime(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now().Unix()
	cases := []struct {
		name string
		set  jwt.MapClaims
		want string
	}{
		{"expired beyond leeway", jwt.MapClaims{"exp": now - 31}, msgExpired},
		{"not before is in the future", jwt.MapClaims{"nbf": now + 60}, msgNotYetValid},
		{"issued in the future", jwt.MapClaims{"iat": now + 60}, msgNotYetValid},
		{"expired within leeway", jwt.MapClaims{"exp": now - 10}, ""},
		{"not before within leeway", jwt.MapClaims{"nbf": now + 10}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims := e.claims()
			for k, v := range tc.set {
				claims[k] = v
			}
			_, err := e.v.Verify(e.signCurrent(claims))
			if tc.want == "" {
				wantAccepted(t, err)
			} else {
				wantRefused(t, err, tc.want)
			}
		})
	}
}

func TestVerifyRefusesMintedTokenOnceExpired(t *testing.T) {
	e := newEnv(t)
	_, err := e.v.Verify(e.mint(alice, -time.Minute))
	wantRefused(t, err, msgExpired)
	tok := e.mint(alice, time.Minute)
	e.clock.Advance(2 * time.Minute)
	_, err = e.v.Verify(tok)
	wantRefused(t, err, msgExpired)
}

func TestVerifyRefusesWrongIssuerOrAudience(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name  string
		key   string
		value any
		want  string
	}{
		{"wrong issuer", "iss", "someone-else", msgIssuer},
		{"no issuer", "iss", nil, msgClaims},
		{"wrong audience", "aud", "another-service", msgAudience},
		{"wrong audience list", "aud", []string{"a", "b"}, msgAudience},
		{"no audience", "aud", nil, msgClaims},
		{"audience among several", "aud", []string{"a", "exithub"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims := e.claims()
			claims[tc.key] = tc.value
			if tc.value == nil {
				delete(claims, tc.key)
			}
			_, err := e.v.Verify(e.signCurrent(claims))
			if tc.want == "" {
				wantAccepted(t, err)
			} else {
				wantRefused(t, err, tc.want)
			}
		})
	}
}

func TestVerifyHonoursConfiguredIssuerAndAudience(t *testing.T) {
	e := newEnv(t)
	e.keys.Issuer, e.keys.Audience = "https://idp.example", "hub-api"
	tok := e.mint(alice, time.Hour)
	_, err := e.v.Verify(tok)
	wantRefused(t, err, msgIssuer)
	v := e.verifier(VerifierOptions{Issuer: "https://idp.example", Audience: "hub-api"})
	_, err = v.Verify(tok)
	wantAccepted(t, err)
}

func TestVerifyRefusesMissingClaims(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name  string
		key   string
		value any
		want  string
	}{
		{"no subject", "sub", nil, msgClaims},
		{"empty subject", "sub", "", msgClaims},
		{"no organisation", "org", nil, msgClaims},
		{"no role", "role", nil, msgClaims},
		{"unknown role", "role", "superuser", msgRole},
		{"no expiry", "exp", nil, msgClaims},
		{"organisation not a string", "org", 101, msgInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			claims := e.claims()
			claims[tc.key] = tc.value
			if tc.value == nil {
				delete(claims, tc.key)
			}
			_, err := e.v.Verify(e.signCurrent(claims))
			wantRefused(t, err, tc.want)
		})
	}
}

func TestVerifyRefusesOversizedAndMalformedTokens(t *testing.T) {
	e := newEnv(t)
	tok := e.mint(alice, time.Hour)
	cases := []struct{ name, tok, want string }{
		{"empty", "", msgMissing},
		{"oversized", tok + "." + strings.Repeat("A", maxTokenSize), msgTooLarge},
		{"garbage", "abc.def.ghi", msgInvalid},
		{"one segment", "abc", msgInvalid},
		{"line break in signature", tok[:len(tok)-4] + "\n" + tok[len(tok)-4:], msgInvalid},
		{"padded", tok + "==", msgInvalid},
		{"spaces", " " + tok, msgInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.v.Verify(tc.tok)
			wantRefused(t, err, tc.want)
		})
	}
}
