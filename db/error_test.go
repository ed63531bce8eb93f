package db

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
)

// A sum that would overflow and a NUL byte that reached the database are
// the client's bad input, named, never INTERNAL.
func TestOverflowAndNULAreBadInput(t *testing.T) {
	for code, field := range map[string]string{"22003": "amount", "22021": ""} {
		err := translate(&pgconn.PgError{Code: code})
		var e *exithub.Error
		if exithub.ErrorCode(err) != exithub.EINVALID || !asError(err, &e) || e.Field != field {
			t.Errorf("SQLSTATE %s: %v, want BAD_USER_INPUT naming %q", code, err, field)
		}
	}
}

func asError(err error, target **exithub.Error) bool {
	e, ok := err.(*exithub.Error)
	*target = e
	return ok
}

// A failure that the same request can outlive when sent again (a
// serialization failure, a deadlock, a lock not had in time, a session the
// server ended, a statement timeout, a connection lost) is UNAVAILABLE, the
// code a client retries; none is a final CONFLICT or INTERNAL.
func TestRetryableStatesAreUnavailable(t *testing.T) {
	for _, code := range []string{"40001", "40P01", "40003", "55P03", "57014", "57P01", "57P02", "57P03",
		"57P04", "57P05", "25P03", "08006", "53300", "53100", "58030"} {
		if got := exithub.ErrorCode(translate(&pgconn.PgError{Code: code})); got != exithub.EUNAVAILABLE {
			t.Errorf("SQLSTATE %s: %s, want UNAVAILABLE", code, got)
		}
	}
}
