package db

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
)

// translate turns database errors into application errors by SQLSTATE and
// error type, never by message text. Anything unknown stays as it is and
// becomes INTERNAL. It is the one place that decides what is UNAVAILABLE.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var appErr *exithub.Error
	if errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return exithub.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fromSQLState(pgErr, err)
	}
	if errors.Is(err, context.Canceled) {
		// The client went away; nothing failed on our side.
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the request was cancelled"}
	}
	if connectionLost(err) {
		return errUnavailable
	}
	return err
}

// errUnavailable is what every lost, refused or stalled connection answers:
// the client may retry (with its idempotency key, for a create).
var errUnavailable = &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the database is unavailable; try again"}

func fromSQLState(pgErr *pgconn.PgError, err error) error {
	switch code := pgErr.Code; {
	case code == "23505":
		return exithub.Errorf(exithub.ECONFLICT, "already exists")
	case code == "23503", code == "23514", code == "22P02", code == "22001", code == "23502":
		return exithub.Errorf(exithub.EINVALID, "invalid value")
	case code == "22021":
		// A NUL byte or an invalid character reached the database: the
		// String scalar refuses them, this is the last line.
		return exithub.Invalid("", "text may not contain the NUL character")
	case code == "22003":
		// Amounts are bounded (exithub.MaxMoney), so only a sum of them can
		// overflow; the amount is what the client can change.
		return exithub.Invalid("amount", "the amount would make a total larger than the hub can hold")
	case code == "42501":
		return exithub.ErrForbidden
	case code == "40001", code == "40P01", code == "40003", code == "55P03":
		// A serialization failure, a deadlock, a commit whose outcome is
		// unknown, a lock not had in time: the same request can succeed
		// when sent again (with its idempotency key, for a create), so the
		// answer is the retryable one, never a final CONFLICT.
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "a concurrent change got in the way; try again"}
	case diskFull(pgErr):
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the database is out of disk space; try again later"}
	case unavailableState(code):
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the database is unavailable or overloaded; try again"}
	}
	return err
}

// unavailableState is true of the SQLSTATEs that say the server, not the
// request, is at fault for now: connection exceptions (08), insufficient
// resources (53: disk full, out of memory, too many connections), a
// cancelled statement (57014: the statement timeout), an administrator's or
// a crash's shutdown (57P01-57P03), a database dropped or a session ended
// for idleness (57P04, 57P05, 25P03), and an I/O error (58030).
func unavailableState(code string) bool {
	if len(code) != 5 {
		return false
	}
	switch code {
	case "57014", "57P01", "57P02", "57P03", "57P04", "57P05", "25P03", "58030":
		return true
	}
	return code[:2] == "08" || code[:2] == "53"
}

// diskFull is true of "could not extend file" and its like: 53100.
func diskFull(pgErr *pgconn.PgError) bool { return pgErr.Code == "53100" }

// connectionLost is true of an error that is the connection's, not the
// statement's: refused, reset, closed, cut short (EOF) or timed out,
// whether by the kernel, by pgx or by the hub's own deadline.
func connectionLost(err error) bool {
	var netErr net.Error
	var connErr *pgconn.ConnectError
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr), pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return true
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}
