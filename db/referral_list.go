package db

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// FindReferrals lists what the caller may see, newest first, a keyset page.
// With parts.Events each referral's events come too, in the same statement;
// with parts.Brief the request's text is left unread (see ReferralParts).
// The read (who is asking, then the page) is one pipeline: one round trip,
// one read-only transaction; its audit record then goes through the audit
// writer, and FindReferrals returns once that record has committed.
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
	sql, args := inboxSQL(filter, k, f, parts)
	var out []*exithub.Referral
	err = d.readInOneTrip(ctx, p, func(b *pgx.Batch) {
		b.Queue(sql, args...)
	}, func(br pgx.BatchResults) error {
		rows, _ := br.Query()
		out, err = pgx.CollectRows(rows, scanListed(parts))
		return err
	})
	if err != nil {
		return nil, exithub.PageInfo{}, err
	}
	out, info := pageOf(out, page, func(r *exithub.Referral) (time.Time, string) { return r.CreatedAt, r.ID })
	if err := d.auditList(ctx, p, out); err != nil {
		return nil, exithub.PageInfo{}, err
	}
	return out, info, nil
}

// auditList writes the record of a page through the audit writer of reads:
// the referrals newest first, their citizens, the municipality of the
// newest. An empty page read no personal data and records nothing.
func (d *DB) auditList(ctx context.Context, p *exithub.Principal, refs []*exithub.Referral) error {
	if len(refs) == 0 {
		return nil
	}
	newestFirst := slices.Clone(refs)
	if len(refs) > 1 && refs[0].CreatedAt.Before(refs[len(refs)-1].CreatedAt) {
		slices.Reverse(newestFirst)
	}
	b := exithub.NewAuditBuilder(ctx, p)
	for _, r := range newestFirst {
		b.Touch("Referral", r.ID, r.CitizenRef, r.MunicipalityID)
	}
	e, _ := b.Entry()
	call, cancel := d.callCtx(ctx)
	defer cancel()
	return d.audit.WriteAudit(call, e)
}

// referralListSQL is a keyset page of referrals, newest first, read in
// order (DESC, or ASC for a backward page): the NGO's inbox with the
// addressed filter, the municipality's list with its own.
func referralListSQL(filter string, k keysetBounds, f exithub.ReferralFilter) (string, []any) {
	return referralPageSQL(referralColumns, filter, k, f)
}

// referralBriefColumns are those of a list that leaves the request's text
// unread (ReferralParts.Brief): what the page, its cursors and its audit
// record need, the organisations and the state.
const referralBriefColumns = `r.id, r.citizen_id, r.municipality_id, r.from_id, r.ngo_id, r.status, r.version,
 r.created_at, r.updated_at, r.citizen_ref`

// referralPageSQL is the page's statement with only the bounds and
// filters given (see query).
func referralPageSQL(columns, filter string, k keysetBounds, f exithub.ReferralFilter) (string, []any) {
	q := &query{}
	q.and(filter)
	q.keyset(k, "r.created_at", "r.id")
	if f.Status != nil {
		q.and("r.status = " + q.param(*f.Status))
	}
	if f.Since != nil {
		q.and("r.created_at >= " + q.param(*f.Since))
	}
	return "SELECT " + columns + " FROM hub.referrals r WHERE " + q.whereClause() + `
		ORDER BY r.created_at ` + k.order + `, r.id ` + k.order + limit(k.limit), q.args
}

