package db

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const consentColumns = `k.id, k.citizen_id, k.ngo_id, k.purpose, k.details, k.given_on, k.expires_on, k.withdrawn_at, k.created_at, k.citizen_ref`

func scanConsent(row pgx.CollectableRow) (*exithub.Consent, error) {
	var c exithub.Consent
	var given, expires dateValue
	err := row.Scan(&c.ID, &c.CitizenID, &c.NGOID, &c.Purpose, &c.Details, &given, &expires, &c.WithdrawnAt, &c.CreatedAt, &c.CitizenRef)
	c.GivenOn, c.ExpiresOn = exithub.Date(given), exithub.Date(expires)
	return &c, err
}

// GiveConsent records a citizen's consent to share stated details with an NGO.
func (d *DB) GiveConsent(ctx context.Context, in exithub.GiveConsent) (*exithub.Consent, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Consent
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResConsent, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "giveConsent", id, in)
		if err != nil {
			return err
		}
		if prior != "" {
			out, err = findConsent(ctx, tx, prior)
			return err
		}
		if err := citizenArg(ctx, tx, in.CitizenID); err != nil {
			return err
		}
		ngoID, err := ngoID(ctx, tx, in.NGOCode, "ngo")
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `INSERT INTO hub.consents AS k (id, citizen_id, municipality_id, ngo_id, purpose,
			details, given_on, expires_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
			RETURNING `+consentColumns, id, in.CitizenID, p.Org.ID, ngoID, in.Purpose, strs(in.Details),
			dateValue(in.GivenOn), dateValue(in.ExpiresOn))
		out, err = pgx.CollectExactlyOneRow(rows, scanConsent)
		if err == nil {
			touch(tx, "Consent", out.ID, out.CitizenRef, p.Org.ID)
		}
		return err
	})
	return out, err
}

func findConsent(ctx context.Context, tx pgx.Tx, id string) (*exithub.Consent, error) {
	if !isUUID(id) {
		return nil, exithub.ErrNotFound
	}
	rows, _ := tx.Query(ctx, "SELECT "+consentColumns+" FROM hub.consents k WHERE k.id = $1", id)
	c, err := pgx.CollectExactlyOneRow(rows, scanConsent)
	if err == nil {
		touch(tx, "Consent", c.ID, c.CitizenRef, "")
	}
	return c, err
}

// ngoID resolves an NGO's code; field names the input that gave it.
func ngoID(ctx context.Context, tx pgx.Tx, code, field string) (string, error) {
	var id string
	err := tx.QueryRow(ctx, "SELECT id FROM hub.organisations WHERE code = $1 AND kind = 'NGO'", code).Scan(&id)
	if err == pgx.ErrNoRows {
		return "", exithub.Invalid(field, "no NGO has code %q", code)
	}
	return id, err
}

// WithdrawConsent withdraws a consent. In the same transaction it cancels
// the open referrals made under it and erases the details they shared, so the
// NGO stops seeing them at once.
func (d *DB) WithdrawConsent(ctx context.Context, id string) (*exithub.Consent, error) {
	var out *exithub.Consent
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResConsent, exithub.ActWithdraw); err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, `UPDATE hub.consents k SET withdrawn_at = now()
			WHERE k.id = $1 AND k.municipality_id = $2 RETURNING `+consentColumns, id, p.Org.ID)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, scanConsent); err != nil {
			return err
		}
		touch(tx, "Consent", out.ID, out.CitizenRef, p.Org.ID)
		_, err = cancelUnderConsent(ctx, tx, p, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// cancelUnderConsent erases what referrals under a consent shared and
// cancels the open ones, recording each cancellation in their history.
func cancelUnderConsent(ctx context.Context, tx pgx.Tx, p *exithub.Principal, consentID string) ([]referralNotice, error) {
	rows, _ := tx.Query(ctx, `UPDATE hub.referrals r SET shared_details = '[]',
		status = CASE WHEN r.status = ANY($2::text[]) THEN $3 ELSE r.status END,
		version = r.version + 1, updated_at = now()
		FROM hub.referrals old WHERE old.id = r.id AND r.consent_id = $1
		RETURNING r.id, old.status, r.status, r.ngo_id, r.municipality_id`, consentID, exithub.OpenStatuses(), string(exithub.StatusCancelled))
	type row struct {
		ID, From, To, NGO, Muni string
	}
	changed, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.ID, &x.From, &x.To, &x.NGO, &x.Muni)
	})
	if err != nil {
		return nil, err
	}
	var notices []referralNotice
	for _, c := range changed {
		if c.From != c.To {
			reason := exithub.ReasonConsentWithdrawn
			if err := insertEvent(ctx, tx, p, c.ID, "TRANSITION", &c.From, &c.To, &reason); err != nil {
				return nil, err
			}
		}
		n := referralNotice{ReferralID: c.ID, NGOID: c.NGO, MunicipalityID: c.Muni, Kind: "CONSENT_WITHDRAWN", Status: c.To}
		if err := notify(ctx, tx, n); err != nil {
			return nil, err
		}
		notices = append(notices, n)
	}
	return notices, nil
}

// FindConsents reads the consents of citizens, for a dataloader batch.
func (d *DB) FindConsents(ctx context.Context, citizenIDs []string) (map[string][]*exithub.Consent, error) {
	out := map[string][]*exithub.Consent{}
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResConsent, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT "+consentColumns+` FROM hub.consents k
			WHERE k.citizen_id = ANY($1) AND k.municipality_id = $2 ORDER BY k.created_at, k.id`, citizenIDs, p.Org.ID)
		cs, err := pgx.CollectRows(rows, scanConsent)
		for _, c := range cs {
			out[c.CitizenID] = append(out[c.CitizenID], c)
			touch(tx, "Consent", c.ID, c.CitizenRef, p.Org.ID)
		}
		return err
	})
	return out, err
}
