package exithub

import (
	"context"
	"slices"
	"sort"
	"time"
)

// CourseKind is what a municipality does with a citizen.
type CourseKind string

// The kinds of course.
const (
	CourseCTI          CourseKind = "CTI"           // one year of Critical Time Intervention
	CourseOrientation  CourseKind = "ORIENTATION"   // towards an exit course
	CourseAcuteSupport CourseKind = "ACUTE_SUPPORT" // support or counselling, maybe a single contact
)

// Track is a CTI course's target group.
type Track string

// The CTI tracks.
const (
	TrackExit          Track = "EXIT"           // leave prostitution
	TrackLifeSituation Track = "LIFE_SITUATION" // improve the life situation
)

// EndReason says why a course ended.
type EndReason string

// The reasons a course ends.
const (
	EndCompleted  EndReason = "COMPLETED"
	EndDroppedOut EndReason = "DROPPED_OUT"
	EndMoved      EndReason = "MOVED"
	EndDied       EndReason = "DIED"
	EndOther      EndReason = "OTHER"
)

// Outcome is a durable result recorded when a course ends.
type Outcome string

// The outcomes of a course.
const (
	OutcomeOutOfProstitution Outcome = "OUT_OF_PROSTITUTION"
	OutcomeDrugFree          Outcome = "DRUG_FREE"
	OutcomeHousingKept       Outcome = "HOUSING_KEPT"
	OutcomeJobOrEducation    Outcome = "JOB_OR_EDUCATION"
	OutcomeSocialNetwork     Outcome = "SOCIAL_NETWORK"
	OutcomeTrustedContact    Outcome = "TRUSTED_CONTACT"
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeOutOfProstitution, OutcomeDrugFree, OutcomeHousingKept, OutcomeJobOrEducation,
	OutcomeSocialNetwork, OutcomeTrustedContact}

// CourseEventKind names a dated change of a course. Everything that changes
// is an event, never an edit, so any past day can be reconstructed.
type CourseEventKind string

// The kinds of course event.
const (
	EventStarted        CourseEventKind = "STARTED"
	EventTrackChanged   CourseEventKind = "TRACK_CHANGED"
	EventPhaseStarted   CourseEventKind = "PHASE_STARTED"
	EventSupportPerson  CourseEventKind = "SUPPORT_PERSON_CHANGED"
	EventPlanItemAdded  CourseEventKind = "PLAN_ITEM_ADDED"
	EventPlanItemStatus CourseEventKind = "PLAN_ITEM_STATUS"
	EventEnded          CourseEventKind = "ENDED"
)

// CourseEvent is one dated change. On is the day it took effect; Seq orders
// events of one day.
type CourseEvent struct {
	ID       string
	CourseID string
	Seq      int64
	Kind     CourseEventKind
	On       Date
	Data     CourseEventData
	ActorSub string
	At       time.Time // when it was recorded
}

// CourseEventData is the payload of a course event; which fields are set
// depends on the kind.
type CourseEventData struct {
	Kind          CourseKind `json:"kind,omitempty"`
	Track         Track      `json:"track,omitempty"`
	Phase         int        `json:"phase,omitempty"`
	SupportPerson string     `json:"supportPerson,omitempty"`
	ItemID        string     `json:"itemId,omitempty"`
	Need          Need       `json:"need,omitempty"`
	Goal          string     `json:"goal,omitempty"`
	ItemStatus    string     `json:"itemStatus,omitempty"`
	EndReason     EndReason  `json:"endReason,omitempty"`
	Outcomes      []Outcome  `json:"outcomes,omitempty"`
}

// PlanItem is one line of a CTI course's activity plan.
type PlanItem struct {
	ID     string
	Need   Need
	Goal   string
	Status string // PLANNED, IN_PROGRESS, DONE, DROPPED
}

// PlanItemStatuses lists the states of an activity plan item.
var PlanItemStatuses = []string{"PLANNED", "IN_PROGRESS", "DONE", "DROPPED"}

// Course is a course as it stood on a day, folded from its events.
type Course struct {
	ID            string
	CitizenID     string
	Kind          CourseKind
	StartedOn     Date
	AsOf          Date
	Track         *Track
	Phase         int
	PhaseStarts   map[int]Date
	SupportPerson string
	Plan          []PlanItem
	EndedOn       *Date
	EndReason     *EndReason
	Outcomes      []Outcome
	Version       int           // events so far, for optimistic concurrency
	Events        []CourseEvent // the events up to the as-of day
}

// CurrentPhase is a CTI course's phase on its day, nil for a course without
// phases (an orientation course), which has no phase 0.
func (c *Course) CurrentPhase() *int {
	if c.Phase == 0 {
		return nil
	}
	p := c.Phase
	return &p
}

// Open reports whether the course had not ended on its as-of day.
func (c *Course) Open() bool { return c.EndedOn == nil }

// Replay folds events into the course as it stood at the end of day asOf.
// Events must belong to one course; order is by day, then sequence.
func Replay(events []CourseEvent, asOf Date) *Course {
	evs := slices.Clone(events)
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].On != evs[j].On {
			return evs[i].On.Before(evs[j].On)
		}
		return evs[i].Seq < evs[j].Seq
	})
	c := &Course{AsOf: asOf, PhaseStarts: map[int]Date{}, Version: len(events)}
	for _, e := range evs {
		if asOf.Before(e.On) {
			break
		}
		c.apply(e)
		c.Events = append(c.Events, e)
	}
	return c
}

