package db

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const cooperationColumns = `a.id, a.municipality_id, a.ngo_id, a.from_date, a.to_date, a.amount_ore, a.services, a.status, a.version`

func scanCooperation(row pgx.CollectableRow) (*exithub.CooperationAgreement, error) {
	var a exithub.CooperationAgreement
	var from, to dateValue
	err := row.Scan(&a.ID, &a.MunicipalityID, &a.NGOID, &from, &to, &a.Amount, &a.Services, &a.Status, &a.Version)
	a.From, a.To = exithub.Date(from), exithub.Date(to)
	return &a, err
}

// CreateCooperationAgreement registers the caller municipality's agreement
// with an NGO.
func (d *DB) CreateCooperationAgreement(ctx context.Context, in exithub.NewCooperationAgreement) (*exithub.CooperationAgreement, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	status := exithub.AgreementDraft
	if in.Active {
		status = exithub.AgreementActive
	}
	var out *exithub.CooperationAgreement
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCooperation, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "createCooperationAgreement", id, in)
		if err != nil {
			return err
		}
		if prior == "" {
			ngo, err := ngoID(ctx, tx, in.NGOCode, "ngo")
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO hub.cooperation_agreements (id, municipality_id, ngo_id, from_date, to_date,
				amount_ore, services, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())`,
				id, p.Org.ID, ngo, dateValue(in.From), dateValue(in.To), in.Amount, in.Services, status); err != nil {
				return err
			}
			prior = id
		}
		rows, _ := tx.Query(ctx, "SELECT "+cooperationColumns+" FROM hub.cooperation_agreements a WHERE a.id = $1", prior)
		out, err = pgx.CollectExactlyOneRow(rows, scanCooperation)
		return err
	})
	return out, err
}

// SetCooperationStatus activates or ends an agreement of the caller's.
func (d *DB) SetCooperationStatus(ctx context.Context, id string, status exithub.AgreementStatus, expectedVersion *int) (*exithub.CooperationAgreement, error) {
	var out *exithub.CooperationAgreement
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCooperation, exithub.ActUpdate); err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, "SELECT "+cooperationColumns+" FROM hub.cooperation_agreements a WHERE a.id = $1 AND a.municipality_id = $2 FOR UPDATE", id, p.Org.ID)
		cur, err := pgx.CollectExactlyOneRow(rows, scanCooperation)
		if err != nil {
			return err
		}
		if err := exithub.CheckVersion("agreement", cur.Version, expectedVersion); err != nil {
			return err
		}
		if err := cur.Status.CanBecome(status); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, `UPDATE hub.cooperation_agreements a SET status = $2, version = a.version + 1
			WHERE a.id = $1 RETURNING `+cooperationColumns, id, status)
		out, err = pgx.CollectExactlyOneRow(rows, scanCooperation)
		return err
	})
	return out, err
}

// CooperationAgreements lists what the caller may read: its own as a party,
// or all of them.
func (d *DB) CooperationAgreements(ctx context.Context) ([]*exithub.CooperationAgreement, error) {
	var out []*exithub.CooperationAgreement
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResCooperation, exithub.ActRead)
		if err != nil {
			return err
		}
		own := ""
		if s != exithub.ScopeAll {
			own = p.Org.ID
		}
		rows, _ := tx.Query(ctx, "SELECT "+cooperationColumns+` FROM hub.cooperation_agreements a
			WHERE $1 = '' OR a.municipality_id::text = $1 OR a.ngo_id::text = $1 ORDER BY a.from_date, a.id`, own)
		out, err = pgx.CollectRows(rows, scanCooperation)
		return err
	})
	return out, err
}
