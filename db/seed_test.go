package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"exithub/db/seed"
)

func countCategories(t *testing.T, url, day string) map[string]int {
	t.Helper()
	out, err := seed.CountCategories(context.Background(), url, day)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDemoGivesTheMinistersTable(t *testing.T) {
	_, url := openDB(t)
	got := countCategories(t, url, "2014-03-18")
	want := map[string]int{"CTI/EXIT": 11, "CTI/LIFE_SITUATION": 29, "ORIENTATION": 23, "ACUTE_SUPPORT": 13, "REFERRED_ELSEWHERE": 15}
	total := 0
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d persons, the minister says %d", k, got[k], n)
		}
		total += got[k]
	}
	if total != 91 || len(got) != len(want) {
		t.Errorf("%d persons in %v, want 91", total, got)
	}
}

func TestDemoGivesTheMinistersMoney(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var frame, granted, disbursed int64
	err = conn.QueryRow(ctx, `SELECT p.frame_ore,
		(SELECT sum(amount_ore) FROM hub.grants g WHERE g.programme_id = p.id AND g.decided_on <= '2014-03-18'),
		(SELECT sum(x.amount_ore) FROM hub.disbursements x JOIN hub.grants g ON g.id = x.grant_id
		  WHERE g.programme_id = p.id AND x.paid_on <= '2014-03-18')
		FROM hub.programmes p WHERE p.code = $1`, seed.Programme).Scan(&frame, &granted, &disbursed)
	if err != nil {
		t.Fatal(err)
	}
	if frame != 4_600_000_000 || granted != 3_280_000_000 || disbursed != 1_220_000_000 || frame-granted != 1_320_000_000 {
		t.Fatalf("frame %d, granted %d, disbursed %d øre; want 46.0, 32.8, 12.2 mio (13.2 not granted)", frame, granted, disbursed)
	}
	var municipal int64
	err = conn.QueryRow(ctx, `SELECT sum(amount_ore) FROM hub.grants g JOIN hub.budget_lines l ON l.id = g.budget_line_id
		WHERE l.code = 'MUNICIPAL'`).Scan(&municipal)
	if err != nil {
		t.Fatal(err)
	}
	if municipal != 2_330_000_000 {
		t.Fatalf("municipal grants %d øre, want 23.3 mio split by population", municipal)
	}
}

func TestDemoSeedIsIdempotent(t *testing.T) {
	_, url := openDB(t)
	before := rowCounts(t, url)
	if err := seed.Demo(context.Background(), url, testKey); err != nil {
		t.Fatal(err)
	}
	after := rowCounts(t, url)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows before the second seed, %d after", table, n, after[table])
		}
	}
}

func rowCounts(t *testing.T, url string) map[string]int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	out := map[string]int{}
	for _, table := range []string{"organisations", "populations", "citizens", "consents", "referrals", "referral_events",
		"courses", "course_events", "programmes", "budget_lines", "grants", "disbursements", "crossmunicipal_agreements"} {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM hub."+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}
