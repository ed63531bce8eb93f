package db

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub/db/pgtest"
)

// plan returns the EXPLAIN output of a query as the role and organisation
// of a request, after ANALYZE.
func plan(t *testing.T, url, role, org, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out []string
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('role', $1, true), set_config('hub.org_id', $2, true)", role, org); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, "EXPLAIN "+sql, args...)
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// bulkReferrals adds n referrals spread over ngos NGOs, straight as the
// owner, and analyzes.
func bulkReferrals(t *testing.T, url string, n, ngos int) (string, string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var muni, ngo string
	err = conn.QueryRow(ctx, `INSERT INTO hub.organisations (code, name, kind) VALUES ('199', 'Testkommune', 'MUNICIPALITY') RETURNING id`).Scan(&muni)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < ngos; i++ {
		err = conn.QueryRow(ctx, `INSERT INTO hub.organisations (code, name, kind) VALUES ($1, $1, 'NGO') RETURNING id`, fmt.Sprintf("ngo-%03d", i)).Scan(&ngo)
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = conn.Exec(ctx, `
	  INSERT INTO hub.citizens (id, municipality_id, home_id, alias, created_at, updated_at)
	  SELECT gen_random_uuid(), $1, $1, 'c' || g, now(), now() FROM generate_series(1, $2::int) g
	  `, muni, n/10)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `
	  WITH c AS (SELECT id, row_number() OVER () AS rn FROM hub.citizens WHERE municipality_id = $1),
	  o AS (SELECT id, row_number() OVER (ORDER BY code) - 1 AS rn FROM hub.organisations WHERE code LIKE 'ngo-%'),
	  k AS (INSERT INTO hub.consents (citizen_id, municipality_id, ngo_id, purpose, details, given_on, expires_on, created_at)
	        SELECT c.id, $1, o.id, 'p', '{ALIAS}', '2020-01-01', '2030-01-01', now() FROM c JOIN o ON o.rn = c.rn % $2::int
	        RETURNING id, citizen_id, ngo_id)
	  INSERT INTO hub.referrals (citizen_id, municipality_id, from_id, ngo_id, consent_id, needs, message, contact, status, created_at, updated_at)
	  SELECT k.citizen_id, $1, $1, k.ngo_id, k.id, '{HOUSING}', 'm', 'c', 'REQUESTED', now() - (g || ' minutes')::interval, now()
	  FROM k, generate_series(1, 10) g`, muni, ngos)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	return muni, ngo
}

func TestReferralListsUseTheirIndexes(t *testing.T) {
	url := pgtest.NewDatabase(t)
	muni, ngo := bulkReferrals(t, url, 20000, 20)
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	inbox := plan(t, url, "exithub_ngo", ngo, referralListSQL("r.ngo_id = hub.org()", "DESC"), far, "ffffffff-ffff-ffff-ffff-ffffffffffff", nil, nil, 21, farPast, "00000000-0000-0000-0000-000000000000")
	if !strings.Contains(inbox, "referrals_inbox") || strings.Contains(inbox, "Seq Scan on referrals") {
		t.Fatalf("the NGO inbox does not use its index:\n%s", inbox)
	}
	list := plan(t, url, "exithub_municipality", muni, referralListSQL("r.municipality_id = hub.org()", "DESC"), far, "ffffffff-ffff-ffff-ffff-ffffffffffff", nil, nil, 21, farPast, "00000000-0000-0000-0000-000000000000")
	if !strings.Contains(list, "referrals_by_municipality") {
		t.Fatalf("the municipality's list does not use its index:\n%s", list)
	}
	t.Logf("inbox plan:\n%s", inbox)
}
