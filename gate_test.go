package exithub_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"exithub"
)

// A month is released once its grace period is over: 10 full days after
// its last day. November 2026 is released from 11 December.
func TestMonthsAreReleasedAfterTheirGracePeriod(t *testing.T) {
	for _, c := range []struct {
		today string
		want  exithub.Month
	}{{"2026-12-10", exithub.Month{Year: 2026, Month: 10}}, {"2026-12-11", exithub.Month{Year: 2026, Month: 11}},
		{"2026-12-31", exithub.Month{Year: 2026, Month: 11}}, {"2027-01-11", exithub.Month{Year: 2026, Month: 12}},
		{"2027-01-10", exithub.Month{Year: 2026, Month: 11}}} {
		d, err := exithub.ParseDate(c.today)
		if err != nil {
			t.Fatal(err)
		}
		g := exithub.Gate{Privacy: exithub.DefaultPrivacy, Now: func() time.Time { return d.Time(exithub.Copenhagen).Add(12 * time.Hour) }}
		if got := g.LastReleased(); got != c.want {
			t.Errorf("on %s the last released month is %s, want %s", c.today, got, c.want)
		}
	}
}

// neverAsked fails any read: a refused request must not reach the data.
type neverAsked struct{ t *testing.T }

func (n neverAsked) National(context.Context, exithub.Date) ([]exithub.NationalCount, error) {
	n.t.Fatal("read the national table")
	return nil, nil
}

func (n neverAsked) OwnAgreements(context.Context, exithub.Date) (int, bool, error) {
	return 0, false, nil
}

func (n neverAsked) Release(context.Context, exithub.Month, int, func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	n.t.Fatal("read a release")
	return exithub.Release{}, nil
}

// Grouped and periodic figures exist only for released months: any other
// day or period is refused, naming the argument, before anything is read.
func TestOnlyReleasedMonthsAreAnswered(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, exithub.Copenhagen)
	g := &exithub.Gate{Privacy: exithub.DefaultPrivacy, Service: neverAsked{t}, Now: func() time.Time { return now }}
	day := func(s string) exithub.Date {
		d, err := exithub.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ctx := context.Background()
	for _, asOf := range []string{"2014-03-18", "2026-11-30", "2026-12-31", "2014-02-27"} {
		_, err := g.MonthEnd(ctx, day(asOf), "asOf")
		if e, ok := err.(*exithub.Error); !ok || e.Code != exithub.EINVALID || e.Field != "asOf" {
			t.Errorf("asOf %s: %v", asOf, err)
		}
		if _, err := g.Agreements(ctx, day(asOf)); exithub.ErrorCode(err) != exithub.EINVALID {
			t.Errorf("agreements as of %s: %v", asOf, err)
		}
	}
	for _, p := range [][3]string{{"2014-01-01", "2014-12-31", "to"}, {"2014-03-02", "2014-03-31", "from"},
		{"2014-03-18", "2014-03-18", "from"}, {"2026-11-01", "2026-11-30", "to"}, {"2014-03-01", "2014-04-30", "to"}} {
		_, err := g.Period(ctx, day(p[0]), day(p[1]))
		if e, ok := err.(*exithub.Error); !ok || e.Code != exithub.EINVALID || e.Field != p[2] {
			t.Errorf("period %s – %s: %v, want BAD_USER_INPUT on %s", p[0], p[1], err, p[2])
		}
	}
	if _, err := g.Statistics(ctx, day("2014-03-31"), []exithub.Dimension{exithub.DimGender, exithub.DimMunicipality}); exithub.ErrorCode(err) != exithub.EINVALID {
		t.Errorf("two dimensions: %v", err)
	}
}

// countingService answers from a fixed release and national table,
// counting the reads.
type countingService struct {
	rel               exithub.Release
	national, release atomic.Int32
}

