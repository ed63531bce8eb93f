package db_test

import (
	"testing"

	"exithub"
)

func day(t *testing.T, s string) exithub.Date {
	t.Helper()
	d, err := exithub.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCourseLifecycleReadsBackAsOfAnyDay(t *testing.T) {
	d, _ := openDB(t)
	ctx := as(t, d, "751", exithub.RoleCaseworker)
	c, err := d.RegisterCitizen(ctx, exithub.RegisterCitizen{Alias: "Lise"})
	if err != nil {
		t.Fatal(err)
	}
	course, err := d.StartCourse(ctx, exithub.StartCourse{CitizenID: c.ID, Kind: exithub.CourseCTI,
		Track: exithub.TrackLifeSituation, StartedOn: day(t, "2015-01-05"), SupportPerson: "anne"})
	if err != nil {
		t.Fatal(err)
	}
	steps := []exithub.CourseEvent{
		{Kind: exithub.EventPlanItemAdded, On: day(t, "2015-01-10"), Data: exithub.CourseEventData{Need: exithub.NeedHousing, Goal: "Egen bolig"}},
		{Kind: exithub.EventPhaseStarted, On: day(t, "2015-03-01"), Data: exithub.CourseEventData{Phase: 2}},
		{Kind: exithub.EventTrackChanged, On: day(t, "2015-04-01"), Data: exithub.CourseEventData{Track: exithub.TrackExit}},
		{Kind: exithub.EventPhaseStarted, On: day(t, "2015-09-01"), Data: exithub.CourseEventData{Phase: 3}},
		{Kind: exithub.EventEnded, On: day(t, "2016-01-05"), Data: exithub.CourseEventData{EndReason: exithub.EndCompleted,
			Outcomes: []exithub.Outcome{exithub.OutcomeOutOfProstitution, exithub.OutcomeHousingKept}}},
	}
	for _, e := range steps {
		if course, err = d.RecordCourseEvent(ctx, course.ID, &course.Version, e); err != nil {
			t.Fatalf("%s: %v", e.Kind, err)
		}
	}
	item := course.Plan[0].ID
	cases := []struct {
		on    string
		track exithub.Track
		phase int
		open  bool
	}{
		{"2015-03-31", exithub.TrackLifeSituation, 2, true},
		{"2015-04-01", exithub.TrackExit, 2, true},
		{"2015-12-31", exithub.TrackExit, 3, true},
		{"2016-01-05", exithub.TrackExit, 3, false},
	}
	for _, c := range cases {
		asOf := day(t, c.on)
		got, err := d.FindCourse(ctx, course.ID, &asOf)
		if err != nil {
			t.Fatal(err)
		}
		if *got.Track != c.track || got.Phase != c.phase || got.Open() != c.open {
			t.Errorf("as of %s: track %s phase %d open %v; want %s %d %v", c.on, *got.Track, got.Phase, got.Open(), c.track, c.phase, c.open)
		}
	}
	before := day(t, "2015-01-04")
	if got, err := d.CoursesOfCitizens(ctx, []string{c.ID}, &before); err != nil || len(got[c.ID]) != 0 {
		t.Errorf("a course is shown before it started: %v (%v)", got, err)
	}
	_, err = d.RecordCourseEvent(ctx, course.ID, nil, exithub.CourseEvent{Kind: exithub.EventPlanItemStatus, On: day(t, "2016-02-01"),
		Data: exithub.CourseEventData{ItemID: item, ItemStatus: "DONE"}})
	if exithub.ErrorCode(err) != exithub.ECONFLICT {
		t.Errorf("an event after the end: %v, want CONFLICT", err)
	}
}

func TestCourseEventsAreCheckedAndNeverHalfWritten(t *testing.T) {
	d, _ := openDB(t)
	ctx := as(t, d, "751", exithub.RoleCaseworker)
	c, err := d.RegisterCitizen(ctx, exithub.RegisterCitizen{Alias: "Mette"})
	if err != nil {
		t.Fatal(err)
	}
	orient, err := d.StartCourse(ctx, exithub.StartCourse{CitizenID: c.ID, Kind: exithub.CourseOrientation, StartedOn: day(t, "2015-01-05")})
	if err != nil {
		t.Fatal(err)
	}
	cti, err := d.StartCourse(ctx, exithub.StartCourse{CitizenID: c.ID, Kind: exithub.CourseCTI, Track: exithub.TrackExit, StartedOn: day(t, "2015-02-01")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		course string
		e      exithub.CourseEvent
		code   string
	}{
		{"track on orientation", orient.ID, exithub.CourseEvent{Kind: exithub.EventTrackChanged, On: day(t, "2015-02-01"), Data: exithub.CourseEventData{Track: exithub.TrackExit}}, exithub.ECONFLICT},
		{"same track", cti.ID, exithub.CourseEvent{Kind: exithub.EventTrackChanged, On: day(t, "2015-02-02"), Data: exithub.CourseEventData{Track: exithub.TrackExit}}, exithub.ECONFLICT},
		{"skip a phase", cti.ID, exithub.CourseEvent{Kind: exithub.EventPhaseStarted, On: day(t, "2015-02-02"), Data: exithub.CourseEventData{Phase: 3}}, exithub.ECONFLICT},
		{"before the start", cti.ID, exithub.CourseEvent{Kind: exithub.EventPhaseStarted, On: day(t, "2015-01-01"), Data: exithub.CourseEventData{Phase: 2}}, exithub.EINVALID},
		{"empty goal", cti.ID, exithub.CourseEvent{Kind: exithub.EventPlanItemAdded, On: day(t, "2015-02-02"), Data: exithub.CourseEventData{Need: exithub.NeedHousing}}, exithub.EINVALID},
		{"unknown end reason", cti.ID, exithub.CourseEvent{Kind: exithub.EventEnded, On: day(t, "2015-02-02"), Data: exithub.CourseEventData{EndReason: "BORED"}}, exithub.EINVALID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := d.RecordCourseEvent(ctx, tc.course, nil, tc.e)
			if exithub.ErrorCode(err) != tc.code {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
		})
	}
	got, err := d.FindCourse(ctx, cti.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 {
		t.Fatalf("refused events left %d events behind", got.Version-1)
	}
	other := as(t, d, "101", exithub.RoleCaseworker)
	if _, err := d.FindCourse(other, cti.ID, nil); exithub.ErrorCode(err) != exithub.ENOTFOUND {
		t.Fatalf("another municipality reads the course: %v", err)
	}
	if _, err := d.FindCourse(as(t, d, "ministry", exithub.RoleAnalyst), cti.ID, nil); exithub.ErrorCode(err) != exithub.EFORBIDDEN {
		t.Fatalf("the ministry reads a course: %v", err)
	}
}
