package exithub

import (
	"fmt"
	"io"
	"strings"
)

// TableID names a table of a monthly release.
type TableID string

// The tables of a release. The persons tables count each person once (one
// cell each); the others count records, at most Privacy.K per person.
const (
	TablePersons        TableID = "persons" // category, CTI by course state and track
	TableCoursesStarted TableID = "courses_started"
	TableCoursesEnded   TableID = "courses_ended"
	TableReferralStatus TableID = "referrals_by_status"
	TableReferralNGO    TableID = "referrals_by_ngo"
	TableOutcomes       TableID = "outcomes"
	TableAgreements     TableID = "crossmunicipal_agreements"
	personsTablePrefix          = "persons/"
	keySep                      = "|"
	outsideHub                  = "" // the NGO key of offers outside the hub
	// The birth-year bands cover every year a citizen's birth year may
	// be (MinYear..MaxYear), so that no person falls outside the table.
	birthBandFirst, birthBandLast = MinYear / 10 * 10, MaxYear / 10 * 10
)

// PersonsTable names the persons table grouped by at most one dimension.
func PersonsTable(dims []Dimension) TableID {
	if len(dims) == 0 {
		return TablePersons
	}
	return TableID(personsTablePrefix + string(dims[0]))
}

// RecordTables are the tables that count records, not persons.
var RecordTables = []TableID{TableCoursesStarted, TableCoursesEnded, TableReferralStatus, TableReferralNGO, TableOutcomes, TableAgreements}

// ReleaseTables lists every table of a release, persons tables first.
func ReleaseTables() []TableID {
	out := []TableID{TablePersons}
	for _, d := range allDimensions {
		out = append(out, PersonsTable([]Dimension{d}))
	}
	return append(out, RecordTables...)
}

// CellKeyOf joins the values that place a cell in its table.
func CellKeyOf(parts ...string) string { return strings.Join(parts, keySep) }

// SplitCellKey is CellKeyOf's inverse.
func SplitCellKey(k string) []string { return strings.Split(k, keySep) }

// ReleaseSource is what a release is computed from: the true counts of its
// cells (only those that are not zero), read from rollups that outlive
// erasure, and the public directory that spans the tables' rows.
type ReleaseSource struct {
	Counts         map[TableID]map[string]int
	Municipalities []string // ids of every municipality in the directory
	NGOs           []string // ids of every NGO in the directory
}

// ReleaseCell is one published cell: the value, or under the threshold.
type ReleaseCell struct {
	Key  string
	Cell Cell
}

// Release is the published tables of one closed calendar month, as of its
// last day (periods: the month). Computed once, stored, never changed.
type Release struct {
	Month     Month
	Threshold int
	Epsilon   string // each table's ε, as a fraction
	K         int    // records per person in a table of records
	Tables    map[TableID][]ReleaseCell
}

// Cells returns a table's cells in their order.
func (r Release) Cells(t TableID) []ReleaseCell { return r.Tables[t] }

// Domain lists the cells of a table whatever the data: every row a table
// can have, from public lists alone, so that which rows exist says nothing
// about anyone, and a true zero is published (noisy) like any count.
func Domain(t TableID, src ReleaseSource) []string {
	switch t {
	case TablePersons:
		return personRows()
	case TableCoursesStarted, TableCoursesEnded:
		return []string{CellKeyOf(string(CourseCTI), string(TrackExit)), CellKeyOf(string(CourseCTI), string(TrackLifeSituation)),
			CellKeyOf(string(CourseOrientation), ""), CellKeyOf(string(CourseAcuteSupport), "")}
	case TableReferralStatus:
		out := make([]string, len(ReferralStatuses))
		for i, s := range ReferralStatuses {
			out[i] = string(s)
		}
		return out
	case TableReferralNGO:
		return append(append([]string{}, src.NGOs...), outsideHub)
	case TableOutcomes:
		var out []string
		for _, tr := range []Track{TrackExit, TrackLifeSituation} {
			for _, o := range Outcomes {
				out = append(out, CellKeyOf(string(tr), string(o)))
			}
		}
		return out
	case TableAgreements:
		return []string{""}
	}
	var out []string
	for _, row := range personRows() {
		for _, v := range dimensionValues(Dimension(strings.TrimPrefix(string(t), personsTablePrefix)), src) {
			out = append(out, CellKeyOf(row, v))
		}
	}
	return out
}

// personRows are the rows of persons by category: CTI by course state and
// track, then the other categories.
func personRows() []string {
	var out []string
	for _, s := range []CourseState{CourseOpen, CourseEnded} {
		for _, tr := range []Track{TrackExit, TrackLifeSituation} {
			out = append(out, CellKeyOf(string(HelpCTI), string(s), string(tr)))
		}
	}
	for _, c := range categoryOrder[1:] {
		out = append(out, CellKeyOf(string(c), "", ""))
	}
	return out
}

func dimensionValues(d Dimension, src ReleaseSource) []string {
	switch d {
	case DimMunicipality, DimHomeMunicipality:
		return src.Municipalities
	case DimGender:
		return []string{string(GenderFemale), string(GenderMale), string(GenderOther), "UNKNOWN"}
	}
	var out []string
	for y := birthBandFirst; y <= birthBandLast; y += 10 {
		out = append(out, fmt.Sprintf("%d-%d", y, y+9))
	}
	return append(out, "UNKNOWN")
}

// sensitivity is the most one person can change a table, summed over its
// cells: one for the persons tables (a person is in one cell), K for the
// tables of records.
func (p Privacy) sensitivity(t TableID) int {
	for _, r := range RecordTables {
		if r == t {
			return p.K
		}
	}
	return 1
}

// Publish computes a month's release: every cell of every table gets its
// own noise; the noisy count is post-processed to a non-negative integer,
// and one under the threshold is published as under threshold. Nothing
// else is withheld, and no cell depends on another.
func (p Privacy) Publish(m Month, src ReleaseSource, rnd io.Reader) (Release, error) {
	r := Release{Month: m, Threshold: p.Threshold, Epsilon: p.Epsilon.String(), K: p.K, Tables: map[TableID][]ReleaseCell{}}
	for _, t := range ReleaseTables() {
		for _, key := range Domain(t, src) {
			c, err := p.NoisyCell(src.Counts[t][key], t, rnd)
			if err != nil {
				return Release{}, err
			}
			r.Tables[t] = append(r.Tables[t], ReleaseCell{Key: key, Cell: c})
		}
	}
	return r, nil
}

// NoisyCell is the mechanism for one cell of a table: n plus discrete
// Laplace noise of scale sensitivity/ε, then the threshold.
func (p Privacy) NoisyCell(n int, t TableID, rnd io.Reader) (Cell, error) {
	z, err := DiscreteLaplace(rnd, p.Epsilon, p.sensitivity(t))
	if err != nil {
		return Cell{}, err
	}
	return p.UnderThreshold(max(n+z, 0)), nil
}

// UnderThreshold publishes a noisy count, or null when it is under the
// threshold.
func (p Privacy) UnderThreshold(v int) Cell {
	if v < p.Threshold {
		return Cell{Suppressed: true}
	}
	return Cell{Value: &v}
}
