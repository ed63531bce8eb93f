package db

import (
	"context"
	"errors"
	"net"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
)

// translate turns database errors into application errors by SQLSTATE, never
// by message text. Anything unknown stays as it is and becomes INTERNAL.
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
	if isUnavailable(err) {
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the database is unavailable; try again"}
	}
	return err
}

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
	case code == "40001", code == "40P01":
		return exithub.Errorf(exithub.ECONFLICT, "a concurrent change got there first; try again")
	case code == "57014", code == "53300", code == "57P01", code == "57P02", code == "57P03",
		code[:2] == "08", code == "53000", code == "53200":
		return &exithub.Error{Code: exithub.EUNAVAILABLE, Message: "the database is unavailable or overloaded; try again"}
	}
	return err
}

func isUnavailable(err error) bool {
	var netErr net.Error
	var connErr *pgconn.ConnectError
	return errors.As(err, &connErr) || errors.As(err, &netErr) || pgconn.SafeToRetry(err) ||
		errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}
