package db

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

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
		out, err = scanListed(rows, parts)
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

// inboxSQL is the page, and with events each referral's history joined to
// it: one statement, the page read once, a row per event (one with no event
// for a referral without history), the page's order kept and each
// referral's events oldest first. Rows rather than arrays: pgx scans a
// column without planning per value, where an array plans and reflects on
// each one.
func inboxSQL(filter string, k keysetBounds, f exithub.ReferralFilter, parts exithub.ReferralParts) (string, []any) {
	columns := referralColumns
	if parts.Brief {
		columns = referralBriefColumns
	}
	page, args := referralPageSQL(columns, filter, k, f)
	if !parts.Events {
		return page, args
	}
	evColumns := `e.kind, e.to_status, e.actor_sub, e.id, e.from_status, e.text, e.actor_org_id, e.at`
	if parts.BriefEvents {
		evColumns = `e.kind, e.to_status, e.actor_sub`
	}
	return `SELECT p.*, ` + evColumns + `
	FROM (` + page + `) p
	LEFT JOIN hub.referral_events e ON e.referral_id = p.id
	ORDER BY p.created_at ` + k.order + `, p.id ` + k.order + `, e.at, e.id`, args
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

// scanListed reads the rows of inboxSQL: a referral per row, or with
// events a referral per run of rows that share its id, each row one event.
func scanListed(rows pgx.Rows, parts exithub.ReferralParts) ([]*exithub.Referral, error) {
	if !parts.Events {
		return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*exithub.Referral, error) {
			var r exithub.Referral
			return &r, row.Scan(appendReferralDestinations(nil, &r, parts.Brief)...)
		})
	}
	defer rows.Close()
	var (
		out  []*exithub.Referral
		last *exithub.Referral
		id   []byte // the last referral's id as sent
		ev   eventRow
		dst  = make([]any, 0, 25)
		cols int // how many of dst are the referral's
	)
	for rows.Next() {
		r := last
		if raw := rows.RawValues()[0]; !bytes.Equal(raw, id) {
			r = &exithub.Referral{Events: []*exithub.ReferralEvent{}}
			id = append(id[:0], raw...)
			dst = appendReferralDestinations(dst[:0], r, parts.Brief)
			cols = len(dst)
			dst = ev.appendDestinations(dst, parts.BriefEvents)
		} else {
			// The same referral as the row before: its columns are skipped.
			clear(dst[:cols])
		}
		ev = eventRow{}
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		if r != last {
			out, last = append(out, r), r
		}
		if ev.kind.Valid {
			r.Events = append(r.Events, ev.event(r.ID))
		}
	}
	return out, rows.Err()
}

// appendReferralDestinations appends where a referral's columns are scanned
// to: referralBriefColumns, or with brief false referralColumns.
func appendReferralDestinations(dst []any, r *exithub.Referral, brief bool) []any {
	if brief {
		return append(dst, &r.ID, &r.CitizenID, &r.MunicipalityID, &r.FromID, &r.ToID, &r.Status, &r.Version,
			&r.CreatedAt, &r.UpdatedAt, &r.CitizenRef)
	}
	return append(dst, &r.ID, &r.CitizenID, &r.MunicipalityID, &r.FromID, &r.ToID, &r.ExternalOffer, &r.ConsentID,
		&r.Needs, &r.Message, &r.SharedDetails, &r.Contact, &r.Status, &r.Outcome, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.CitizenRef)
}

// eventRow is an event's columns in a row of inboxSQL, null where the
// referral has no event; a brief read leaves all but kind, to and sub
// unread.
type eventRow struct {
	kind, sub, id, org pgtype.Text
	from, to           *exithub.ReferralStatus
	text               *string
	at                 pgtype.Timestamptz
}

// appendDestinations appends where the event's columns are scanned to.
func (c *eventRow) appendDestinations(dst []any, brief bool) []any {
	if brief {
		return append(dst, &c.kind, &c.to, &c.sub)
	}
	return append(dst, &c.kind, &c.to, &c.sub, &c.id, &c.from, &c.text, &c.org, &c.at)
}

// event is the event the columns hold.
func (c *eventRow) event(referralID string) *exithub.ReferralEvent {
	return &exithub.ReferralEvent{ID: c.id.String, ReferralID: referralID, Kind: c.kind.String, From: c.from, To: c.to,
		Text: c.text, ActorSub: c.sub.String, ActorOrgID: c.org.String, At: c.at.Time}
}
