package db_test

import (
	"context"
	"fmt"
	"testing"

	"exithub"
)

// TestAccessLogIsTheLatestRecordsUpToItsLimit gives a citizen more access
// records than the dossier shows and expects exactly the newest
// exithub.AccessLogLimit of them, newest first.
func TestAccessLogIsTheLatestRecordsUpToItsLimit(t *testing.T) {
	d, url := openDB(t)
	ctx := as(t, d, "101", exithub.RoleCaseworker)
	c, err := d.RegisterCitizen(ctx, exithub.RegisterCitizen{Alias: "Logged", CPR: "0303903456"})
	if err != nil {
		t.Fatal(err)
	}
	const extra = 150
	_, err = rawConn(t, url).Exec(context.Background(), `INSERT INTO hub.audit_log
		(request_id, sub, org_id, role, operation, objects, citizen_refs, municipality_id, outcome)
		SELECT 'r' || g, 'caseworker@101', c.municipality_id, 'caseworker', 'Op' || g, '[]', ARRAY[hub.citizen_ref(c.id)], c.municipality_id, 'OK'
		FROM hub.citizens c, generate_series(1, $2) g WHERE c.id = $1`, c.ID, exithub.AccessLogLimit+extra)
	if err != nil {
		t.Fatal(err)
	}
	log, err := d.AccessLog(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != exithub.AccessLogLimit {
		t.Fatalf("the access log has %d entries, want the latest %d", len(log), exithub.AccessLogLimit)
	}
	for i := 1; i < len(log); i++ {
		if log[i].ID >= log[i-1].ID {
			t.Fatalf("entry %d (id %d) is not older than the one before (id %d)", i, log[i].ID, log[i-1].ID)
		}
	}
	if want := fmt.Sprintf("Op%d", exithub.AccessLogLimit+extra); log[0].Operation != want {
		t.Fatalf("the newest entry is %q, want %q", log[0].Operation, want)
	}
}
