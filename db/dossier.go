package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// CorrectCitizen corrects a citizen's record (GDPR art. 16).
func (d *DB) CorrectCitizen(ctx context.Context, id string, c exithub.CitizenCorrection) (*exithub.Citizen, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.Citizen
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActUpdate); err != nil {
			return err
		}
		cur, err := findCitizen(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := exithub.CheckVersion("citizen", cur.Version, c.ExpectedVersion); err != nil {
			return err
		}
		home := cur.HomeID
		if c.HomeCode != nil {
			if home, err = municipalityID(ctx, tx, *c.HomeCode, ""); err != nil {
				return err
			}
		}
		rows, _ := tx.Query(ctx, `UPDATE hub.citizens c SET alias = coalesce($2, c.alias), birth_year = coalesce($3, c.birth_year),
			gender = coalesce($4, c.gender), home_id = $5, version = c.version + 1, updated_at = now()
			WHERE c.id = $1 RETURNING `+citizenColumns, id, c.Alias, c.BirthYear, c.Gender, home)
		out, err = pgx.CollectExactlyOneRow(rows, scanCitizen)
		return err
	})
	return out, err
}

// CitizenDossier gathers all the hub holds on one citizen (GDPR art. 15),
// in one transaction, so the export is consistent and audited as one read.
func (d *DB) CitizenDossier(ctx context.Context, id string) (*exithub.Dossier, error) {
	out := &exithub.Dossier{}
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCitizen, exithub.ActExport); err != nil {
			return err
		}
		var err error
		if out.Citizen, err = findCitizen(ctx, tx, id); err != nil {
			return err
		}
		return dossierParts(ctx, tx, id, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func dossierParts(ctx context.Context, tx pgx.Tx, id string, out *exithub.Dossier) error {
	rows, _ := tx.Query(ctx, "SELECT "+consentColumns+" FROM hub.consents k WHERE k.citizen_id = $1 ORDER BY k.created_at, k.id", id)
	var err error
	if out.Consents, err = pgx.CollectRows(rows, scanConsent); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, "SELECT "+referralColumns+" FROM hub.referrals r WHERE r.citizen_id = $1 ORDER BY r.created_at, r.id", id)
	if out.Referrals, err = pgx.CollectRows(rows, scanReferral); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, "SELECT id::text FROM hub.courses WHERE citizen_id = $1 ORDER BY started_on, id", id)
	if out.CourseIDs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, `SELECT citizen_id::text, from_id::text, to_id::text, reason, at FROM hub.citizen_transfers
		WHERE citizen_id = $1 ORDER BY at`, id)
	if out.Transfers, err = pgx.CollectRows(rows, pgx.RowToAddrOfStructByPos[exithub.Transfer]); err != nil {
		return err
	}
	rows, _ = tx.Query(ctx, "SELECT "+crossColumns+" FROM hub.crossmunicipal_agreements a WHERE a.citizen_id = $1 ORDER BY a.from_date, a.id", id)
	out.CrossMunicipalAgreements, err = pgx.CollectRows(rows, scanCross)
	return err
}