func (c *countingService) National(context.Context, exithub.Date) ([]exithub.NationalCount, error) {
	c.national.Add(1)
	exit := exithub.TrackExit
	return []exithub.NationalCount{{Category: exithub.HelpCTI, Track: &exit, N: 7}, {Category: exithub.HelpOrientation, N: 3}}, nil
}

func (c *countingService) OwnAgreements(context.Context, exithub.Date) (int, bool, error) {
	return 0, false, nil
}

func (c *countingService) Release(context.Context, exithub.Month, int, func(exithub.ReleaseSource) (exithub.Release, error)) (exithub.Release, error) {
	c.release.Add(1)
	return c.rel, nil
}

// One request's statistics read the national table once and the month's
// release once, however many of their fields it asks for and in whatever
// order (concurrently, as GraphQL resolves them); the rows of a release's
// persons table carry its keys' values and cells.
func TestARequestReadsEachSourceOnce(t *testing.T) {
	m := exithub.Month{Year: 2014, Month: 3}
	rel, err := exithub.DefaultPrivacy.Publish(m, source(map[exithub.TableID]map[string]int{
		exithub.PersonsTable([]exithub.Dimension{exithub.DimMunicipality}): {"CTI|OPEN|EXIT|m2": 40}}), seeded(5))
	if err != nil {
		t.Fatal(err)
	}
	svc := &countingService{rel: rel}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, exithub.Copenhagen)
	g := &exithub.Gate{Privacy: exithub.DefaultPrivacy, Service: svc, Now: func() time.Time { return now }}
	ctx := context.Background()
	day := exithub.Date{Year: 2014, Month: 3, Day: 31}
	for _, groupBy := range [][]exithub.Dimension{nil, {exithub.DimMunicipality}} {
		s, err := g.Statistics(ctx, day, groupBy)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if _, err := g.PersonsHelped(ctx, s); err != nil {
					t.Error(err)
				}
				if _, err := g.Categories(ctx, s); err != nil {
					t.Error(err)
				}
				if _, err := g.CTIByCourseState(ctx, s); err != nil {
					t.Error(err)
				}
				if _, err := g.StatisticsRelease(ctx, s); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n, r := svc.national.Load(), svc.release.Load(); n != 2 || r != 2 {
		t.Fatalf("two requests read the national table %d times and the release %d times; want each twice", n, r)
	}
	rows := exithub.PersonsRows(rel, []exithub.Dimension{exithub.DimMunicipality})
	cells := rel.Cells(exithub.PersonsTable([]exithub.Dimension{exithub.DimMunicipality}))
	if len(rows) != len(cells) || len(rows) != 7*4 {
		t.Fatalf("%d rows of %d cells", len(rows), len(cells))
	}
	for i, r := range rows {
		want := exithub.SplitCellKey(cells[i].Key)
		got := []string{string(r.Category), "", "", *r.MunicipalityID}
		if r.CourseState != nil {
			got[1], got[2] = string(*r.CourseState), string(*r.Track)
		}
		if !slices.Equal(got, want) || r.Persons != cells[i].Cell || r.HomeID != nil || r.Gender != nil {
			t.Fatalf("row %d is %v for the cell %q", i, got, cells[i].Key)
		}
	}
}

// Grouped statistics carry the threshold their release was cut at, not
// today's setting.
func TestGroupedStatisticsCarryTheirReleasesThreshold(t *testing.T) {
	m := exithub.Month{Year: 2014, Month: 3}
	old := exithub.DefaultPrivacy
	old.Threshold = 9
	rel, err := old.Publish(m, source(nil), seeded(6))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, exithub.Copenhagen)
	g := &exithub.Gate{Privacy: exithub.DefaultPrivacy, Service: &countingService{rel: rel}, Now: func() time.Time { return now }}
	s, err := g.Statistics(context.Background(), exithub.Date{Year: 2014, Month: 3, Day: 31}, []exithub.Dimension{exithub.DimGender})
	if err != nil {
		t.Fatal(err)
	}
	if s.Threshold != 9 {
		t.Fatalf("grouped statistics say under %d; their release was cut at 9", s.Threshold)
	}
}
