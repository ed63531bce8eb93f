// Package seed loads data into the hub's database as its owner: the demo
// organisations and, as later parts of the programme land, the synthetic
// people and money of the demo of 18 March 2014. Every load is idempotent:
// rows have fixed keys and are inserted only when missing.
package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"exithub"
)

// Org is an organisation of the demo, with its population where it has one.
type Org struct {
	Code, Name string
	Kind       exithub.OrganisationKind
	Population int // municipalities: Statistics Denmark, 1 January 2014
}

// DemoOrganisations are the programme's parties.
var DemoOrganisations = []Org{
	{"101", "København", exithub.KindMunicipality, 569557},
	{"751", "Aarhus", exithub.KindMunicipality, 319094},
	{"461", "Odense", exithub.KindMunicipality, 195797},
	{"851", "Aalborg", exithub.KindMunicipality, 205809},
	{"147", "Frederiksberg", exithub.KindMunicipality, 0},
	{"ministry", "Social-, Børne- og Integrationsministeriet", exithub.KindMinistry, 0},
	{"socialstyrelsen", "Socialstyrelsen", exithub.KindAgency, 0},
	{"sfi", "SFI – Det Nationale Forskningscenter for Velfærd", exithub.KindEvaluator, 0},
	{"operator", "Exit Hub drift", exithub.KindOperator, 0},
	{"reden", "Reden København", exithub.KindNGO, 0},
	{"reden-aarhus", "Reden Aarhus", exithub.KindNGO, 0},
	{"kirkens-korshaer", "Kirkens Korshær", exithub.KindNGO, 0},
}

// Demo loads the demo data: the organisations, the programme's money and the
// synthetic people of 18 March 2014, whose CPR numbers are pseudonymised
// with key. Running it twice changes nothing.
func Demo(ctx context.Context, ownerURL string, key []byte) error {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, o := range DemoOrganisations {
			if err := AddOrganisation(ctx, tx, o); err != nil {
				return fmt.Errorf("seed %s: %w", o.Code, err)
			}
		}
		if err := seedMoney(ctx, tx); err != nil {
			return fmt.Errorf("seed money: %w", err)
		}
		return seedPeople(ctx, tx, key)
	})
}

// AddOrganisation inserts an organisation unless its code exists, with its
// population as of 1 January 2014 (Statistics Denmark) when it has one.
func AddOrganisation(ctx context.Context, tx pgx.Tx, o Org) error {
	var pop *int
	if o.Population > 0 {
		pop = &o.Population
	}
	if err := exithub.ValidateOrganisation(exithub.Organisation{Code: o.Code, Name: o.Name, Kind: o.Kind, Population: pop}); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO hub.organisations (code, name, kind) VALUES ($1, $2, $3)
		ON CONFLICT (code) DO NOTHING`, o.Code, o.Name, o.Kind)
	if err != nil || pop == nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO hub.populations (org_id, as_of, population, source)
		SELECT id, DATE '2014-01-01', $2, 'Danmarks Statistik, FOLK1A, 1. januar 2014' FROM hub.organisations WHERE code = $1
		ON CONFLICT DO NOTHING`, o.Code, *pop)
	return err
}
