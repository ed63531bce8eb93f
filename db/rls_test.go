package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
	"exithub/db"
)

// personalTables are the tables that hold or point to a person: no role
// may read them without saying which organisation asks.
var personalTables = []string{"hub.citizens", "hub.citizen_transfers", "hub.consents", "hub.referrals", "hub.referral_events",
	"hub.courses", "hub.course_events"}

func TestServerRoleIsRestricted(t *testing.T) {
	d, _ := openDB(t)
	ctx := context.Background()
	var user string
	var super, bypass, inherit bool
	var owned int
	err := d.Pool().QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls, rolinherit,
		(SELECT count(*) FROM pg_tables WHERE tableowner = current_user)
		FROM pg_roles WHERE rolname = current_user`).Scan(&user, &super, &bypass, &inherit, &owned)
	if err != nil {
		t.Fatal(err)
	}
	if user != db.AppRole || super || bypass || inherit || owned != 0 {
		t.Fatalf("server logs in as %s super=%v bypassrls=%v inherit=%v owns %d tables; want %s, none of them",
			user, super, bypass, inherit, owned, db.AppRole)
	}
}

// seedReferrals makes one referral from København to each of two NGOs.
func seedReferrals(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	for i, ngo := range []string{"reden", "kirkens-korshaer"} {
		c, err := d.RegisterCitizen(ctx, exithub.RegisterCitizen{Alias: "A" + ngo, CPR: []string{"0101901234", "0202902345"}[i]})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.GiveConsent(ctx, exithub.GiveConsent{CitizenID: c.ID, NGOCode: ngo, Purpose: "support",
			Details: []exithub.DetailKind{exithub.DetailAlias}, GivenOn: exithub.Today(time.Now()), ExpiresOn: exithub.Today(time.Now()).AddDays(30)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = d.CreateReferral(ctx, exithub.CreateReferral{CitizenID: c.ID, ToCode: ngo, Needs: []exithub.Need{exithub.NeedHousing},
			Message: "hello", Contact: "cw@kk.dk", SharedDetails: []exithub.SharedDetail{{Kind: exithub.DetailAlias, Value: "A"}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// rawTx runs fn as the app role after saying only what setup says: the
// second line of defence must hold without any WHERE from Go.
func rawTx(t *testing.T, d *db.DB, setup []string, fn func(pgx.Tx) error) error {
	t.Helper()
	return pgx.BeginFunc(context.Background(), d.Pool(), func(tx pgx.Tx) error {
		for _, s := range setup {
			if _, err := tx.Exec(context.Background(), s); err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

func TestNGOTransactionSeesOnlyItsReferralsWithoutWhere(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	reden, err := d.OrganisationByCode(context.Background(), "reden")
	if err != nil {
		t.Fatal(err)
	}
	var total int
	if err := rawConn(t, url).QueryRow(context.Background(), "SELECT count(*) FROM hub.referrals").Scan(&total); err != nil {
		t.Fatal(err)
	}
	var n, mine int
	err = rawTx(t, d, []string{"SET LOCAL ROLE exithub_ngo", "SELECT set_config('hub.org_id', '" + reden.ID + "', true)"},
		func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), "SELECT count(*), count(*) FILTER (WHERE ngo_id = $1) FROM hub.referrals", reden.ID).Scan(&n, &mine)
		})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != mine || n >= total {
		t.Fatalf("NGO transaction saw %d referrals (%d its own) of %d; want only its own", n, mine, total)
	}
}

func TestMinistryRoleCannotSelectPersonalTables(t *testing.T) {
	d, _ := openDB(t)
	seedReferrals(t, d)
	for _, role := range []string{"exithub_ministry", "exithub_agency", "exithub_evaluator", "exithub_operator"} {
		for _, table := range personalTables {
			err := rawTx(t, d, []string{"SET LOCAL ROLE " + role}, func(tx pgx.Tx) error {
				_, err := tx.Exec(context.Background(), "SELECT * FROM "+table)
				return err
			})
			if !isPermissionDenied(err) {
				t.Errorf("%s reading %s: got %v, want permission denied", role, table, err)
			}
		}
	}
}

func TestNoPersonalRowWithoutSayingWhoAsks(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	moved, err := d.RegisterCitizen(ctx, exithub.RegisterCitizen{Alias: "Moving", CPR: "0404904567"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.TransferCitizen(ctx, moved.ID, "751", "moved to Aarhus"); err != nil {
		t.Fatal(err)
	}
	owner := rawConn(t, url)
	for _, table := range personalTables {
		// Rows there are, or seeing none would prove nothing.
		var held int
		if err := owner.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&held); err != nil || held == 0 {
			t.Errorf("%s holds %d rows (%v): the check below would prove nothing", table, held, err)
		}
		err := rawTx(t, d, nil, func(tx pgx.Tx) error {
			_, err := tx.Exec(context.Background(), "SELECT * FROM "+table)
			return err
		})
		if !isPermissionDenied(err) {
			t.Errorf("login role reading %s: got %v, want permission denied", table, err)
		}
		// A role without an organisation sees nothing either.
		var n int
		err = rawTx(t, d, []string{"SET LOCAL ROLE exithub_municipality"}, func(tx pgx.Tx) error {
			return tx.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n)
		})
		if err != nil || n != 0 {
			t.Errorf("municipality role without organisation reading %s: %d rows, %v; want 0", table, n, err)
		}
	}
}

func isPermissionDenied(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42501"
}
