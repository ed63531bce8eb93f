package exithub

import (
	"context"
	"slices"
)

// Dimension is what persons helped can be broken down by.
type Dimension string

// The dimensions of the statistics.
const (
	DimMunicipality     Dimension = "MUNICIPALITY"
	DimHomeMunicipality Dimension = "HOME_MUNICIPALITY"
	DimGender           Dimension = "GENDER"
	DimBirthYearBand    Dimension = "BIRTH_YEAR_BAND"
)

var allDimensions = []Dimension{DimMunicipality, DimHomeMunicipality, DimGender, DimBirthYearBand}

// HelpCategory is how a person was helped. A person is counted once, in the
// first category that applies, in this order.
type HelpCategory string

// The categories, in the order that decides.
const (
	HelpCTI               HelpCategory = "CTI"
	HelpOrientation       HelpCategory = "ORIENTATION"
	HelpAcuteSupport      HelpCategory = "ACUTE_SUPPORT"
	HelpReferredElsewhere HelpCategory = "REFERRED_ELSEWHERE"
)

var categoryOrder = []HelpCategory{HelpCTI, HelpOrientation, HelpAcuteSupport, HelpReferredElsewhere}

// CourseState says whether a counted CTI course was running on the day.
type CourseState string

// The states of a counted CTI course.
const (
	CourseOpen  CourseState = "OPEN"
	CourseEnded CourseState = "ENDED"
)

// Cell is a published count. An invariant is exact, always with a value; a
// release cell is noisy, and null (Suppressed) when its noisy value is
// under the threshold, whatever the true count (0 included).
type Cell struct {
	Value      *int
	Suppressed bool
}

// StatisticsRow is one row of persons helped, with the dimension asked for.
type StatisticsRow struct {
	Category       HelpCategory
	CourseState    *CourseState
	Track          *Track
	MunicipalityID *string
	HomeID         *string
	Gender         *string
	BirthYearBand  *string
	Persons        Cell
}

// Statistics is a request for the figures of a day, grouped by at most one
// dimension. The figures themselves come through the Gate.
type Statistics struct {
	AsOf      Date
	Threshold int
	GroupBy   []Dimension
	read      *statisticsRead // nil: each field reads anew
}

// Perturbed reports whether the rows are release cells (with noise).
func (s *Statistics) Perturbed() bool { return len(s.GroupBy) > 0 }

// NationalCount is a true count of the national table: persons by
// category (CTI by track), each person once.
type NationalCount struct {
	Category HelpCategory
	Track    *Track
	N        int
}

// StatisticsService reads what the statistics are computed from:
// aggregates only, no method returns a person.
type StatisticsService interface {
	// National reads the exact national table of a day.
	National(ctx context.Context, asOf Date) ([]NationalCount, error)
	// Release returns the stored release of a month; when there is none,
	// it reads the month's source from the rollups (each person's first k
	// records in a table of records), calls publish once,
	// and stores the result, so that concurrent callers get one release.
	// OwnAgreements counts the caller's own cross-municipal agreements made
	// by a day; own is false when the caller sees them only as aggregates.
	OwnAgreements(ctx context.Context, asOf Date) (n int, own bool, err error)
	Release(ctx context.Context, m Month, k int, publish func(ReleaseSource) (Release, error)) (Release, error)
}

// ValidDimensions checks a groupBy list: releases hold tables grouped by
// at most one dimension.
func ValidDimensions(ds []Dimension) error {
	for i, d := range ds {
		if !slices.Contains(allDimensions, d) {
			return Invalid("groupBy", "unknown dimension")
		}
		if slices.Contains(ds[:i], d) {
			return Invalid("groupBy", "a dimension is named twice")
		}
	}
	if len(ds) > 1 {
		return Invalid("groupBy", "the statistics are released grouped by one dimension at a time")
	}
	return nil
}
