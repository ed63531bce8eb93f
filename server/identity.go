package server

import (
	"context"
	"time"

	"exithub"
	"exithub/auth"
)

// Identity turns a bearer token into a principal: a verified token whose
// organisation exists and whose role that organisation's kind can hold.
type Identity struct {
	Verifier *auth.Verifier
	// Organisation reads the directory by code.
	Organisation func(ctx context.Context, code string) (*exithub.Organisation, error)
}

// Principal verifies a token and returns who is asking and from when the
// verifier refuses the token (its expiry, give or take the leeway). Every refusal is UNAUTHENTICATED with a message that says no more
// than it must.
func (id *Identity) Principal(ctx context.Context, token string) (*exithub.Principal, time.Time, error) {
	c, err := id.Verifier.Verify(token)
	if err != nil {
		return nil, time.Time{}, err
	}
	org, err := id.Organisation(ctx, c.Org)
	if exithub.ErrorCode(err) == exithub.ENOTFOUND {
		return nil, time.Time{}, &exithub.Error{Code: exithub.EUNAUTHENTICATED, Message: "the token names an unknown organisation"}
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	if !exithub.CanHold(org.Kind, c.Role) {
		return nil, time.Time{}, &exithub.Error{Code: exithub.EUNAUTHENTICATED, Message: "the token's role cannot be held by its organisation"}
	}
	return &exithub.Principal{Sub: c.Sub, Role: c.Role, Org: *org}, id.Verifier.RefusedFrom(c), nil
}
