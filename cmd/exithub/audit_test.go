package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db"
)

func TestEveryReadMutationAndRefusalIsAudited(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	h.must(f.ngo, `query NgoReads($id: ID!) { referral(id: $id) { id status } }`, map[string]any{"id": f.referral})
	h.do(f.analyst, `query Peek { citizens { edges { cursor } } }`, nil)
	h.must(f.analyst, `query Figures { statistics(asOf: "2014-03-18") { personsHelped { value } } }`, nil)
	h.do("", `query Anonymous { me { sub } }`, nil)
	h.main.Server.FlushRefusals(context.Background())
	conn := owner(t, h)
	count := func(where string, args ...any) int {
		var n int
		if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM hub.audit_log WHERE "+where, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count(`operation = 'NgoReads' AND sub = 'ngo_worker@reden' AND outcome = 'OK' AND objects @> $1::jsonb`,
		`[{"type":"Referral"}]`) != 1 {
		t.Error("the NGO's read of a referral is not audited")
	}
	if count(`operation = 'Peek' AND outcome = 'FORBIDDEN' AND sub = 'analyst@ministry'`) == 0 {
		t.Error("the ministry's refused read is not audited")
	}
	if count(`operation = 'Figures' AND outcome = 'OK'`) != 1 {
		t.Error("the statistics query is not audited")
	}
	if count(`outcome = 'UNAUTHENTICATED' AND sub = '127.0.0.1' AND operation = 'refused requests: 1'`) != 1 {
		t.Error("the request without a token is not audited")
	}
	if count(`operation = 'createReferral' OR objects @> $1::jsonb`, `[{"type":"Referral"}]`) < 2 {
		t.Error("creating the referral is not audited")
	}
}

