package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// FindReferrals lists what the caller may see, newest first, a keyset page.
// With parts.Events each referral's events come too. The whole read (who
// is asking, the page with its audit record, the events) is one pipeline:
// one round trip, one transaction.
func (d *DB) FindReferrals(ctx context.Context, f exithub.ReferralFilter, page exithub.Page, parts exithub.ReferralParts) ([]*exithub.Referral, exithub.PageInfo, error) {
	k, err := keyset(page)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	s, err := d.scope(p, exithub.ResReferral, exithub.ActRead)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	filter, err := referralFilter(s)
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	args := []any{k.afterAt, k.afterID, f.Status, f.Since, k.limit, k.beforeAt, k.beforeID}
	var out []*exithub.Referral
	err = d.readInOneTrip(ctx, p, func(b *pgx.Batch) {
		b.Queue(auditedReferralListSQL(filter, k.order), append(args, whoArgs(exithub.NewAuditEntry(ctx, p, exithub.AuditOK))...)...)
		if parts.Events {
			b.Queue(eventsOfListSQL(filter, k.order), args...)
		}
	}, func(br pgx.BatchResults) error {
		rows, _ := br.Query()
		if out, err = pgx.CollectRows(rows, scanReferral); err != nil || !parts.Events {
			return err
		}
		rows, _ = br.Query()
		return attachEvents(rows, out)
	})
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, info := pageOf(out, page, func(r *exithub.Referral) (time.Time, string) { return r.CreatedAt, r.ID })
	return out, info, nil
}

// referralListSQL is a keyset page of referrals, newest first, read in
// order (DESC, or ASC for a backward page): the NGO's inbox with the
// addressed filter, the municipality's list with its own.
func referralListSQL(filter, order string) string {
	return "SELECT " + referralColumns + " FROM hub.referrals r WHERE " + filter + `
		AND (r.created_at, r.id) < ($1, $2) AND (r.created_at, r.id) > ($6, $7)
		AND ($3::text IS NULL OR r.status = $3)
		AND ($4::timestamptz IS NULL OR r.created_at >= $4)
		ORDER BY r.created_at ` + order + `, r.id ` + order + ` LIMIT $5`
}

// auditedReferralListSQL reads the page and writes its audit record in one
// statement, so the record names exactly the rows read (one snapshot) and
// commits with the read: the objects newest first, the citizens by their
// keyed reference, the municipality of the newest. An empty page read no
// personal data and writes nothing, as auditTx.record.
func auditedReferralListSQL(filter, order string) string {
	return `WITH page AS (` + referralListSQL(filter, order) + `),
	logged AS (INSERT INTO hub.audit_log (request_id, sub, org_id, role, operation, objects, citizen_refs, municipality_id, outcome)
		SELECT $8, $9, $10, $11, $12,
		  jsonb_agg(jsonb_build_object('type', 'Referral', 'id', p.id) ORDER BY p.created_at DESC, p.id DESC),
		  hub.citizen_refs(array_agg(p.citizen_id)),
		  (array_agg(p.municipality_id ORDER BY p.created_at DESC, p.id DESC))[1], 'OK'
		FROM page p HAVING count(*) > 0)
	SELECT * FROM page ORDER BY created_at ` + order + `, id ` + order
}

// eventsOfListSQL reads the events of the same page, oldest first.
func eventsOfListSQL(filter, order string) string {
	return "SELECT " + eventColumns + ` FROM hub.referral_events e
		WHERE e.referral_id IN (SELECT p.id FROM (` + referralListSQL(filter, order) + `) p) ORDER BY e.at, e.id`
}

// attachEvents puts events into their referrals' Events (empty, not nil,
// for one without events, so the caller knows they were read). An event
// of a referral not in refs (one that arrived between the two statements)
// is left out.
func attachEvents(rows pgx.Rows, refs []*exithub.Referral) error {
	byID := make(map[string]*exithub.Referral, len(refs))
	for _, r := range refs {
		byID[r.ID], r.Events = r, []*exithub.ReferralEvent{}
	}
	evs, err := pgx.CollectRows(rows, scanEvent)
	for _, e := range evs {
		if r, ok := byID[e.ReferralID]; ok {
			r.Events = append(r.Events, e)
		}
	}
	return err
}
