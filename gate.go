package exithub

import (
	"context"
	"io"
	"strings"
	"sync"
	"time"
)

// Gate is the one way out for every figure an aggregate role can read:
// either an invariant (the exact national table of a day) or a cell of a
// stored monthly release. Nothing else counts persons or records for an
// aggregate role.
type Gate struct {
	Privacy Privacy
	Service StatisticsService
	Rand    io.Reader        // crypto/rand.Reader in production
	Now     func() time.Time // the clock that says which months are closed
}

// LastReleased is the latest month whose release may be computed: closed,
// and past the grace period for late registrations.
func (g *Gate) LastReleased() Month {
	today := Today(g.Now())
	m := MonthOf(today).Prev()
	for !today.AddDays(-g.Privacy.GraceDays).After(m.Last()) {
		m = m.Prev()
	}
	return m
}

// After reports whether d is a later day than e.
func (d Date) After(e Date) bool { return e.Before(d) }

// notReleased says which months are released.
func (g *Gate) notReleased(field string) error {
	return Invalid(field, "grouped and periodic figures are released per calendar month, %d days after it ends: "+
		"give the last day of a month up to %s (periods: its first to its last day)", g.Privacy.GraceDays, g.LastReleased().Last())
}

// MonthEnd returns the release of the month that asOf ends; asOf must be
// the last day of a released month.
func (g *Gate) MonthEnd(ctx context.Context, asOf Date, field string) (Release, error) {
	m := MonthOf(asOf)
	if asOf != m.Last() || g.LastReleased().Before(m) {
		return Release{}, g.notReleased(field)
	}
	return g.release(ctx, m)
}

// Period returns the release of the month a period spans; the period must
// be exactly one released month.
func (g *Gate) Period(ctx context.Context, from, to Date) (Release, error) {
	m := MonthOf(from)
	if from != m.First() {
		return Release{}, g.notReleased("from")
	}
	if to != m.Last() || g.LastReleased().Before(m) {
		return Release{}, g.notReleased("to")
	}
	return g.release(ctx, m)
}

// Before reports whether m is an earlier month than n.
func (m Month) Before(n Month) bool { return m.First().Before(n.First()) }

func (g *Gate) release(ctx context.Context, m Month) (Release, error) {
	return g.Service.Release(ctx, m, g.Privacy.K, func(src ReleaseSource) (Release, error) {
		return g.Privacy.Publish(m, src, g.Rand)
	})
}

// National is the invariant: persons helped as of a day, by category (CTI
// by track), exact, with no noise and no threshold, and their total. It
// carries no location; what it discloses is that a category's (or a
// track's) national count changed on a given day.
func (g *Gate) National(ctx context.Context, asOf Date) ([]*StatisticsRow, Cell, error) {
	counts, err := g.Service.National(ctx, asOf)
	if err != nil {
		return nil, Cell{}, err
	}
	rows := nationalRows()
	total := 0
	for _, c := range counts {
		total += c.N
		r := findRow(rows, c)
		if r == nil {
			r = &StatisticsRow{Category: c.Category, Track: c.Track}
			rows = append(rows, r)
		}
		*r.Persons.Value += c.N
	}
	return rows, Cell{Value: &total}, nil
}

func nationalRows() []*StatisticsRow {
	exit, life := TrackExit, TrackLifeSituation
	rows := []*StatisticsRow{{Category: HelpCTI, Track: &exit}, {Category: HelpCTI, Track: &life}}
	for _, c := range categoryOrder[1:] {
		rows = append(rows, &StatisticsRow{Category: c})
	}
	for _, r := range rows {
		r.Persons = Cell{Value: new(int)}
	}
	return rows
}

