package auth

import (
	"slices"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"exithub"
)

// Claims is who a token speaks for: a subject acting in a role for an
// organisation (by code), and when the token was issued and expires.
type Claims struct {
	Sub       string
	Org       string
	Role      exithub.Role
	ExpiresAt time.Time
	IssuedAt  time.Time
	KeyID     string // kid of the key that signed the token, if it named one
}

// tokenClaims is the JSON payload of a token.
type tokenClaims struct {
	jwt.RegisteredClaims
	Org  string `json:"org,omitempty"`
	Role string `json:"role,omitempty"`
}

// check is the rule both Mint and Verify apply: a token speaks for someone
// definite, in a role the hub knows. An unknown role would be refused later
// anyway; refusing it here keeps it from reaching the policy at all. It
// returns what is wrong, or "".
func (c Claims) check() string {
	if c.Sub == "" || c.Org == "" || c.Role == "" {
		return msgClaims
	}
	if !slices.Contains(exithub.Roles, c.Role) {
		return msgRole
	}
	return ""
}

// claims returns the Claims of a verified payload.
func (tc *tokenClaims) claims(kid string) Claims {
	c := Claims{Sub: tc.Subject, Org: tc.Org, Role: exithub.Role(tc.Role), KeyID: kid}
	if tc.ExpiresAt != nil {
		c.ExpiresAt = tc.ExpiresAt.Time
	}
	if tc.IssuedAt != nil {
		c.IssuedAt = tc.IssuedAt.Time
	}
	return c
}
