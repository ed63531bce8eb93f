package graph_test

import (
	"errors"
	"fmt"
	"testing"

	"exithub"
	"exithub/graph"
)

// Every kind of domain error becomes the extensions the client acts on:
// its code, the field for bad input, retryable for what may be sent again;
// an error that is not the domain's shows nothing of itself.
func TestDomainErrorsBecomeTheirExtensions(t *testing.T) {
	for name, c := range map[string]struct {
		err       error
		code      string
		message   string
		field     any
		retryable any
		requestID any
	}{
		"unauthenticated": {exithub.ErrUnauthenticated, exithub.EUNAUTHENTICATED, "authentication required", nil, nil, nil},
		"forbidden":       {exithub.ErrForbidden, exithub.EFORBIDDEN, "forbidden", nil, nil, nil},
		"not found":       {exithub.ErrNotFound, exithub.ENOTFOUND, "not found", nil, nil, nil},
		"invalid":         {exithub.Invalid("reason", "cancel needs a reason"), exithub.EINVALID, "cancel needs a reason", "reason", nil, nil},
		"conflict":        {exithub.Errorf(exithub.ECONFLICT, "the referral changed"), exithub.ECONFLICT, "the referral changed", nil, nil, nil},
		"rate limited":    {exithub.Errorf(exithub.ERATELIMITED, "slow down"), exithub.ERATELIMITED, "slow down", nil, true, nil},
		"unavailable":     {exithub.Errorf(exithub.EUNAVAILABLE, "try again"), exithub.EUNAVAILABLE, "try again", nil, true, nil},
		"wrapped":         {fmt.Errorf("db: cancel: %w", exithub.Errorf(exithub.ECONFLICT, "stale")), exithub.ECONFLICT, "stale", nil, nil, nil},
		"internal":        {errors.New("dial tcp 10.0.0.5:5432: connection refused"), exithub.EINTERNAL, "internal error", nil, nil, "req"},
	} {
		t.Run(name, func(t *testing.T) {
			f := &fakeReferrals{err: c.err}
			out := runAs(t, caseworker, graph.Services{Referrals: f},
				`mutation { cancelReferral(input: {id: "`+globalID("Referral", "r1")+`", reason: "moved"}) { id } }`, nil)
			msg, ext := onlyError(t, out)
			if msg != c.message || ext["code"] != c.code || ext["field"] != c.field || ext["retryable"] != c.retryable || ext["requestId"] != c.requestID {
				t.Fatalf("message %q, extensions %v; want %q, code %s, field %v, retryable %v, requestId %v",
					msg, ext, c.message, c.code, c.field, c.retryable, c.requestID)
			}
			if len(f.transitions) != 1 {
				t.Fatalf("the service was asked %d times", len(f.transitions))
			}
		})
	}
}

// The policy refuses before the service is asked: a caseworker may not
// accept a referral (the NGO does).
func TestARefusedMutationReachesNoService(t *testing.T) {
	f := &fakeReferrals{}
	out := runAs(t, caseworker, graph.Services{Referrals: f},
		`mutation { acceptReferral(input: {id: "`+globalID("Referral", "r1")+`"}) { id } }`, nil)
	if _, ext := onlyError(t, out); ext["code"] != exithub.EFORBIDDEN {
		t.Fatalf("extensions %v", ext)
	}
	if len(f.transitions) != 0 {
		t.Fatalf("the service was asked %+v", f.transitions)
	}
}