func findRow(rows []*StatisticsRow, c NationalCount) *StatisticsRow {
	for _, r := range rows {
		if r.Category == c.Category && deref(r.Track) == deref(c.Track) {
			return r
		}
	}
	return nil
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

// PersonsRows turns a release's persons table into rows. The rows and
// what they point to are allocated together; their cells are the
// release's own, shared and never changed.
func PersonsRows(rel Release, dims []Dimension) []*StatisticsRow {
	cells := rel.Cells(PersonsTable(dims))
	type held struct {
		row   StatisticsRow
		state CourseState
		track Track
		value string
	}
	all := make([]held, len(cells))
	rows := make([]*StatisticsRow, len(cells))
	for i, c := range cells {
		h := &all[i]
		category, rest, _ := strings.Cut(c.Key, keySep)
		state, rest, _ := strings.Cut(rest, keySep)
		track, value, _ := strings.Cut(rest, keySep)
		h.row = StatisticsRow{Category: HelpCategory(category), Persons: c.Cell}
		if state != "" {
			h.state, h.track = CourseState(state), Track(track)
			h.row.CourseState, h.row.Track = &h.state, &h.track
		}
		if len(dims) == 1 {
			h.value, _, _ = strings.Cut(value, keySep)
			v := &h.value
			switch dims[0] {
			case DimMunicipality:
				h.row.MunicipalityID = v
			case DimHomeMunicipality:
				h.row.HomeID = v
			case DimGender:
				h.row.Gender = v
			case DimBirthYearBand:
				h.row.BirthYearBand = v
			}
		}
		rows[i] = &h.row
	}
	return rows
}

// Agreements is the number of cross-municipal agreements made by asOf: a
// municipality's own count is its own data, exact; for an aggregate role
// it is the cell of the release of the month asOf ends.
func (g *Gate) Agreements(ctx context.Context, asOf Date) (Cell, error) {
	n, own, err := g.Service.OwnAgreements(ctx, asOf)
	if err != nil || own {
		return Cell{Value: &n}, err
	}
	rel, err := g.MonthEnd(ctx, asOf, "asOf")
	if err != nil {
		return Cell{}, err
	}
	return rel.Cells(TableAgreements)[0].Cell, nil
}

// Statistics checks a request for the figures of a day: grouped figures
// exist only for released months.
func (g *Gate) Statistics(ctx context.Context, asOf Date, groupBy []Dimension) (*Statistics, error) {
	if err := ValidDimensions(groupBy); err != nil {
		return nil, err
	}
	s := &Statistics{AsOf: asOf, Threshold: g.Privacy.Threshold, GroupBy: groupBy, read: &statisticsRead{}}
	if len(groupBy) > 0 {
		rel, err := g.monthEnd(ctx, s)
		if err != nil {
			return nil, err
		}
		// The release's own threshold: one stored before the setting
		// changed was cut at the threshold of its day.
		s.Threshold = rel.Threshold
	}
	return s, nil
}

// statisticsRead holds what one request's statistics read, so that the
// fields of its answer (persons helped and the categories; the release's
// tables) share one read of the national table and one of the release.
type statisticsRead struct {
	nationalOnce sync.Once
	rows         []*StatisticsRow
	total        Cell
	nationalErr  error
	releaseOnce  sync.Once
	release      Release
	releaseErr   error
}

// national is the invariant of s's day, read once per request.
func (g *Gate) national(ctx context.Context, s *Statistics) ([]*StatisticsRow, Cell, error) {
	if s.read == nil {
		return g.National(ctx, s.AsOf)
	}
	r := s.read
	r.nationalOnce.Do(func() { r.rows, r.total, r.nationalErr = g.National(ctx, s.AsOf) })
	return r.rows, r.total, r.nationalErr
}

// StatisticsRelease is the release of the month s's day ends (that day
// must be the last of a released month), read once per request.
func (g *Gate) StatisticsRelease(ctx context.Context, s *Statistics) (Release, error) {
	return g.monthEnd(ctx, s)
}

func (g *Gate) monthEnd(ctx context.Context, s *Statistics) (Release, error) {
	if s.read == nil {
		return g.MonthEnd(ctx, s.AsOf, "asOf")
	}
	r := s.read
	r.releaseOnce.Do(func() { r.release, r.releaseErr = g.MonthEnd(ctx, s.AsOf, "asOf") })
	return r.release, r.releaseErr
}

// PersonsHelped is the total of the invariant of s's day.
func (g *Gate) PersonsHelped(ctx context.Context, s *Statistics) (Cell, error) {
	_, total, err := g.national(ctx, s)
	return total, err
}

// Categories are the persons by category: the invariant without groupBy,
// the month's release with it.
func (g *Gate) Categories(ctx context.Context, s *Statistics) ([]*StatisticsRow, error) {
	if len(s.GroupBy) == 0 {
		rows, _, err := g.national(ctx, s)
		return rows, err
	}
	rel, err := g.monthEnd(ctx, s)
	if err != nil {
		return nil, err
	}
	return PersonsRows(rel, s.GroupBy), nil
}

// CTIByCourseState is the release's split of CTI by course state and track.
func (g *Gate) CTIByCourseState(ctx context.Context, s *Statistics) ([]*StatisticsRow, error) {
	rel, err := g.monthEnd(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []*StatisticsRow
	for _, row := range PersonsRows(rel, nil) {
		if row.Category == HelpCTI {
			out = append(out, row)
		}
	}
	return out, nil
}
