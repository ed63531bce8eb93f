package exithub

import (
	"fmt"
)

// MinThreshold is the smallest threshold the hub accepts.
const MinThreshold = 3

// DefaultThreshold publishes noisy counts under 5 as "under 5".
const DefaultThreshold = 5

// Privacy holds every parameter of the releases, in one place (see the
// README's method section for the accounting).
type Privacy struct {
	// Threshold: a noisy count below it is published as under threshold.
	Threshold int
	// Epsilon is each table's privacy loss: ε = 1 gives a likelihood ratio
	// of at most e between the release with and without any one person.
	Epsilon Epsilon
	// K bounds each person's records in a table that counts records; the
	// noise of those tables is scaled by K.
	K int
	// GraceDays after a month's last day before it is released, for
	// records registered late. The dashboard repeats the default
	// (RELEASE_GRACE_DAYS in web/static/format.js), which the schema does
	// not expose; TestDashboardPicksTheReleasedMonth holds the two together.
	GraceDays int
}

// DefaultPrivacy is the hub's choice: ε = 1 per table, at most 2 records
// per person in a table of records, released 10 days after the month.
var DefaultPrivacy = Privacy{Threshold: DefaultThreshold, Epsilon: Epsilon{1, 1}, K: 2, GraceDays: 10}

// NewPrivacy is the default privacy with another threshold.
func NewPrivacy(threshold int) (Privacy, error) {
	if threshold < MinThreshold {
		return Privacy{}, fmt.Errorf("a suppression threshold below %d is not allowed", MinThreshold)
	}
	p := DefaultPrivacy
	p.Threshold = threshold
	return p, nil
}
