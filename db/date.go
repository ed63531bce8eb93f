package db

import (
	"context"
	"database/sql/driver"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"exithub"
)

// dateValue carries an exithub.Date to and from a PostgreSQL date: a day,
// with no time and no zone.
type dateValue exithub.Date

// Value implements driver.Valuer: the day as text, which every query
// execution mode can send (the simple protocol does not know DateValuer).
func (d dateValue) Value() (driver.Value, error) {
	if exithub.Date(d).IsZero() {
		return nil, nil
	}
	return exithub.Date(d).String(), nil
}

// ScanDate implements pgtype.DateScanner.
func (d *dateValue) ScanDate(v pgtype.Date) error {
	if !v.Valid {
		*d = dateValue{}
		return nil
	}
	*d = dateValue(exithub.DateOf(v.Time))
	return nil
}

// DateValue implements pgtype.DateValuer.
func (d dateValue) DateValue() (pgtype.Date, error) {
	if exithub.Date(d).IsZero() {
		return pgtype.Date{}, nil
	}
	return pgtype.Date{Time: exithub.Date(d).Time(time.UTC), Valid: true}, nil
}

// strs turns a slice of a named string type into []string, which every
// query execution mode can encode (the simple protocol behind PgBouncer
// does not know the named types).
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// str turns a pointer to a named string type into *string, likewise.
func str[T ~string](x *T) *string {
	if x == nil {
		return nil
	}
	s := string(*x)
	return &s
}

// dbNow is the given time, or else the database's: the transaction's
// now(), the one clock every recorded time is read from.
func dbNow(ctx context.Context, tx pgx.Tx, given *time.Time) (time.Time, error) {
	if given != nil {
		return *given, nil
	}
	var now time.Time
	err := tx.QueryRow(ctx, "SELECT now()").Scan(&now)
	return now, err
}
