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
