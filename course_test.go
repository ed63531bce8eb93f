package exithub_test

import (
	"strings"
	"testing"

	"exithub"
)

// Input a course event carries that no course could take is BAD_USER_INPUT
// on its field; what this course cannot take now is CONFLICT.
func TestCourseEventInputIsCheckedOnItsField(t *testing.T) {
	start := exithub.Date{Year: 2026, Month: 1, Day: 5}
	c := &exithub.Course{Kind: exithub.CourseCTI, StartedOn: start, Phase: 1,
		Plan: []exithub.PlanItem{{ID: "item-1", Need: exithub.NeedHousing, Goal: "a flat", Status: "PLANNED"}}}
	event := func(kind exithub.CourseEventKind, d exithub.CourseEventData) exithub.CourseEvent {
		return exithub.CourseEvent{Kind: kind, On: start, Data: d}
	}
	for name, c2 := range map[string]struct {
		e     exithub.CourseEvent
		code  string
		field string
	}{
		"phase 0":                   {event(exithub.EventPhaseStarted, exithub.CourseEventData{Phase: 0}), exithub.EINVALID, "phase"},
		"phase 4":                   {event(exithub.EventPhaseStarted, exithub.CourseEventData{Phase: 4}), exithub.EINVALID, "phase"},
		"phase 3 from phase 1":      {event(exithub.EventPhaseStarted, exithub.CourseEventData{Phase: 3}), exithub.ECONFLICT, ""},
		"an item not in the plan":   {event(exithub.EventPlanItemStatus, exithub.CourseEventData{ItemID: "item-2", ItemStatus: "DONE"}), exithub.EINVALID, "itemId"},
		"a support person too long": {event(exithub.EventSupportPerson, exithub.CourseEventData{SupportPerson: strings.Repeat("x", 201)}), exithub.EINVALID, "supportPerson"},
	} {
		err := c.CheckEvent(c2.e)
		var e *exithub.Error
		if exithub.ErrorCode(err) != c2.code || !asError(err, &e) || e.Field != c2.field {
			t.Errorf("%s: %v; want %s on %q", name, err, c2.code, c2.field)
		}
	}
	for name, e := range map[string]exithub.CourseEvent{
		"phase 2":                         event(exithub.EventPhaseStarted, exithub.CourseEventData{Phase: 2}),
		"a support person of 200 letters": event(exithub.EventSupportPerson, exithub.CourseEventData{SupportPerson: strings.Repeat("ø", 200)}),
	} {
		if err := c.CheckEvent(e); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A course's support person is bounded in characters, not bytes.
func TestStartCourseCountsTheSupportPersonInCharacters(t *testing.T) {
	in := exithub.StartCourse{Kind: exithub.CourseAcuteSupport, StartedOn: exithub.Date{Year: 2026, Month: 1, Day: 5},
		SupportPerson: strings.Repeat("ø", 200)}
	if err := in.Validate(); err != nil {
		t.Fatalf("200 letters ø: %v", err)
	}
	in.SupportPerson += "ø"
	if err := in.Validate(); exithub.ErrorCode(err) != exithub.EINVALID {
		t.Fatalf("201 letters ø: %v", err)
	}
}

func asError(err error, target **exithub.Error) bool {
	e, ok := err.(*exithub.Error)
	*target = e
	return ok
}
