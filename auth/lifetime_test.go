package auth

import (
	"testing"
	"time"
)

// A token with a 100-year exp, as a forger or a careless issuer would make,
// is refused; one within the maximum is accepted.
func TestVerifyRefusesTokensThatLiveTooLong(t *testing.T) {
	e := newEnv(t)
	wantAccepted(t, verifyErr(e, e.mint(alice, DefaultMaxLifetime)))
	wantRefused(t, verifyErr(e, e.mint(alice, 100*365*24*time.Hour)), msgLifetime)
	wantRefused(t, verifyErr(e, e.mint(alice, DefaultMaxLifetime+time.Hour)), msgLifetime)

	noIAT := e.claims()
	delete(noIAT, "iat")
	noIAT["exp"] = e.clock.Now().Add(DefaultMaxLifetime + time.Hour).Unix()
	wantRefused(t, verifyErr(e, e.signCurrent(noIAT)), msgLifetime)

	// An iat in the past does not stretch the window: it is counted from iat.
	old := e.claims()
	old["iat"] = e.clock.Now().Add(-DefaultMaxLifetime).Unix()
	old["exp"] = e.clock.Now().Add(time.Hour).Unix()
	wantRefused(t, verifyErr(e, e.signCurrent(old)), msgLifetime)

	long := e.verifier(VerifierOptions{MaxLifetime: 200 * 365 * 24 * time.Hour})
	if _, err := long.Verify(e.mint(alice, 100*365*24*time.Hour)); err != nil {
		t.Fatalf("a configured maximum of 200 years refused a 100-year token: %v", err)
	}
}

func verifyErr(e *env, tok string) error {
	_, err := e.v.Verify(tok)
	return err
}
