package exithub

import (
	"fmt"
	"time"
)

// Month is a calendar month: the reference period of a release.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the month a day falls in.
func MonthOf(d Date) Month { return Month{d.Year, d.Month} }

// First returns the month's first day.
func (m Month) First() Date { return Date{m.Year, m.Month, 1} }

// Last returns the month's last day.
func (m Month) Last() Date { return m.Next().First().AddDays(-1) }

// Next returns the month after m.
func (m Month) Next() Month {
	if m.Month == time.December {
		return Month{m.Year + 1, time.January}
	}
	return Month{m.Year, m.Month + 1}
}

// Prev returns the month before m.
func (m Month) Prev() Month {
	if m.Month == time.January {
		return Month{m.Year - 1, time.December}
	}
	return Month{m.Year, m.Month - 1}
}

// String formats the month as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }
