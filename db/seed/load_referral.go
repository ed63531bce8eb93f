package seed

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub"
)

func seedCourseEvent(ctx context.Context, tx pgx.Tx, muni, courseID, key string, e exithub.CourseEvent) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO hub.course_events (id, course_id, municipality_id, kind, on_date, data, actor_sub, recorded_at)
		VALUES ($1, $2, $3, $4, $5::date, $6, 'demo', $7) ON CONFLICT (id) DO NOTHING`,
		id("course-event", key), courseID, muni, e.Kind, e.On.String(), data, at(e.On.String(), 0))
	return err
}

// seedReferral loads a referral with its consent (for an NGO in the hub)
// and the history of the transitions it went through, a day apart.
func seedReferral(ctx context.Context, tx pgx.Tx, orgs map[string]string, p person, cid string, i int, r referral) error {
	key := fmt.Sprintf("%s/%d", p.key, i)
	rid := id("referral", key)
	var ngo, consent, offer *string
	shared := []exithub.SharedDetail{}
	if r.ngo != "" {
		n, c := orgs[r.ngo], id("consent", key)
		ngo, consent = &n, &c
		if _, err := tx.Exec(ctx, `INSERT INTO hub.consents (id, citizen_id, municipality_id, ngo_id, purpose, details, given_on, expires_on, created_at)
			VALUES ($1, $2, $3, $4, 'Henvisning og opfølgning', '{ALIAS,SITUATION}', $5::date, ($5::date + 730), $6) ON CONFLICT (id) DO NOTHING`,
			c, cid, orgs[p.muni], n, r.on, at(r.on, 0)); err != nil {
			return err
		}
		shared = []exithub.SharedDetail{{Kind: exithub.DetailAlias, Value: p.alias}}
	} else {
		offer = &r.offer
	}
	status := exithub.StatusRequested
	for _, a := range r.statuses {
		next, err := status.Next(a)
		if err != nil {
			return err
		}
		status = next
	}
	var outcome *string
	if status == exithub.StatusCompleted {
		o := "Forløbet er gennemført"
		outcome = &o
	}
	_, err := tx.Exec(ctx, `INSERT INTO hub.referrals (id, citizen_id, municipality_id, from_id, ngo_id, external_offer, consent_id, needs,
		message, shared_details, contact, status, outcome, version, created_at, updated_at)
		VALUES ($1, $2, $3, $3, $4, $5, $6, $7, 'Henvisning fra kommunen', $8, 'sagsbehandler@kommune.dk', $9, $10, $11, $12, $13)
		ON CONFLICT (id) DO NOTHING`, rid, cid, orgs[p.muni], ngo, offer, consent, r.needs, shared, status, outcome,
		1+len(r.statuses), at(r.on, 0), at(r.on, len(r.statuses)))
	if err != nil {
		return err
	}
	return seedHistory(ctx, tx, orgs, p, rid, key, r)
}

func seedHistory(ctx context.Context, tx pgx.Tx, orgs map[string]string, p person, rid, key string, r referral) error {
	var from *exithub.ReferralStatus
	to := exithub.StatusRequested
	actor, actorOrg := "demo", orgs[p.muni]
	for i := 0; i <= len(r.statuses); i++ {
		if i > 0 {
			a := r.statuses[i-1]
			prev := to
			from, to = &prev, mustNext(prev, a)
			actor, actorOrg = "demo", orgs[r.ngo]
			if a == exithub.ActCancel {
				actorOrg = orgs[p.muni]
			}
		}
		var reason *string
		if to == exithub.StatusRejected || to == exithub.StatusFailed || to == exithub.StatusCancelled {
			s := "Ikke muligt lige nu"
			reason = &s
		}
		_, err := tx.Exec(ctx, `INSERT INTO hub.referral_events (id, referral_id, municipality_id, ngo_id, kind, from_status, to_status, text, actor_sub, actor_org_id, at)
			VALUES ($1, $2, $3, $4, 'TRANSITION', $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
			id("referral-event", fmt.Sprintf("%s/%d", key, i)), rid, orgs[p.muni], nilIfEmpty(orgs[r.ngo]), from, to, reason, actor, actorOrg, at(r.on, i))
		if err != nil {
			return err
		}
	}
	return nil
}

func mustNext(s exithub.ReferralStatus, a exithub.Action) exithub.ReferralStatus {
	n, err := s.Next(a)
	if err != nil {
		panic(fmt.Sprintf("seed: %v", err))
	}
	return n
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
