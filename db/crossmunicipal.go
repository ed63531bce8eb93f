package db

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"exithub"
)

const crossColumns = `a.id, a.citizen_id, a.project_id, a.home_id, a.from_date, a.to_date, a.terms, a.status, a.version, a.citizen_ref`

func scanCross(row pgx.CollectableRow) (*exithub.CrossMunicipalAgreement, error) {
	var a exithub.CrossMunicipalAgreement
	var from, to dateValue
	err := row.Scan(&a.ID, &a.CitizenID, &a.ProjectID, &a.HomeID, &from, &to, &a.Terms, &a.Status, &a.Version, &a.CitizenRef)
	a.From, a.To = exithub.Date(from), exithub.Date(to)
	return &a, err
}

// CreateCrossMunicipalAgreement records that a citizen served by the
// caller, whose home is another municipality, joins the caller's course.
func (d *DB) CreateCrossMunicipalAgreement(ctx context.Context, in exithub.NewCrossMunicipalAgreement) (*exithub.CrossMunicipalAgreement, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *exithub.CrossMunicipalAgreement
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCrossMunicipal, exithub.ActCreate); err != nil {
			return err
		}
		id := uuid.NewString()
		prior, err := claimKey(ctx, tx, p, in.IdempotencyKey, "createCrossMunicipalAgreement", id, in)
		if err != nil {
			return err
		}
		if prior == "" {
			if err := insertCross(ctx, tx, p, id, in); err != nil {
				return err
			}
			prior = id
		}
		rows, _ := tx.Query(ctx, "SELECT "+crossColumns+" FROM hub.crossmunicipal_agreements a WHERE a.id = $1", prior)
		out, err = pgx.CollectExactlyOneRow(rows, scanCross)
		return err
	})
	return out, err
}

func insertCross(ctx context.Context, tx pgx.Tx, p *exithub.Principal, id string, in exithub.NewCrossMunicipalAgreement) error {
	if err := citizenArg(ctx, tx, in.CitizenID); err != nil {
		return err
	}
	home, err := municipalityID(ctx, tx, in.HomeCode, "")
	if err != nil {
		return err
	}
	if home == p.Org.ID {
		return exithub.Invalid("homeMunicipality", "the home municipality is another than the project municipality")
	}
	_, err = tx.Exec(ctx, `INSERT INTO hub.crossmunicipal_agreements (id, citizen_id, project_id, home_id, from_date, to_date,
		terms, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', now())`,
		id, in.CitizenID, p.Org.ID, home, dateValue(in.From), dateValue(in.To), in.Terms)
	return err
}

// EndCrossMunicipalAgreement ends an agreement the caller is project
// municipality of.
func (d *DB) EndCrossMunicipalAgreement(ctx context.Context, id string) (*exithub.CrossMunicipalAgreement, error) {
	var out *exithub.CrossMunicipalAgreement
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResCrossMunicipal, exithub.ActUpdate); err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, `UPDATE hub.crossmunicipal_agreements a SET status = 'ENDED', version = a.version + 1
			WHERE a.id = $1 AND a.project_id = $2 AND a.status <> 'ENDED' RETURNING `+crossColumns, id, p.Org.ID)
		var err error
		out, err = pgx.CollectExactlyOneRow(rows, scanCross)
		return err
	})
	return out, err
}

// CrossMunicipalAgreements lists the caller's, as project or home municipality.
func (d *DB) CrossMunicipalAgreements(ctx context.Context) ([]*exithub.CrossMunicipalAgreement, error) {
	var out []*exithub.CrossMunicipalAgreement
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResCrossMunicipal, exithub.ActRead)
		if err != nil {
			return err
		}
		if s != exithub.ScopeOwn {
			return exithub.ForbiddenUnlessAggregate(p.Role, exithub.ResCrossMunicipal) // the count only
		}
		rows, _ := tx.Query(ctx, "SELECT "+crossColumns+` FROM hub.crossmunicipal_agreements a
			WHERE a.project_id = $1 OR a.home_id = $1 ORDER BY a.from_date, a.id`, p.Org.ID)
		out, err = pgx.CollectRows(rows, scanCross)
		for _, a := range out {
			touch(tx, "CrossMunicipalAgreement", a.ID, a.CitizenRef, a.ProjectID)
		}
		return err
	})
	return out, err
}

// OwnAgreements counts the cross-municipal agreements of the caller's
// municipality made on or before a day; own is false for a principal who
// may see them only as an aggregate (then the count is a release cell).
func (d *DB) OwnAgreements(ctx context.Context, asOf exithub.Date) (n int, own bool, err error) {
	err = d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResCrossMunicipal, exithub.ActRead)
		if err != nil || s != exithub.ScopeOwn {
			return err
		}
		own = true
		return tx.QueryRow(ctx, `SELECT count(*) FROM hub.crossmunicipal_agreements a
			WHERE (a.project_id = $1 OR a.home_id = $1) AND (a.created_at AT TIME ZONE 'Europe/Copenhagen')::date <= $2`,
			p.Org.ID, dateValue(asOf)).Scan(&n)
	})
	return n, own, err
}
