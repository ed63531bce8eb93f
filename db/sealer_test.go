package db_test

import (
	"context"
	"testing"

	"exithub/db"
)

// TestSealerSealsARecordThatCommitsAfterANewerOne: a record whose
// transaction commits after a newer record was sealed (a lower id, sealed
// later) joins the sealer's queue at its commit and is sealed by the next
// round, and the chain still verifies.
func TestSealerSealsARecordThatCommitsAfterANewerOne(t *testing.T) {
	ctx := context.Background()
	d, url := openDB(t)
	conn := rawConn(t, url)
	sealAll := func() { sealEverything(t, d) }
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

// TestASealRoundReadsOnlyTheRecordsItSeals: a round reads of the log only
// the records it seals, however long its connection has lived and however
// much the log has grown since. PostgreSQL caches the plans of a
// function's statements, and of the foreign-key checks its inserts fire,
// per connection, and may keep a generic plan made when the log was
// small: a scan of the whole log, then run for every record sealed.
// Counted in heap blocks of the log that the round's transaction fetched:
// one to read each record and one for its seal's foreign key.
func TestASealRoundReadsOnlyTheRecordsItSeals(t *testing.T) {
	ctx := context.Background()
	d, url := openDB(t)
	conn := rawConn(t, url)
	// No statistics change under the test and renews the cached plans.
	if _, err := conn.Exec(ctx, `ALTER TABLE hub.audit_log SET (autovacuum_enabled = off);
		ALTER TABLE hub.audit_seals SET (autovacuum_enabled = off);
		ALTER TABLE hub.audit_unsealed SET (autovacuum_enabled = off)`); err != nil {
		t.Fatal(err)
	}
	// The sealer's connection starts on a short log: rounds of a few
	// records each, more than the five after which plans may turn generic.
	for range 8 {
		if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (request_id, operation, outcome) SELECT 'early' || g, 'Test', 'OK' FROM generate_series(1, 10) g`); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "SELECT hub.seal()"); err != nil {
			t.Fatal(err)
		}
	}
	// Then the log grows by 40,000 records of an inbox's size, sealed by
	// other connections, and 2,000 small ones wait.
	if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (request_id, operation, objects, outcome)
		SELECT 'r' || g, 'Referrals', (SELECT jsonb_agg(jsonb_build_object('type', 'Referral', 'id', gen_random_uuid())) FROM generate_series(1, 20)), 'OK'
		FROM generate_series(1, 40000) g`); err != nil {
		t.Fatal(err)
	}
	sealEverything(t, d)
	if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (request_id, operation, outcome) SELECT 'new' || g, 'Test', 'OK' FROM generate_series(1, 2000) g`); err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := conn.QueryRow(ctx, "SELECT pg_relation_size('hub.audit_log') / current_setting('block_size')::bigint").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	// The backend's counts not yet reported: read before and after.
	const blocks = "SELECT pg_stat_get_xact_blocks_fetched('hub.audit_log'::regclass)"
	var before, after int64
	if err := tx.QueryRow(ctx, blocks).Scan(&before); err != nil {
		t.Fatal(err)
	}
	var sealed int
	if err := tx.QueryRow(ctx, "SELECT hub.seal()").Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if err := tx.QueryRow(ctx, blocks).Scan(&after); err != nil {
		t.Fatal(err)
	}
	fetched := after - before
	if sealed != 1000 {
		t.Fatalf("the round sealed %d records, want 1,000 of the 2,000 new ones", sealed)
	}
	if pages < 6000 {
		t.Fatalf("the log has %d pages: too small to tell a scan of it from look-ups", pages)
	}
	if want := 2*int64(sealed) + 100; fetched > want {
		t.Fatalf("sealing %d small records fetched %d heap blocks of a log of %d pages, want at most %d", sealed, fetched, pages, want)
	}
}

// TestRecordsWrittenBeforeTheQueueAreQueued: hub.audit_enqueue_unsealed
// puts every record not yet sealed in the sealer's queue (migration 017
// runs it for the records written before its trigger), once; the rounds
// then seal them and leave the queue empty.
func TestRecordsWrittenBeforeTheQueueAreQueued(t *testing.T) {
	ctx := context.Background()
	d, url := openDB(t)
	conn := rawConn(t, url)
	sealAll := func() { sealEverything(t, d) }
	sealAll()
	if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (request_id, operation, outcome) SELECT 'old' || g, 'Test', 'OK' FROM generate_series(1, 5) g`); err != nil {
		t.Fatal(err)
	}
	// As if written before the queue existed.
	if _, err := conn.Exec(ctx, "DELETE FROM hub.audit_unsealed"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{5, 0} {
		var n int
		if err := conn.QueryRow(ctx, "SELECT hub.audit_enqueue_unsealed()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Fatalf("queued %d records, want %d", n, want)
		}
	}
	sealAll()
	var waiting int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM hub.audit_unsealed").Scan(&waiting); err != nil {
		t.Fatal(err)
	}
	if waiting != 0 {
		t.Fatalf("%d records still wait in the queue", waiting)
	}
	res, err := db.VerifyAudit(ctx, url)
	if err != nil || res.BrokenAt != 0 || res.Unsealed != 0 {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// sealEverything runs rounds of the sealer until one seals nothing.
func sealEverything(t *testing.T, d *db.DB) {
	t.Helper()
	for {
		n, err := d.Seal(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}
