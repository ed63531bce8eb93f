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

// CourseState says whether a counted CTI course was running on the day.
type CourseState string

// The states of a counted CTI course.
const (
	CourseOpen  CourseState = "OPEN"
	CourseEnded CourseState = "ENDED"
)

// Cell is a published count: a value, or suppressed.
type Cell struct {
	Value      *int
	Suppressed bool
}

// CellKey identifies the people of a cell without naming them: the sum of
// their record keys (each a keyed hash of the person), modulo 2^32. The same
// people always give the same key.
type CellKey uint32

// Count is a raw count with its cell key, before disclosure control.
type Count struct {
	N   int
	Key CellKey
}

// StatisticsRow is one row of persons helped, with the dimensions asked for.
type StatisticsRow struct {
	Category       HelpCategory
	CourseState    *CourseState
	Track          *Track
	MunicipalityID *string
	HomeID         *string
	Gender         *string
	BirthYearBand  *string
	Persons        Cell
	raw            Count
}

// Raw is the count before disclosure control; it never leaves the server.
func (r *StatisticsRow) Raw() Count { return r.raw }

// Statistics is the answer for a day: the rows, and what the other figures
// are computed from.
type Statistics struct {
	AsOf      Date
	Threshold int
	Perturbed bool
	GroupBy   []Dimension
	Facts     []PersonFact // raw, aggregated to the finest cells; never published as they are
}

// PersonFact is a raw row of the statistics source: people with the same
// category, course state, track and dimensions, counted, with their cell key.
// A dimension the request did not group by is empty. Birth years come as
// ten-year bands ("1980-1989", or "UNKNOWN"), the finest age published.
type PersonFact struct {
	Category       HelpCategory
	CourseState    *CourseState
	Track          *Track
	MunicipalityID string
	HomeID         string
	Gender         string
	BirthYearBand  string
	Count
}

// StatisticsService reads aggregates only: no method returns a person.
type StatisticsService interface {
	PersonFacts(ctx context.Context, asOf Date, dims []Dimension) ([]PersonFact, error)
}

// ValidDimensions checks a groupBy list.
func ValidDimensions(ds []Dimension) error {
	for i, d := range ds {
		if !slices.Contains([]Dimension{DimMunicipality, DimHomeMunicipality, DimGender, DimBirthYearBand}, d) {
			return Invalid("groupBy", "unknown dimension")
		}
		if slices.Contains(ds[:i], d) {
			return Invalid("groupBy", "a dimension is named twice")
		}
	}
	return nil
}
