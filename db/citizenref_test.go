package db_test

import (
	"context"
	"testing"

	"exithub"
	"exithub/db/seed"
)

// refTables are the tables that store the keyed reference of their citizen.
var refTables = map[string]string{"hub.citizens": "id", "hub.consents": "citizen_id", "hub.referrals": "citizen_id",
	"hub.courses": "citizen_id", "hub.crossmunicipal_agreements": "citizen_id"}

func TestStoredCitizenRefsAreTheKeyedReference(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	if _, err := seed.National(ctx, url, 0.001); err != nil {
		t.Fatal(err)
	}
	conn := rawConn(t, url)
	for table, col := range refTables {
		var rows, wrong int
		err := conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE citizen_ref IS DISTINCT FROM hub.citizen_ref(`+col+`))
			FROM `+table).Scan(&rows, &wrong)
		if err != nil {
			t.Fatal(err)
		}
		if wrong != 0 || (rows == 0 && table != "hub.crossmunicipal_agreements") {
			t.Fatalf("%s: %d of %d rows store a reference that is not the citizen's keyed reference", table, wrong, rows)
		}
	}
}

func TestAStoredCitizenRefCannotBeOverwritten(t *testing.T) {
	d, url := openDB(t)
	seedReferrals(t, d)
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	refs, _, err := d.FindReferrals(ctx, exithub.ReferralFilter{}, exithub.Page{Size: 1}, exithub.ReferralParts{})
	if err != nil || len(refs) != 1 {
		t.Fatalf("referrals: %v", err)
	}
	conn := rawConn(t, url)
	if _, err := conn.Exec(context.Background(), "UPDATE hub.referrals SET citizen_ref = 'forged' WHERE id = $1", refs[0].ID); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := conn.QueryRow(context.Background(), "SELECT citizen_ref FROM hub.referrals WHERE id = $1", refs[0].ID).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != refs[0].CitizenRef || got == "forged" {
		t.Fatalf("citizen_ref after an update: %q; want the keyed reference %q", got, refs[0].CitizenRef)
	}
}
