package exithub

import (
	"fmt"
	"slices"
	"strings"
)

// MinThreshold is the smallest suppression threshold the hub accepts: a
// count of one or two persons is never published.
const MinThreshold = 3

// DefaultThreshold suppresses counts of 1 to 4 persons.
const DefaultThreshold = 5

// Disclosure applies the statistical disclosure control of the hub:
//
//   - primary suppression: a count of 1 to Threshold−1 is withheld;
//   - cell-key perturbation of grouped counts (the method of the Australian
//     Bureau of Statistics' TableBuilder): each person has a record key, a
//     keyed hash; a cell's key is the sum of its people's keys; the noise
//     added to the cell is a fixed function of that key. The same people
//     always give the same noise, so repeating a query gains nothing, while
//     two cells that differ by one person get unrelated noise, so
//     subtracting neighbouring dates or overlapping groupings does not
//     reveal the person;
//   - secondary suppression: within every line of a table whose total can be
//     known (every row or column of a grouped table; the whole ungrouped
//     table, whose total is published), either no cell is suppressed, or at
//     least two are and together they hold at least Threshold persons, so
//     that no suppressed count can be worked out, nor narrowed to a few.
type Disclosure struct {
	Threshold int
}

// NewDisclosure checks the threshold.
func NewDisclosure(threshold int) (Disclosure, error) {
	if threshold < MinThreshold {
		return Disclosure{}, fmt.Errorf("a suppression threshold below %d is not allowed", MinThreshold)
	}
	return Disclosure{Threshold: threshold}, nil
}

// Exact publishes a count as it is, unless it is too small.
func (d Disclosure) Exact(n int) Cell {
	if n > 0 && n < d.Threshold {
		return Cell{Suppressed: true}
	}
	return Cell{Value: &n}
}

// Perturbed publishes a count with its cell key's noise. Zero stays zero (no
// noise on empty cells); a count below the threshold is suppressed; noise
// never takes a published count below the threshold.
func (d Disclosure) Perturbed(c Count) Cell {
	if c.N == 0 {
		return d.Exact(0)
	}
	if c.N < d.Threshold {
		return Cell{Suppressed: true}
	}
	v := max(c.N+Noise(c.Key), d.Threshold)
	return Cell{Value: &v}
}

// Noise is the perturbation for a cell key: 0 for 40% of keys, ±1 for 40%,
// ±2 for 20%, with mean zero. The table is public; the record keys are
// not, so nobody can tell which noise a cell got.
func Noise(k CellKey) int {
	switch b := k % 256; {
	case b < 102:
		return 0
	case b < 153:
		return 1
	case b < 204:
		return -1
	case b < 230:
		return 2
	default:
		return -2
	}
}

// SecondarySuppress withholds more cells wherever a line (cells alike in
// all but one dimension, or the whole table when it is not grouped) has
// suppressed cells that its total and the rest of the line would reveal:
// one alone, or several holding fewer than threshold persons together. It
// withholds the smallest published cell of such a line, and repeats until
// every line is safe, since a new suppression can endanger another line.
func SecondarySuppress(rows []*StatisticsRow, dims []Dimension, threshold int) {
	for changed := true; changed; {
		changed = false
		if len(dims) == 0 && suppressSecond(rows, threshold) {
			changed = true
		}
		for _, d := range dims {
			for _, line := range linesAlong(rows, d) {
				if suppressSecond(line, threshold) {
					changed = true
				}
			}
		}
	}
}

func linesAlong(rows []*StatisticsRow, along Dimension) [][]*StatisticsRow {
	lines := map[string][]*StatisticsRow{}
	var order []string
	for _, r := range rows {
		k := r.lineKey(along)
		if _, ok := lines[k]; !ok {
			order = append(order, k)
		}
		lines[k] = append(lines[k], r)
	}
	out := make([][]*StatisticsRow, 0, len(order))
	for _, k := range order {
		out = append(out, lines[k])
	}
	return out
}

func suppressSecond(line []*StatisticsRow, threshold int) bool {
	suppressed, hidden := 0, 0
	var smallest *StatisticsRow
	for _, r := range line {
		if r.Persons.Suppressed {
			suppressed++
			hidden += r.raw.N
		} else if r.Persons.Value != nil && *r.Persons.Value > 0 && (smallest == nil || r.raw.N < smallest.raw.N) {
			smallest = r
		}
	}
	safe := suppressed == 0 || (suppressed >= 2 && hidden >= threshold)
	if safe || smallest == nil {
		return false
	}
	smallest.Persons = Cell{Suppressed: true}
	return true
}

// lineKey names the line of a row along a dimension: everything but that
// dimension.
func (r *StatisticsRow) lineKey(along Dimension) string {
	parts := []string{string(r.Category), deref(r.CourseState), deref(r.Track)}
	for _, d := range []Dimension{DimMunicipality, DimHomeMunicipality, DimGender, DimBirthYearBand} {
		if d != along {
			parts = append(parts, deref(r.dim(d)))
		}
	}
	return strings.Join(parts, "|")
}

func (r *StatisticsRow) dim(d Dimension) *string {
	switch d {
	case DimMunicipality:
		return r.MunicipalityID
	case DimHomeMunicipality:
		return r.HomeID
	case DimGender:
		return r.Gender
	default:
		return r.BirthYearBand
	}
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// Tabulate turns raw facts into the published rows: grouped by the given
// dimensions, with primary suppression, perturbation when grouped, and
// secondary suppression. Rows come in category order, then by dimensions.
func (d Disclosure) Tabulate(facts []PersonFact, dims []Dimension) []*StatisticsRow {
	byKey := map[string]*StatisticsRow{}
	var rows []*StatisticsRow
	for _, f := range facts {
		r := rowOf(f, dims)
		k := r.lineKey("") // along no dimension: the whole key
		if have, ok := byKey[k]; ok {
			have.raw.N += f.N
			have.raw.Key += f.Key
			continue
		}
		r.raw = f.Count
		byKey[k] = r
		rows = append(rows, r)
	}
	for _, r := range rows {
		if len(dims) == 0 {
			r.Persons = d.Exact(r.raw.N)
		} else {
			r.Persons = d.Perturbed(r.raw)
		}
	}
	SecondarySuppress(rows, dims, d.Threshold)
	slices.SortStableFunc(rows, compareRows)
	return rows
}

func rowOf(f PersonFact, dims []Dimension) *StatisticsRow {
	r := &StatisticsRow{Category: f.Category, CourseState: f.CourseState, Track: f.Track}
	for _, d := range dims {
		switch d {
		case DimMunicipality:
			r.MunicipalityID = &f.MunicipalityID
		case DimHomeMunicipality:
			r.HomeID = &f.HomeID
		case DimGender:
			g := f.Gender
			r.Gender = &g
		case DimBirthYearBand:
			b := f.BirthYearBand
			r.BirthYearBand = &b
		}
	}
	return r
}

var categoryOrder = []HelpCategory{HelpCTI, HelpOrientation, HelpAcuteSupport, HelpReferredElsewhere}

func compareRows(a, b *StatisticsRow) int {
	if c := slices.Index(categoryOrder, a.Category) - slices.Index(categoryOrder, b.Category); c != 0 {
		return c
	}
	return strings.Compare(a.lineKey(""), b.lineKey(""))
}
