// Package scalar marshals the hub's custom GraphQL scalars to and from the
// domain's types. A value that does not parse is BAD_USER_INPUT naming the
// scalar, never a silent default.
package scalar

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"exithub"
)

// MarshalDate writes a day as "YYYY-MM-DD".
func MarshalDate(d exithub.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(d.String()))
	})
}

// UnmarshalDate reads "YYYY-MM-DD" and refuses anything that is not a real day.
func UnmarshalDate(v any) (exithub.Date, error) {
	s, ok := v.(string)
	if !ok {
		return exithub.Date{}, exithub.Invalid("Date", "a date is a string YYYY-MM-DD, e.g. \"2014-03-18\"")
	}
	if len(s) != 10 {
		return exithub.Date{}, exithub.Invalid("Date", "%s is not a date in the form YYYY-MM-DD, with two-digit month and day (e.g. \"2014-03-18\")", strconv.Quote(truncate(s)))
	}
	d, err := exithub.ParseDate(s)
	if errors.Is(err, exithub.ErrDateRange) {
		return exithub.Date{}, exithub.Invalid("Date", "%q is out of range: %v", s, err)
	}
	if err != nil {
		return exithub.Date{}, exithub.Invalid("Date", "%q is not a day of the calendar in the form YYYY-MM-DD", s)
	}
	return d, nil
}

// MarshalDateTime writes a moment in RFC 3339 with its offset, in UTC.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.UTC().Format(time.RFC3339Nano)))
	})
}

// UnmarshalDateTime reads RFC 3339; the offset is required, so no moment's
// zone is ever guessed.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok || len(s) > 64 {
		return time.Time{}, exithub.Invalid("DateTime", "a DateTime is an RFC 3339 string with an offset")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, exithub.Invalid("DateTime", "%s is not an RFC 3339 moment with an offset", strconv.Quote(truncate(s)))
	}
	if !exithub.InYearRange(t) {
		return time.Time{}, exithub.Invalid("DateTime", "%s is out of range: %v", strconv.Quote(s), exithub.ErrDateRange)
	}
	return t, nil
}

func truncate(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s…", s[:40])
	}
	return s
}

// MarshalMoney writes øre as a decimal string of kroner: "46000000.00".
func MarshalMoney(m exithub.Money) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(m.String()))
	})
}

// UnmarshalMoney reads a decimal string of kroner, exact to the øre. A
// number is refused: JSON numbers are floats to most clients.
func UnmarshalMoney(v any) (exithub.Money, error) {
	s, ok := v.(string)
	if !ok {
		return 0, exithub.Invalid("Money", "a Money is a decimal string such as \"46000000.00\", not a number")
	}
	return exithub.ParseMoney(s)
}