func (c *Course) apply(e CourseEvent) {
	d := e.Data
	switch e.Kind {
	case EventStarted:
		c.ID, c.Kind, c.StartedOn, c.SupportPerson = e.CourseID, d.Kind, e.On, d.SupportPerson
		if d.Track != "" {
			t := d.Track
			c.Track = &t
		}
		if d.Kind == CourseCTI {
			c.Phase, c.PhaseStarts[1] = 1, e.On
		}
	case EventTrackChanged:
		t := d.Track
		c.Track = &t
	case EventPhaseStarted:
		c.Phase, c.PhaseStarts[d.Phase] = d.Phase, e.On
	case EventSupportPerson:
		c.SupportPerson = d.SupportPerson
	case EventPlanItemAdded:
		c.Plan = append(c.Plan, PlanItem{ID: d.ItemID, Need: d.Need, Goal: d.Goal, Status: "PLANNED"})
	case EventPlanItemStatus:
		for i := range c.Plan {
			if c.Plan[i].ID == d.ItemID {
				c.Plan[i].Status = d.ItemStatus
			}
		}
	case EventEnded:
		on, r := e.On, d.EndReason
		c.EndedOn, c.EndReason, c.Outcomes = &on, &r, d.Outcomes
	}
}

// CTIDuration is how long a CTI course is planned to last.
const CTIDuration = 365

// CheckEvent says whether a new event may follow the course as it stands
// after all its events: an ended course takes no more events; a track is
// only for CTI; phases move forward one at a time; nothing is dated before
// the start.
func (c *Course) CheckEvent(e CourseEvent) error {
	if e.Kind == EventStarted {
		return Errorf(ECONFLICT, "the course has started already")
	}
	if !c.Open() {
		return Errorf(ECONFLICT, "the course has ended")
	}
	if e.On.Before(c.StartedOn) {
		return Invalid("on", "an event cannot be dated before the course started (%s)", c.StartedOn)
	}
	return c.checkKind(e)
}

func (c *Course) checkKind(e CourseEvent) error {
	d := e.Data
	switch e.Kind {
	case EventTrackChanged:
		if c.Kind != CourseCTI {
			return Errorf(ECONFLICT, "only a CTI course has a track")
		}
		if d.Track != TrackExit && d.Track != TrackLifeSituation {
			return Invalid("track", "unknown track")
		}
		if c.Track != nil && *c.Track == d.Track {
			return Errorf(ECONFLICT, "the course is on track %s already", d.Track)
		}
	case EventPhaseStarted:
		if c.Kind != CourseCTI {
			return Errorf(ECONFLICT, "only a CTI course has phases")
		}
		if d.Phase < 1 || d.Phase > 3 {
			return Invalid("phase", "a CTI course has phases 1 to 3")
		}
		if d.Phase != c.Phase+1 {
			return Errorf(ECONFLICT, "a CTI course in phase %d can only move to phase %d", c.Phase, c.Phase+1)
		}
	case EventPlanItemAdded:
		return checkPlanItem(d)
	case EventPlanItemStatus:
		if !slices.ContainsFunc(c.Plan, func(p PlanItem) bool { return p.ID == d.ItemID }) {
			return Invalid("itemId", "the course's plan has no such item")
		}
		if !slices.Contains(PlanItemStatuses, d.ItemStatus) {
			return Invalid("status", "unknown plan item status")
		}
	case EventSupportPerson:
		return checkSupportPerson(d.SupportPerson)
	case EventEnded:
		return checkEnd(d)
	}
	return nil
}

// checkSupportPerson bounds the name of a course's support person.
func checkSupportPerson(name string) error {
	if len([]rune(name)) > 200 {
		return Invalid("supportPerson", "at most 200 characters")
	}
	return nil
}

func checkPlanItem(d CourseEventData) error {
	if !slices.Contains(Needs, d.Need) {
		return Invalid("need", "unknown need")
	}
	if l := len([]rune(d.Goal)); l == 0 || l > 2000 {
		return Invalid("goal", "a goal has 1 to 2000 characters")
	}
	return nil
}

func checkEnd(d CourseEventData) error {
	switch d.EndReason {
	case EndCompleted, EndDroppedOut, EndMoved, EndDied, EndOther:
	default:
		return Invalid("reason", "unknown end reason")
	}
	for _, o := range d.Outcomes {
		if !slices.Contains(Outcomes, o) {
			return Invalid("outcomes", "unknown outcome")
		}
	}
	return nil
}

// StartCourse is what a caseworker gives to start a course.
type StartCourse struct {
	CitizenID      string
	Kind           CourseKind
	Track          Track // CTI only, required there
	StartedOn      Date
	SupportPerson  string
	IdempotencyKey string
}

// Validate checks a course start on its own.
func (in StartCourse) Validate() error {
	switch in.Kind {
	case CourseCTI:
		if in.Track != TrackExit && in.Track != TrackLifeSituation {
			return Invalid("track", "a CTI course needs a track (EXIT or LIFE_SITUATION)")
		}
	case CourseOrientation, CourseAcuteSupport:
		if in.Track != "" {
			return Invalid("track", "only a CTI course has a track")
		}
	default:
		return Invalid("kind", "unknown course kind")
	}
	if in.StartedOn.IsZero() {
		return Invalid("startedOn", "a course needs a start date")
	}
	if err := checkSupportPerson(in.SupportPerson); err != nil {
		return err
	}
	return validateIdempotencyKey(in.IdempotencyKey)
}

// CourseService stores courses as events; implementations enforce the policy.
type CourseService interface {
	StartCourse(ctx context.Context, in StartCourse) (*Course, error)
	RecordCourseEvent(ctx context.Context, courseID string, expectedVersion *int, e CourseEvent) (*Course, error)
	FindCourse(ctx context.Context, id string, asOf *Date) (*Course, error)
	CoursesOfCitizens(ctx context.Context, citizenIDs []string, asOf *Date) (map[string][]*Course, error)
}
