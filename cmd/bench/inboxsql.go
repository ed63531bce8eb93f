package main

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
)

// The inbox's SQL as the hub sends it (db/referral.go referralListSQL with
// the addressed filter, db/referral_transition.go ReferralEvents,
// db/organisation.go OrganisationsByIDs), with the NGO as a parameter where
// the hub reads it from the transaction's settings (hub.org()), for
// baselines that run as the owner.
const (
	inboxSQL = `SELECT r.id, r.citizen_id, r.municipality_id, r.from_id, r.ngo_id, r.external_offer, r.consent_id,
 r.needs, r.message, r.shared_details, r.contact, r.status, r.outcome, r.version, r.created_at, r.updated_at
 FROM hub.referrals r WHERE r.ngo_id = $1
 AND (r.created_at, r.id) < ($2, $3) AND ($4::text IS NULL OR r.status = $4)
 AND ($5::timestamptz IS NULL OR r.created_at >= $5)
 ORDER BY r.created_at DESC, r.id DESC LIMIT $6`
	eventsSQL = `SELECT e.id, e.referral_id, e.kind, e.from_status, e.to_status, e.text, e.actor_sub, e.actor_org_id, e.at
 FROM hub.referral_events e JOIN hub.referrals r ON r.id = e.referral_id
 WHERE e.referral_id = ANY($1) AND r.ngo_id = $2 ORDER BY e.at, e.id`
	orgsSQL = `SELECT o.id, o.code, o.name, o.kind,
 (SELECT p.population FROM hub.populations p WHERE p.org_id = o.id ORDER BY p.as_of DESC LIMIT 1)
 FROM hub.organisations o WHERE o.id = ANY($1) ORDER BY o.id`
)

// pageSize is the inbox page the scenario asks for; the hub reads one more
// to know whether there is a next page.
const pageSize = 20

// firstPage is the keyset the hub uses for a first page (db/cursor.go):
// after the far future, before the far past.
var firstPage = struct {
	at       time.Time
	id       string
	before   time.Time
	beforeID string
}{time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff",
	time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), "00000000-0000-0000-0000-000000000000"}

// referralRow is a referral as the hub scans it.
type referralRow struct {
	ID, CitizenID, MunicipalityID, FromID string
	NGOID, ExternalOffer, ConsentID       *string
	Needs                                 []string
	Message                               string
	SharedDetails                         json.RawMessage
	Contact, Status                       string
	Outcome                               *string
	Version                               int
	CreatedAt, UpdatedAt                  time.Time
}

type eventRow struct {
	ID, ReferralID, Kind string
	From, To, Text       *string
	ActorSub, ActorOrgID string
	At                   time.Time
}

type orgRow struct {
	ID, Code, Name, Kind string
	Population           *int
}

// querier is a pool, a connection or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func selectInbox(ctx context.Context, q querier, ngo string) ([]referralRow, error) {
	rows, _ := q.Query(ctx, inboxSQL, ngo, firstPage.at, firstPage.id, nil, nil, pageSize+1)
	refs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[referralRow])
	if len(refs) > pageSize {
		refs = refs[:pageSize]
	}
	return refs, err
}

// inboxPage is what the inbox query reads: the page, its history and the
// organisations it names, three statements as the hub's loaders send them.
type inboxPage struct {
	refs   []referralRow
	events map[string][]eventRow
	orgs   map[string]orgRow
}

func readInboxPage(ctx context.Context, q querier, ngo string) (inboxPage, error) {
	p := inboxPage{events: map[string][]eventRow{}, orgs: map[string]orgRow{}}
	var err error
	if p.refs, err = selectInbox(ctx, q, ngo); err != nil {
		return p, err
	}
	ids, orgIDs := make([]string, len(p.refs)), []string{ngo}
	for i, r := range p.refs {
		ids[i] = r.ID
		orgIDs = append(orgIDs, r.FromID)
	}
	rows, _ := q.Query(ctx, eventsSQL, ids, ngo)
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[eventRow])
	if err != nil {
		return p, err
	}
	for _, e := range evs {
		p.events[e.ReferralID] = append(p.events[e.ReferralID], e)
	}
	rows, _ = q.Query(ctx, orgsSQL, orgIDs)
	orgs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[orgRow])
	for _, o := range orgs {
		p.orgs[o.ID] = o
	}
	return p, err
}
