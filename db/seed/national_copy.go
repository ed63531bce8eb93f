package seed

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

var referralStatuses = []string{"REQUESTED", "RECEIVED", "ACCEPTED", "REJECTED", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED"}

// loadReferrals adds referrals, nine in ten to an NGO under a consent of
// their own, the rest to offers outside the hub, with one history event each (their request).
func (g *generator) loadReferrals(ctx context.Context, tx pgx.Tx) error {
	n := g.n(nationalReferrals)
	type ref struct {
		id, citizen, cref, muni, ngo, consent string
		at                                    time.Time
	}
	refs := make([]ref, n)
	for i := range refs {
		c := g.citizens[g.rng.IntN(len(g.citizens))]
		r := ref{id: uuid.NewString(), citizen: c.id, cref: c.ref, muni: c.muni, at: g.day()}
		if g.rng.IntN(10) > 0 {
			r.ngo, r.consent = g.ngos[g.rng.IntN(len(g.ngos))], uuid.NewString()
		}
		refs[i] = r
	}
	i := 0
	consents, err := tx.CopyFrom(ctx, pgx.Identifier{"hub", "consents"},
		[]string{"id", "citizen_id", "municipality_id", "ngo_id", "purpose", "details", "given_on", "expires_on", "created_at", "citizen_ref"},
		pgx.CopyFromFunc(func() ([]any, error) {
			for i < n && refs[i].ngo == "" {
				i++
			}
			if i == n {
				return nil, nil
			}
			r := refs[i]
			i++
			return []any{r.consent, r.citizen, r.muni, r.ngo, "Henvisning", []string{"ALIAS"}, r.at, r.at.AddDate(2, 0, 0), r.at, r.cref}, nil
		}))
	if err != nil {
		return err
	}
	g.counts.Consents = int(consents)
	i = 0
	count, err := tx.CopyFrom(ctx, pgx.Identifier{"hub", "referrals"},
		[]string{"id", "citizen_id", "municipality_id", "from_id", "ngo_id", "external_offer", "consent_id", "needs", "message",
			"shared_details", "contact", "status", "version", "created_at", "updated_at", "citizen_ref"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			r := refs[i]
			i++
			var ngo, consent, offer any
			if r.ngo != "" {
				ngo, consent = r.ngo, r.consent
			} else {
				offer = "Tilbud uden for hubben"
			}
			return []any{r.id, r.citizen, r.muni, r.muni, ngo, offer, consent, []string{"HOUSING"}, "Henvisning",
				`[]`, "sagsbehandler@kommune.dk", referralStatuses[g.rng.IntN(len(referralStatuses))], 1, r.at, r.at, r.cref}, nil
		}))
	g.counts.Referrals = int(count)
	if err != nil {
		return err
	}
	i = 0
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"hub", "referral_events"},
		[]string{"referral_id", "municipality_id", "ngo_id", "kind", "to_status", "actor_sub", "actor_org_id", "at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			r := refs[i]
			i++
			var ngo any
			if r.ngo != "" {
				ngo = r.ngo
			}
			return []any{r.id, r.muni, ngo, "TRANSITION", "REQUESTED", "national-seed", r.muni, r.at}, nil
		}))
	return err
}

// loadCourses adds courses of every kind with five dated events each: a
// start, a plan item, a change of track or phase, a change of support
// person, and an end.
func (g *generator) loadCourses(ctx context.Context, tx pgx.Tx) error {
	n := g.n(nationalCourses)
	type course struct {
		id, citizen, cref, muni, kind string
		started                       time.Time
	}
	cs := make([]course, n)
	kinds := []string{"CTI", "CTI", "ORIENTATION", "ACUTE_SUPPORT"}
	for i := range cs {
		c := g.citizens[g.rng.IntN(len(g.citizens))]
		cs[i] = course{uuid.NewString(), c.id, c.ref, c.muni, kinds[g.rng.IntN(len(kinds))], g.day()}
	}
	i := 0
	count, err := tx.CopyFrom(ctx, pgx.Identifier{"hub", "courses"},
		[]string{"id", "citizen_id", "municipality_id", "served_by_id", "kind", "started_on", "created_at", "citizen_ref"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			c := cs[i]
			i++
			return []any{c.id, c.citizen, c.muni, c.muni, c.kind, c.started, c.started, c.cref}, nil
		}))
	if err != nil {
		return err
	}
	g.counts.Courses = int(count)
	i, step := 0, 0
	events, err := tx.CopyFrom(ctx, pgx.Identifier{"hub", "course_events"},
		[]string{"course_id", "municipality_id", "kind", "on_date", "data", "actor_sub", "recorded_at"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			c := cs[i]
			kind, on, data := g.event(c.kind, step, c.started)
			if step++; step == 5 {
				i, step = i+1, 0
			}
			b, err := json.Marshal(data)
			if err != nil {
				return nil, err
			}
			return []any{c.id, c.muni, kind, on, string(b), "national-seed", on}, nil
		}))
	g.counts.CourseEvents = int(events)
	return err
}

// event is the step-th of a course's five events.
func (g *generator) event(kind string, step int, started time.Time) (string, time.Time, map[string]any) {
	tracks := []string{"EXIT", "LIFE_SITUATION"}
	switch step {
	case 0:
		d := map[string]any{"kind": kind}
		if kind == "CTI" {
			d["track"] = tracks[g.rng.IntN(2)]
		}
		return "STARTED", started, d
	case 1:
		return "PLAN_ITEM_ADDED", started.AddDate(0, 0, 7), map[string]any{"itemId": uuid.NewString(), "need": "HOUSING", "goal": "Bolig"}
	case 2:
		if kind == "CTI" {
			return "TRACK_CHANGED", started.AddDate(0, 2, 0), map[string]any{"track": tracks[g.rng.IntN(2)]}
		}
		return "SUPPORT_PERSON_CHANGED", started.AddDate(0, 2, 0), map[string]any{"supportPerson": "koordinator"}
	case 3:
		return "SUPPORT_PERSON_CHANGED", started.AddDate(0, 4, 0), map[string]any{"supportPerson": "koordinator-2"}
	}
	return "ENDED", started.AddDate(1, 0, 0), map[string]any{"endReason": "COMPLETED", "outcomes": []string{"HOUSING_KEPT"}}
}

// rollups builds the statistics' rollups for what the copy added, as the
// triggers would have row by row. The planner must know the tables just
// filled, or it joins them as if they were empty.
func rollups(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `ANALYZE hub.citizens, hub.courses, hub.course_events, hub.referrals, hub.stats_engagements, hub.stats_course_changes;
	SELECT hub.stats_backfill();
	SELECT hub.release_backfill();
	ANALYZE hub.stats_engagements, hub.stats_course_changes, hub.stats_referral_facts, hub.stats_referral_changes,
	  hub.stats_course_ends, hub.stats_agreements`)
	return err
}
