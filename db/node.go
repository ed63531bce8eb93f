package db

import (
	"context"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// The finders below read one object by id for Query.node, with the same
// scope as the list it appears in: a row outside the caller's scope is
// NOT_FOUND, exactly like one that does not exist.

// FindConsent reads one consent given in the caller's municipality.
func (d *DB) FindConsent(ctx context.Context, id string) (*exithub.Consent, error) {
	var out *exithub.Consent
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		if _, err := d.scope(p, exithub.ResConsent, exithub.ActRead); err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, "SELECT "+consentColumns+` FROM hub.consents k
			WHERE k.id = $1 AND k.municipality_id = $2`, id, p.Org.ID)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, scanConsent); err == nil {
			touch(tx, "Consent", out.ID, out.CitizenRef, p.Org.ID)
		}
		return err
	})
	return out, err
}

// FindCooperationAgreement reads one cooperation agreement the caller may
// read: its own as a party, or any.
func (d *DB) FindCooperationAgreement(ctx context.Context, id string) (*exithub.CooperationAgreement, error) {
	var out *exithub.CooperationAgreement
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResCooperation, exithub.ActRead)
		if err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		own := ""
		if s != exithub.ScopeAll {
			own = p.Org.ID
		}
		rows, _ := tx.Query(ctx, "SELECT "+cooperationColumns+` FROM hub.cooperation_agreements a
			WHERE a.id = $1 AND ($2 = '' OR a.municipality_id::text = $2 OR a.ngo_id::text = $2)`, id, own)
		out, err = pgx.CollectExactlyOneRow(rows, scanCooperation)
		return err
	})
	return out, err
}

// FindCrossMunicipalAgreement reads one cross-municipal agreement of the
// caller's municipality; aggregate readers see only the count.
func (d *DB) FindCrossMunicipalAgreement(ctx context.Context, id string) (*exithub.CrossMunicipalAgreement, error) {
	var out *exithub.CrossMunicipalAgreement
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		s, err := d.scope(p, exithub.ResCrossMunicipal, exithub.ActRead)
		if err != nil {
			return err
		}
		if s != exithub.ScopeOwn {
			return exithub.ForbiddenUnlessAggregate(p.Role, exithub.ResCrossMunicipal)
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, "SELECT "+crossColumns+` FROM hub.crossmunicipal_agreements a
			WHERE a.id = $1 AND (a.project_id = $2 OR a.home_id = $2)`, id, p.Org.ID)
		if out, err = pgx.CollectExactlyOneRow(rows, scanCross); err == nil {
			touch(tx, "CrossMunicipalAgreement", out.ID, out.CitizenRef, out.ProjectID)
		}
		return err
	})
	return out, err
}

// FindGrant reads one grant the caller may see: any, or a recipient's own.
func (d *DB) FindGrant(ctx context.Context, id string) (*exithub.Grant, error) {
	var out *exithub.Grant
	err := d.read(ctx, func(tx pgx.Tx, p *exithub.Principal) error {
		recipient, err := d.fundingScope(p, exithub.ResGrant)
		if err != nil {
			return err
		}
		if !isUUID(id) {
			return exithub.ErrNotFound
		}
		rows, _ := tx.Query(ctx, "SELECT "+grantColumns+` FROM hub.grants g
			WHERE g.id = $1 AND ($2 = '' OR g.recipient_id::text = $2)`, id, recipient)
		out, err = pgx.CollectExactlyOneRow(rows, scanGrant)
		return err
	})
	return out, err
}
