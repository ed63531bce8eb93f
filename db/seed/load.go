package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// at is 10 o'clock, Copenhagen time, on a day of the demo.
func at(day string, plusDays int) time.Time {
	d, err := exithub.ParseDate(day)
	if err != nil {
		panic(fmt.Sprintf("seed: bad date %q", day))
	}
	return d.AddDays(plusDays).Time(exithub.Copenhagen).Add(10 * time.Hour)
}

// seedPeople loads the demo's persons with their courses and referrals.
func seedPeople(ctx context.Context, tx pgx.Tx, key []byte) error {
	orgs, err := orgIDs(ctx, tx)
	if err != nil {
		return err
	}
	for _, p := range people() {
		if err := seedPerson(ctx, tx, key, orgs, p); err != nil {
			return fmt.Errorf("person %s: %w", p.key, err)
		}
	}
	return nil
}

func orgIDs(ctx context.Context, tx pgx.Tx) (map[string]string, error) {
	rows, _ := tx.Query(ctx, "SELECT code, id::text FROM hub.organisations ORDER BY code")
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var code, oid string
		if err := rows.Scan(&code, &oid); err != nil {
			return nil, err
		}
		out[code] = oid
	}
	return out, rows.Err()
}

func seedPerson(ctx context.Context, tx pgx.Tx, key []byte, orgs map[string]string, p person) error {
	cid := id("citizen", p.key)
	var pseudonym []byte
	if p.cpr != "" {
		cpr, err := exithub.ParseCPR(p.cpr)
		if err != nil {
			return err
		}
		pseudonym = exithub.Pseudonym(key, cpr)
	}
	first := firstDay(p)
	_, err := tx.Exec(ctx, `INSERT INTO hub.citizens (id, pseudonym, municipality_id, home_id, alias, birth_year, gender, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (id) DO NOTHING`,
		cid, pseudonym, orgs[p.muni], orgs[p.home], p.alias, p.birthYear, p.gender, at(first, -1))
	if err != nil {
		return err
	}
	for i, c := range p.courses {
		if err := seedCourse(ctx, tx, orgs[p.muni], cid, fmt.Sprintf("%s/%d", p.key, i), c); err != nil {
			return err
		}
	}
	for i, r := range p.referrals {
		if err := seedReferral(ctx, tx, orgs, p, cid, i, r); err != nil {
			return err
		}
	}
	if p.home != p.muni {
		_, err = tx.Exec(ctx, `INSERT INTO hub.crossmunicipal_agreements (id, citizen_id, project_id, home_id, from_date, to_date, terms, status, created_at)
			VALUES ($1, $2, $3, $4, $5::date, ($5::date + 365), 'Hjemkommunen afholder udgiften til forløbet', 'ACTIVE', $6) ON CONFLICT (id) DO NOTHING`,
			id("cross", p.key), cid, orgs[p.muni], orgs[p.home], first, at(first, 0))
	}
	return err
}

// firstDay is the day the hub first heard of a person.
func firstDay(p person) string {
	first := "9999-12-31"
	for _, c := range p.courses {
		first = min(first, c.started)
	}
	for _, r := range p.referrals {
		first = min(first, r.on)
	}
	return first
}

func seedCourse(ctx context.Context, tx pgx.Tx, muni, cid, key string, c course) error {
	courseID := id("course", key)
	_, err := tx.Exec(ctx, `INSERT INTO hub.courses (id, citizen_id, municipality_id, served_by_id, kind, started_on, created_at)
		VALUES ($1, $2, $3, $3, $4, $5::date, $6) ON CONFLICT (id) DO NOTHING`, courseID, cid, muni, c.kind, c.started, at(c.started, 0))
	if err != nil {
		return err
	}
	evs := []exithub.CourseEvent{{Kind: exithub.EventStarted, On: day(c.started),
		Data: exithub.CourseEventData{Kind: c.kind, Track: c.track, SupportPerson: "koordinator-" + key}}}
	if c.kind == exithub.CourseCTI {
		evs = append(evs, exithub.CourseEvent{Kind: exithub.EventPlanItemAdded, On: day(c.started),
			Data: exithub.CourseEventData{ItemID: id("item", key), Need: exithub.NeedHousing, Goal: "Egen bolig"}})
	}
	if c.trackTo != "" {
		evs = append(evs, exithub.CourseEvent{Kind: exithub.EventTrackChanged, On: day(c.trackOn), Data: exithub.CourseEventData{Track: c.trackTo}})
	}
	if c.phase2 != "" {
		evs = append(evs, exithub.CourseEvent{Kind: exithub.EventPhaseStarted, On: day(c.phase2), Data: exithub.CourseEventData{Phase: 2}})
	}
	if c.ended != "" {
		evs = append(evs, exithub.CourseEvent{Kind: exithub.EventEnded, On: day(c.ended),
			Data: exithub.CourseEventData{EndReason: c.endReason, Outcomes: c.outcomes}})
	}
	for i, e := range evs {
		if err := seedCourseEvent(ctx, tx, muni, courseID, fmt.Sprintf("%s/%d", key, i), e); err != nil {
			return err
		}
	}
	return nil
}

// day is one of the seed's own dates; one that does not parse is a bug
// in this package.
func day(s string) exithub.Date {
	d, err := exithub.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