// inboxSQL is the page, and with events each referral's history as
// parallel arrays aggregated in a lateral subquery: one statement, the page
// read once. The subquery's ORDER BY orders the aggregates (PostgreSQL
// keeps the input order of an ungrouped aggregate over a sorted subquery).
func inboxSQL(filter string, k keysetBounds, f exithub.ReferralFilter, parts exithub.ReferralParts) (string, []any) {
	columns := referralColumns
	if parts.Brief {
		columns = referralBriefColumns
	}
	page, args := referralPageSQL(columns, filter, k, f)
	if !parts.Events {
		return page, args
	}
	evColumns := `ev.ids, ev.kinds, ev.froms, ev.tos, ev.texts, ev.subs, ev.orgs, ev.ats`
	aggregates := `array_agg(e.id) ids, array_agg(e.kind) kinds, array_agg(e.from_status) froms,
	    array_agg(e.to_status) tos, array_agg(e.text) texts, array_agg(e.actor_sub) subs,
	    array_agg(e.actor_org_id) orgs, array_agg(e.at) ats`
	if parts.BriefEvents {
		evColumns = `ev.kinds, ev.tos, ev.subs`
		aggregates = `array_agg(e.kind) kinds, array_agg(e.to_status) tos, array_agg(e.actor_sub) subs`
	}
	return `SELECT p.*, ` + evColumns + `
	FROM (` + page + `) p
	LEFT JOIN LATERAL (SELECT ` + aggregates + `
	  FROM (SELECT e.* FROM hub.referral_events e WHERE e.referral_id = p.id ORDER BY e.at, e.id) e) ev ON true
	ORDER BY p.created_at ` + k.order + `, p.id ` + k.order, args
}

// InboxStatement is the statement of an NGO's first inbox page of size
// referrals with their history, and its arguments, exactly as FindReferrals
// sends them for the inbox the benchmarks ask for, which shows none of the
// request's text (the NGO from hub.org()), for baselines.
func InboxStatement(size int) (string, []any, error) {
	k, err := keyset(exithub.Page{Size: size})
	if err != nil {
		return "", nil, err
	}
	sql, args := inboxSQL(referralScopeColumn[exithub.ScopeAddressed]+" = hub.org()", k, exithub.ReferralFilter{},
		exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
	return sql, args, nil
}

// scanListed scans a row of inboxSQL.
func scanListed(parts exithub.ReferralParts) pgx.RowToFunc[*exithub.Referral] {
	if !parts.Events && !parts.Brief {
		return scanReferral
	}
	return func(row pgx.CollectableRow) (*exithub.Referral, error) {
		var r exithub.Referral
		dst := make([]any, 0, 25)
		if parts.Brief {
			dst = append(dst, &r.ID, &r.CitizenID, &r.MunicipalityID, &r.FromID, &r.ToID, &r.Status, &r.Version,
				&r.CreatedAt, &r.UpdatedAt, &r.CitizenRef)
		} else {
			dst = append(dst, &r.ID, &r.CitizenID, &r.MunicipalityID, &r.FromID, &r.ToID, &r.ExternalOffer, &r.ConsentID,
				&r.Needs, &r.Message, &r.SharedDetails, &r.Contact, &r.Status, &r.Outcome, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.CitizenRef)
		}
		var ev eventArrays
		if parts.Events {
			if parts.BriefEvents {
				dst = append(dst, &ev.kinds, &ev.tos, &ev.subs)
			} else {
				dst = append(dst, &ev.ids, &ev.kinds, &ev.froms, &ev.tos, &ev.texts, &ev.subs, &ev.orgs, &ev.ats)
			}
		}
		err := row.Scan(dst...)
		if parts.Events {
			r.Events = ev.events(r.ID)
		}
		return &r, err
	}
}

// eventArrays are a referral's events as the lateral aggregate gives them;
// a brief read leaves all but kinds, tos and subs nil.
type eventArrays struct {
	ids, kinds, subs, orgs []string
	froms, tos             []*exithub.ReferralStatus
	texts                  []*string
	ats                    []time.Time
}

// events is the history, oldest first; empty, not nil, for a referral
// without events, so the caller knows it was read.
func (a eventArrays) events(referralID string) []*exithub.ReferralEvent {
	out := make([]*exithub.ReferralEvent, len(a.kinds))
	all := make([]exithub.ReferralEvent, len(a.kinds))
	for i := range a.kinds {
		e := &all[i]
		*e = exithub.ReferralEvent{ReferralID: referralID, Kind: a.kinds[i], To: a.tos[i], ActorSub: a.subs[i]}
		if a.ids != nil {
			e.ID, e.From, e.Text, e.ActorOrgID, e.At = a.ids[i], a.froms[i], a.texts[i], a.orgs[i], a.ats[i]
		}
		out[i] = e
	}
	return out
}
