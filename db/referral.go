package db

import (
	"context"
	"encoding/json"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const referralColumns = `r.id, r.citizen_id, r.municipality_id, r.from_id, r.ngo_id, r.external_offer, r.consent_id,
 r.needs, r.message, r.shared_details, r.contact, r.status, r.outcome, r.version, r.created_at, r.updated_at, r.citizen_ref`

func scanReferral(row pgx.CollectableRow) (*exithub.Referral, error) {
	var r exithub.Referral
	return &r, row.Scan(appendReferralDestinations(nil, &r, false)...)
}

// referralScopeColumn is the column a scope filters referrals on. The SQL
// differs per scope so that each list uses its own index.
var referralScopeColumn = map[exithub.Scope]string{
	exithub.ScopeOwn:       "r.municipality_id",
	exithub.ScopeAddressed: "r.ngo_id",
}

func referralFilter(s exithub.Scope) (string, error) {
	col, ok := referralScopeColumn[s]
	if !ok {
		return "", exithub.Errorf(exithub.EFORBIDDEN, "this role may not read referral rows (its scope is %s)", s)
	}
	return col + " = hub.org()", nil
}

// CreateReferral refers a citizen to an NGO in the hub under a valid consent
// that covers what is shared, or records a referral to an offer outside it.
func (d *DB) CreateReferral(ctx context.Context, in exithub.CreateReferral) (*exithub.Referral, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Referral
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResReferral, exithub.ActCreate)
		if err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "createReferral", id, in)
		if err != nil {
			return err
		}
		if prior != "" {
			out, err = findReferral(ctx, tx, s, prior)
			return err
		}
		out, err = insertReferral(ctx, tx, p, id, in)
		return err
	})
	return out, err
}

func insertReferral(ctx context.Context, tx pgx.Tx, p *exithub.Principal, id string, in exithub.CreateReferral) (*exithub.Referral, error) {
	if err := citizenArg(ctx, tx, in.CitizenID); err != nil {
		return nil, err
	}
	var ngo, consent *string
	var offer *string
	if in.ToCode != "" {
		n, c, err := consentFor(ctx, tx, in)
		if err != nil {
			return nil, err
		}
		ngo, consent = &n, &c
	} else {
		offer = &in.ExternalOffer
	}
	// The database's clock dates the referral, as every recorded time;
	// only the demo data backdates.
	rows, _ := tx.Query(ctx, `INSERT INTO hub.referrals AS r (id, citizen_id, municipality_id, from_id, ngo_id,
		external_offer, consent_id, needs, message, shared_details, contact, status, created_at, updated_at)
		VALUES ($1, $2, $3, $3, $4, $5, $6, $7, $8, $9, $10, 'REQUESTED', coalesce($11::timestamptz, now()), coalesce($11::timestamptz, now()))
		RETURNING `+referralColumns,
		id, in.CitizenID, p.Org.ID, ngo, offer, consent, strs(in.Needs), in.Message, sharedJSON(in.SharedDetails), in.Contact, in.At)
	r, err := pgx.CollectExactlyOneRow(rows, scanReferral)
	if err != nil {
		return nil, err
	}
	touchReferral(tx, r)
	to := exithub.StatusRequested
	if err := insertEvent(ctx, tx, p, r.ID, "TRANSITION", nil, (*string)(&to), nil); err != nil {
		return nil, err
	}
	return r, notify(ctx, tx, noticeOf(r, "CREATED"))
}

// sharedJSON is the shared details as JSON text for the jsonb column.
func sharedJSON(ds []exithub.SharedDetail) string {
	if ds == nil {
		ds = []exithub.SharedDetail{}
	}
	b, _ := json.Marshal(ds) // kinds and values, all strings: it cannot fail
	return string(b)
}

// consentFor finds the NGO and a consent of the citizen that is valid today
// and covers every shared detail.
func consentFor(ctx context.Context, tx pgx.Tx, in exithub.CreateReferral) (string, string, error) {
	ngo, err := ngoID(ctx, tx, in.ToCode, "to")
	if err != nil {
		return "", "", err
	}
	rows, _ := tx.Query(ctx, "SELECT "+consentColumns+` FROM hub.consents k
		WHERE k.citizen_id = $1 AND k.ngo_id = $2 ORDER BY k.created_at DESC, k.id`,
		in.CitizenID, ngo)
	consents, err := pgx.CollectRows(rows, scanConsent)
	if err != nil {
		return "", "", err
	}
	at, err := dbNow(ctx, tx, in.At)
	if err != nil {
		return "", "", err
	}
	c, err := exithub.ConsentFor(consents, exithub.Today(at), in.SharedDetails)
	if err != nil {
		return "", "", err
	}
	return ngo, c.ID, nil
}

func findReferral(ctx context.Context, tx pgx.Tx, s exithub.Scope, id string) (*exithub.Referral, error) {
	return selectReferral(ctx, tx, s, id, "")
}

// selectReferral reads one referral in the caller's scope; lock is "" or a
// locking clause such as "FOR UPDATE".
func selectReferral(ctx context.Context, tx pgx.Tx, s exithub.Scope, id, lock string) (*exithub.Referral, error) {
	if !isUUID(id) {
		return nil, exithub.ErrNotFound
	}
	filter, err := referralFilter(s)
	if err != nil {
		return nil, err
	}
	rows, _ := tx.Query(ctx, "SELECT "+referralColumns+" FROM hub.referrals r WHERE r.id = $1 AND "+filter+" "+lock, id)
	r, err := pgx.CollectExactlyOneRow(rows, scanReferral)
	if err == nil {
		touchReferral(tx, r)
	}
	return r, err
}

// FindReferral reads one referral the caller may see. Another's referral is
// NOT_FOUND, exactly like one that does not exist.
func (d *DB) FindReferral(ctx context.Context, id string) (*exithub.Referral, error) {
	var out *exithub.Referral
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResReferral, exithub.ActRead)
		if err != nil {
			return err
		}
		out, err = findReferral(ctx, tx, s, id)
		return err
	})
	return out, err
}

func touchReferral(tx pgx.Tx, r *exithub.Referral) {
	touch(tx, "Referral", r.ID, r.CitizenRef, r.MunicipalityID)
}
