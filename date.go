package exithub

import (
	"fmt"
	"time"
)

// Copenhagen is the time zone in which a moment becomes a Danish day.
var Copenhagen = mustLoadLocation("Europe/Copenhagen")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("exithub: time zone %s: %v", name, err))
	}
	return loc
}

// Date is a calendar day, with no time and no zone: a day is a day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MinYear and MaxYear bound the days the hub accepts: every date it keeps
// (births, courses, consents, agreements) falls between them, and a year 0
// or 9999 is a typing error that would otherwise be stored as it is.
const (
	MinYear = 1900
	MaxYear = 2100
)

// ErrDateRange is the error of a real day outside MinYear..MaxYear.
var ErrDateRange = fmt.Errorf("a date is between %d-01-01 and %d-12-31", MinYear, MaxYear)

// ParseDate reads YYYY-MM-DD and refuses anything that is not a real day
// between MinYear and MaxYear.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("a date is YYYY-MM-DD: %w", err)
	}
	if !InYearRange(t) {
		return Date{}, ErrDateRange
	}
	return DateOf(t), nil
}

// InYearRange reports whether t falls between MinYear and MaxYear.
func InYearRange(t time.Time) bool { return t.Year() >= MinYear && t.Year() <= MaxYear }

// DateOf returns the day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the day it is now in Copenhagen.
func Today(now time.Time) Date { return DateOf(now.In(Copenhagen)) }

// String formats the day as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Time returns midnight at the start of the day in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.Time(time.UTC).Before(e.Time(time.UTC)) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the day n days after d.
func (d Date) AddDays(n int) Date { return DateOf(d.Time(time.UTC).AddDate(0, 0, n)) }
