package db

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const courseEventColumns = `e.id, e.course_id, e.seq, e.kind, e.on_date, e.data, e.actor_sub, e.recorded_at`

func scanCourseEvent(row pgx.CollectableRow) (exithub.CourseEvent, error) {
	var e exithub.CourseEvent
	var on dateValue
	var data []byte
	err := row.Scan(&e.ID, &e.CourseID, &e.Seq, &e.Kind, &on, &data, &e.ActorSub, &e.At)
	if err == nil {
		e.On = exithub.Date(on)
		err = json.Unmarshal(data, &e.Data)
	}
	return e, err
}

// StartCourse starts a course for a citizen of the caller's municipality.
func (d *DB) StartCourse(ctx context.Context, in exithub.StartCourse) (*exithub.Course, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Course
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCourse, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "startCourse", id, in)
		if err != nil {
			return err
		}
		if prior != "" {
			out, err = loadCourse(ctx, tx, prior, nil)
			return err
		}
		if err := citizenArg(ctx, tx, in.CitizenID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO hub.courses (id, citizen_id, municipality_id, served_by_id, kind, started_on, created_at)
			VALUES ($1, $2, $3, $3, $4, $5, now())`, id, in.CitizenID, p.Org.ID, string(in.Kind), dateValue(in.StartedOn)); err != nil {
			return err
		}
		ev := exithub.CourseEvent{Kind: exithub.EventStarted, On: in.StartedOn,
			Data: exithub.CourseEventData{Kind: in.Kind, Track: in.Track, SupportPerson: in.SupportPerson}}
		if err := insertCourseEvent(ctx, tx, p, id, ev); err != nil {
			return err
		}
		out, err = loadCourse(ctx, tx, id, nil)
		return err
	})
	return out, err
}

func insertCourseEvent(ctx context.Context, tx pgx.Tx, p *exithub.Principal, courseID string, e exithub.CourseEvent) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO hub.course_events (course_id, municipality_id, kind, on_date, data, actor_sub, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6, now())`, courseID, p.Org.ID, string(e.Kind), dateValue(e.On), string(data), p.Sub)
	return err
}

// courseEvents reads the events of courses; row-level security keeps them
// to the caller's municipality.
func courseEvents(ctx context.Context, tx pgx.Tx, ids []string) (map[string][]exithub.CourseEvent, error) {
	rows, _ := tx.Query(ctx, "SELECT "+courseEventColumns+` FROM hub.course_events e
		WHERE e.course_id = ANY($1) ORDER BY e.on_date, e.seq`, ids)
	evs, err := pgx.CollectRows(rows, scanCourseEvent)
	out := map[string][]exithub.CourseEvent{}
	for _, e := range evs {
		out[e.CourseID] = append(out[e.CourseID], e)
	}
	return out, err
}

// loadCourse replays a course as of asOf (nil: as of its last event).
func loadCourse(ctx context.Context, tx pgx.Tx, id string, asOf *exithub.Date) (*exithub.Course, error) {
	if !isUUID(id) {
		return nil, exithub.ErrNotFound
	}
	var citizen, ref string
	if err := tx.QueryRow(ctx, "SELECT citizen_id, citizen_ref FROM hub.courses WHERE id = $1", id).Scan(&citizen, &ref); err != nil {
		return nil, err
	}
	evs, err := courseEvents(ctx, tx, []string{id})
	if err != nil {
		return nil, err
	}
	c := exithub.Replay(evs[id], replayDay(evs[id], asOf))
	c.CitizenID = citizen
	touch(tx, "Course", id, ref, "")
	return c, nil
}

// replayDay is asOf, or the last event's day when none is given.
func replayDay(evs []exithub.CourseEvent, asOf *exithub.Date) exithub.Date {
	if asOf != nil {
		return *asOf
	}
	var last exithub.Date
	for _, e := range evs {
		if last.Before(e.On) {
			last = e.On
		}
	}
	return last
}

// RecordCourseEvent adds a dated event to a course after checking it
// against the course as it stands; the course row is locked first so that
// concurrent events are checked one after the other.
func (d *DB) RecordCourseEvent(ctx context.Context, courseID string, expectedVersion *int, e exithub.CourseEvent) (*exithub.Course, error) {
	var out *exithub.Course
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCourse, exithub.ActUpdate); err != nil {
			return err
		}
		if !isUUID(courseID) {
			return exithub.ErrNotFound
		}
		if _, err := tx.Exec(ctx, "SELECT 1 FROM hub.courses WHERE id = $1 FOR UPDATE", courseID); err != nil {
			return err
		}
		cur, err := loadCourse(ctx, tx, courseID, nil)
		if err != nil {
			return err
		}
		if err := exithub.CheckVersion("course", cur.Version, expectedVersion); err != nil {
			return err
		}
		if e.Kind == exithub.EventPlanItemAdded && e.Data.ItemID == "" {
			e.Data.ItemID = uuid.NewString()
		}
		if err := cur.CheckEvent(e); err != nil {
			return err
		}
		if err := insertCourseEvent(ctx, tx, p, courseID, e); err != nil {
			return err
		}
		out, err = loadCourse(ctx, tx, courseID, nil)
		return err
	})
	return out, err
}

// FindCourse reads a course of the caller's municipality as of a day.
func (d *DB) FindCourse(ctx context.Context, id string, asOf *exithub.Date) (*exithub.Course, error) {
	var out *exithub.Course
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCourse, exithub.ActRead); err != nil {
			return err
		}
		var err error
		out, err = loadCourse(ctx, tx, id, asOf)
		return err
	})
	return out, err
}

// CoursesOfCitizens reads the courses of citizens as of a day (nil: now),
// for a dataloader batch: two queries whatever the number of citizens.
func (d *DB) CoursesOfCitizens(ctx context.Context, citizenIDs []string, asOf *exithub.Date) (map[string][]*exithub.Course, error) {
	out := map[string][]*exithub.Course{}
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCourse, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `SELECT id, citizen_id, citizen_ref FROM hub.courses WHERE citizen_id = ANY($1)
			ORDER BY started_on, id`, citizenIDs)
		type pair struct{ ID, Citizen, Ref string }
		courses, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pair])
		if err != nil {
			return err
		}
		ids := make([]string, len(courses))
		for i, c := range courses {
			ids[i] = c.ID
		}
		evs, err := courseEvents(ctx, tx, ids)
		for _, c := range courses {
			course := exithub.Replay(evs[c.ID], replayDay(evs[c.ID], asOf))
			course.CitizenID = c.Citizen
			if course.ID != "" { // started on or before the day
				out[c.Citizen] = append(out[c.Citizen], course)
				touch(tx, "Course", c.ID, c.Ref, p.Org.ID)
			}
		}
		return err
	})
	return out, err
}
