package auth

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"

	"exithub"
)

// refusal is an UNAUTHENTICATED error carrying a specific, safe message.
// It unwraps to both that message and exithub.ErrUnauthenticated, so that
// errors.Is(err, exithub.ErrUnauthenticated) holds while errors.As (and so
// exithub.ErrorMessage) finds the specific message first.
type refusal struct{ e *exithub.Error }

func (r refusal) Error() string   { return r.e.Error() }
func (r refusal) Unwrap() []error { return []error{r.e, exithub.ErrUnauthenticated} }

// refuse returns an UNAUTHENTICATED error with message msg.
func refuse(msg string) error {
	return refusal{&exithub.Error{Code: exithub.EUNAUTHENTICATED, Message: msg}}
}

// The messages a client may see. They name the rule a token broke, not the
// detail of how it broke it: that would help a forger more than a user.
const (
	msgMissing      = "missing bearer token"
	msgMalformedHdr = "malformed authorization header"
	msgTooLarge     = "token too large"
	msgInvalid      = "invalid token"
	msgExpired      = "token expired"
	msgNotYetValid  = "token not yet valid"
	msgIssuer       = "token has the wrong issuer"
	msgAudience     = "token has the wrong audience"
	msgClaims       = "token lacks a required claim"
	msgRole         = "token names an unknown role"
	msgLifetime     = "token lives longer than this server accepts"
)

// errUnknownKey is what key lookup returns when no trusted key fits a
// token; it never reaches a client as such.
var errUnknownKey = errors.New("auth: no trusted key fits the token")

// refuseParse turns an error of the JWT parser into a refusal. Signature
// problems come first in the parser, so a forged token is never told
// anything about its claims.
func refuseParse(err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return refuse(msgExpired)
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return refuse(msgNotYetValid)
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return refuse(msgIssuer)
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return refuse(msgAudience)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return refuse(msgClaims)
	}
	return refuse(msgInvalid)
}
