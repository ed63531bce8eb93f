package db_test

import (
	"context"
	"testing"

	"exithub/db"
)

// TestSealerSealsARecordThatCommitsAfterANewerOne: a record whose
// transaction commits after a newer record was sealed (a lower id, sealed
// later) is found by the next round in the window below the newest seal,
// and the chain still verifies.
func TestSealerSealsARecordThatCommitsAfterANewerOne(t *testing.T) {
	ctx := context.Background()
	d, url := openDB(t)
	conn := rawConn(t, url)
	sealAll := func() {
		t.Helper()
		for {
			n, err := d.Seal(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return
			}
		}
	}
	sealAll()
	late, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer late.Rollback(ctx)
	const insert = `INSERT INTO hub.audit_log (request_id, operation, outcome) VALUES ($1, 'Test', 'OK') RETURNING id`
	var lateID, newerID int64
	if err := late.QueryRow(ctx, insert, "late").Scan(&lateID); err != nil {
		t.Fatal(err)
	}
	other := rawConn(t, url)
	if err := other.QueryRow(ctx, insert, "newer").Scan(&newerID); err != nil {
		t.Fatal(err)
	}
	if newerID <= lateID {
		t.Fatalf("ids %d, %d: the late record should have the lower id", lateID, newerID)
	}
	sealAll()
	if err := late.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	sealAll()
	var sealed bool
	if err := other.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM hub.audit_seals WHERE log_id = $1)", lateID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if !sealed {
		t.Fatalf("record %d, committed after %d was sealed, was never sealed", lateID, newerID)
	}
	res, err := db.VerifyAudit(ctx, url)
	if err != nil || res.BrokenAt != 0 || res.Unsealed != 0 {
		t.Fatalf("verify: %+v %v", res, err)
	}
}