func TestAuditTrailIsAppendOnlyForTheApplication(t *testing.T) {
	h := startHub(t)
	h.must(h.token("101", exithub.RoleCaseworker), meQuery, nil)
	for _, role := range []string{"exithub_operator", "exithub_municipality", "exithub_app", "exithub_sealer"} {
		for _, stmt := range []string{"UPDATE hub.audit_log SET sub = 'x'", "DELETE FROM hub.audit_log", "DELETE FROM hub.audit_seals"} {
			err := pgx.BeginFunc(context.Background(), h.main.DB.Pool(), func(tx pgx.Tx) error {
				if role != "exithub_app" {
					if _, err := tx.Exec(context.Background(), "SET LOCAL ROLE "+role); err != nil {
						return err
					}
				}
				_, err := tx.Exec(context.Background(), stmt)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "permission denied") {
				t.Errorf("%s ran %q: %v", role, stmt, err)
			}
		}
	}
}

func TestAuditChainVerifiesAndNamesTheFirstBrokenLink(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	for i := 0; i < 5; i++ {
		h.must(f.ngo, `{ referrals { edges { node { id } } } }`, nil)
	}
	if _, err := h.main.DB.Seal(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := db.VerifyAudit(context.Background(), h.dbURL)
	if err != nil || res.BrokenAt != 0 || res.Sealed < 8 {
		t.Fatalf("verify on an intact chain: %+v %v", res, err)
	}
	var out strings.Builder
	t.Setenv("DATABASE_URL", h.dbURL)
	if err := run(context.Background(), []string{"audit", "verify"}, &out, &out); err != nil || !strings.Contains(out.String(), "intact") {
		t.Fatalf("exithub audit verify: %v %s", err, out.String())
	}
	conn := owner(t, h)
	var victim int64
	if err := conn.QueryRow(context.Background(), "SELECT log_id FROM hub.audit_seals ORDER BY seq OFFSET 3 LIMIT 1").Scan(&victim); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "UPDATE hub.audit_log SET sub = 'someone-else' WHERE id = $1", victim); err != nil {
		t.Fatal(err)
	}
	res, err = db.VerifyAudit(context.Background(), h.dbURL)
	if err != nil || res.BrokenAt != 4 || !strings.Contains(res.Reason, "changed") {
		t.Fatalf("a tampered record: %+v %v", res, err)
	}
	if _, err := conn.Exec(context.Background(), "UPDATE hub.audit_log SET sub = (SELECT sub FROM hub.audit_log WHERE id = $1 - 1) WHERE id = $1", victim); err != nil {
		t.Fatal(err)
	}
}

func TestPruneKeepsAnAnchorTheChainStartsFrom(t *testing.T) {
	h := startHub(t)
	tok := h.token("reden", exithub.RoleNGOWorker)
	for i := 0; i < 4; i++ {
		h.must(tok, `{ referrals(first: 1) { edges { node { id } } } }`, nil)
	}
	if _, err := h.main.DB.Seal(context.Background()); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var last int64
	if err := conn.QueryRow(context.Background(), "SELECT max(id) FROM hub.audit_log").Scan(&last); err != nil {
		t.Fatal(err)
	}
	h.must(tok, `{ referrals(first: 1) { edges { node { id } } } }`, nil)
	if _, err := h.main.DB.Seal(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The cut is the database's time of the first record after the pruned
	// ones: one clock, the one that dated them.
	var cut time.Time
	if err := conn.QueryRow(context.Background(), "SELECT at FROM hub.audit_log WHERE id > $1 ORDER BY id LIMIT 1", last).Scan(&cut); err != nil {
		t.Fatal(err)
	}
	n, err := db.PruneAudit(context.Background(), h.dbURL, cut)
	if err != nil || n < 4 {
		t.Fatalf("prune removed %d: %v", n, err)
	}
	var before, after int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FILTER (WHERE id <= $1), count(*) FILTER (WHERE id > $1) FROM hub.audit_log",
		last).Scan(&before, &after); err != nil {
		t.Fatal(err)
	}
	if before != 0 || after == 0 {
		t.Fatalf("after the prune %d records before the cut remain and %d after it; want none and some", before, after)
	}
	res, err := db.VerifyAudit(context.Background(), h.dbURL)
	if err != nil || res.BrokenAt != 0 || res.Sealed == 0 {
		t.Fatalf("verify after prune: %+v %v", res, err)
	}
}

func TestAuditorsAndTheCitizenView(t *testing.T) {
	h := startHub(t)
	f := newReferral(t, h, "reden")
	h.must(f.ngo, `query NgoLooks($id: ID!) { referral(id: $id) { id } }`, map[string]any{"id": f.referral})
	d := h.must(f.cw, `query($id: ID!) { citizen(id: $id) { accessLog(first: 50) { edges { node { sub operation organisation { code } outcome } } } } }`, map[string]any{"id": f.citizenID})
	found := false
	for _, e := range get(d, "citizen", "accessLog", "edges").([]any) {
		if get(e, "node", "operation") == "NgoLooks" && get(e, "node", "organisation", "code") == "reden" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the municipality does not see that the NGO read its citizen's referral: %v", d)
	}
	all := h.must(h.token("operator", exithub.RoleAuditor), `{ auditLog(first: 100) { edges { node { sub } } } }`, nil)
	muni := h.must(h.token("751", exithub.RoleAuditor), `{ auditLog(first: 100) { edges { node { sub } } } }`, nil)
	if len(get(all, "auditLog", "edges").([]any)) <= len(get(muni, "auditLog", "edges").([]any)) {
		t.Fatal("Aarhus's auditor sees as much as the operator's")
	}
	for _, e := range get(muni, "auditLog", "edges").([]any) {
		if strings.Contains(get(e, "node", "sub").(string), "@101") || get(e, "node", "sub") == "ngo_worker@reden" {
			t.Fatalf("Aarhus's auditor sees København's records: %v", e)
		}
	}
	if r := h.do(f.ngo, `{ auditLog { edges { cursor } } }`, nil); r.code() != exithub.EFORBIDDEN {
		t.Fatalf("an NGO reads the audit trail: %s", r.raw)
	}
}

func owner(t *testing.T, h *hub) *pgx.Conn {
	conn, err := pgx.Connect(context.Background(), h.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
