package db

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"exithub"
)

// dateValue carries an exithub.Date to and from a PostgreSQL date: a day,
// with no time and no zone.
type dateValue exithub.Date

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
