package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub"
)

const orgColumns = `o.id, o.code, o.name, o.kind,
 (SELECT p.population FROM hub.populations p WHERE p.org_id = o.id ORDER BY p.as_of DESC LIMIT 1)`

func scanOrganisation(row pgx.CollectableRow) (*exithub.Organisation, error) {
	var o exithub.Organisation
	err := row.Scan(&o.ID, &o.Code, &o.Name, &o.Kind, &o.Population)
	return &o, err
}

// OrganisationByCode reads the directory before anyone is known: the login
// role may read the directory, which is not personal data. The answer is
// shared (see directory) and must not be changed.
func (d *DB) OrganisationByCode(ctx context.Context, code string) (*exithub.Organisation, error) {
	return d.lookupOrganisation(ctx, code, true)
}

// OrganisationByID reads one organisation of the directory for the caller,
// from memory (see directory); the answer must not be changed.
func (d *DB) OrganisationByID(ctx context.Context, id string) (*exithub.Organisation, error) {
	p, err := exithub.RequirePrincipal(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := d.scope(p, exithub.ResOrganisation, exithub.ActRead); err != nil {
		return nil, err
	}
	return d.lookupOrganisation(ctx, id, false)
}

// FindOrganisations lists the directory, optionally of one kind.
func (d *DB) FindOrganisations(ctx context.Context, kind *exithub.OrganisationKind) ([]*exithub.Organisation, error) {
	var out []*exithub.Organisation
	err := d.readReplica(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResOrganisation, exithub.ActRead); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "SELECT "+orgColumns+` FROM hub.organisations o
			WHERE $1::text IS NULL OR o.kind = $1 ORDER BY o.kind, o.code`, kind)
		var err error
		out, err = pgx.CollectRows(rows, scanOrganisation)
		return err
	})
	return out, err
}

// CreateOrganisation onboards an organisation without a redeploy.
func (d *DB) CreateOrganisation(ctx context.Context, o exithub.Organisation) (*exithub.Organisation, error) {
	if err := exithub.ValidateOrganisation(o); err != nil {
		return nil, err
	}
	var out *exithub.Organisation
	err := d.tx(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResOrganisation, exithub.ActCreate); err != nil {
			return err
		}
		var err error
		out, err = insertOrganisation(ctx, tx, o)
		if err == nil {
			touch(tx, "Organisation", out.ID, "", "")
		}
		return err
	})
	if err == nil {
		d.forgetDirectory()
	}
	var e *exithub.Error
	if errors.As(err, &e) && e.Code == exithub.ECONFLICT {
		return nil, &exithub.Error{Code: exithub.ECONFLICT, Field: "code", Message: fmt.Sprintf("an organisation with code %q exists", o.Code)}
	}
	return out, err
}

func insertOrganisation(ctx context.Context, tx pgx.Tx, o exithub.Organisation) (*exithub.Organisation, error) {
	err := tx.QueryRow(ctx, `INSERT INTO hub.organisations (code, name, kind, created_at)
		VALUES ($1, $2, $3, now()) RETURNING id`, o.Code, o.Name, string(o.Kind)).Scan(&o.ID)
	if err != nil {
		return nil, err
	}
	if o.Population != nil {
		_, err = tx.Exec(ctx, `INSERT INTO hub.populations (org_id, as_of, population, source)
			VALUES ($1, current_date, $2, 'given at onboarding')`, o.ID, *o.Population)
	}
	return &o, err
}
