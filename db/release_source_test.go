package db_test

import (
	"context"
	"testing"
)

// The true cells a release is computed from agree with SQL over the raw
// records (with no bound on records per person, so that they can), and
// every persons table counts the same persons as the national invariant.
func TestReleaseSourceAgreesWithTheRecords(t *testing.T) {
	_, url := openDB(t)
	conn := rawConn(t, url)
	ctx := context.Background()
	one := func(sql string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	source := func(day, tbl, key string) int {
		return one(`SELECT coalesce(sum(n), 0)::int FROM hub.release_source($1, 1000) WHERE tbl = $2 AND ($3 = '*' OR key = $3)`, day, tbl, key)
	}
	checks := []struct {
		tbl, key, sql string
	}{
		{"courses_started", "ORIENTATION|", `SELECT count(*) FROM hub.courses WHERE kind = 'ORIENTATION' AND started_on BETWEEN $1 AND $2`},
		{"courses_started", "*", `SELECT count(*) FROM hub.courses WHERE started_on BETWEEN $1 AND $2`},
		{"courses_ended", "*", `SELECT count(*) FROM hub.course_events WHERE kind = 'ENDED' AND on_date BETWEEN $1 AND $2`},
		{"referrals_by_ngo", "*", `SELECT count(*) FROM hub.referrals WHERE $1 = $1 AND (created_at AT TIME ZONE 'Europe/Copenhagen')::date <= $2`},
		{"referrals_by_ngo", "", `SELECT count(*) FROM hub.referrals WHERE $1 = $1 AND ngo_id IS NULL AND (created_at AT TIME ZONE 'Europe/Copenhagen')::date <= $2`},
		{"referrals_by_status", "REJECTED", `SELECT count(*) FROM hub.referrals r WHERE $1 = $1 AND (SELECT e.to_status FROM hub.referral_events e
			WHERE e.referral_id = r.id AND e.kind = 'TRANSITION' AND (e.at AT TIME ZONE 'Europe/Copenhagen')::date <= $2 ORDER BY e.at DESC LIMIT 1) = 'REJECTED'`},
		{"outcomes", "*", `SELECT count(*) FROM hub.course_events e JOIN hub.courses c ON c.id = e.course_id AND c.kind = 'CTI',
			jsonb_array_elements_text(coalesce(e.data->'outcomes', '[]')) o WHERE $1 = $1 AND e.kind = 'ENDED' AND e.on_date <= $2`},
		{"crossmunicipal_agreements", "", `SELECT count(*) FROM hub.crossmunicipal_agreements WHERE $1 = $1 AND (created_at AT TIME ZONE 'Europe/Copenhagen')::date <= $2`},
	}
	seen := make([]int, len(checks))
	for _, month := range [][2]string{{"2014-02-01", "2014-02-28"}, {"2014-04-01", "2014-04-30"}, {"2015-02-01", "2015-02-28"}} {
		first, day := month[0], month[1]
		persons := one(`SELECT sum(persons)::int FROM hub.statistics_cells($1, false, false, false, false)`, day)
		for _, tbl := range []string{"persons", "persons/MUNICIPALITY", "persons/HOME_MUNICIPALITY", "persons/GENDER", "persons/BIRTH_YEAR_BAND"} {
			if got := source(day, tbl, "*"); got != persons || persons == 0 {
				t.Errorf("%s on %s counts %d persons; the invariant %d", tbl, day, got, persons)
			}
		}
		for i, c := range checks {
			want := one(c.sql, first, day)
			seen[i] += want
			if got := source(day, c.tbl, c.key); got != want {
				t.Errorf("%s %q on %s: the release source holds %d, the records %d", c.tbl, c.key, day, got, want)
			}
		}
	}
	for i, c := range checks {
		if seen[i] == 0 {
			t.Errorf("%s %q: the demo has none in the months checked; the check proves nothing", c.tbl, c.key)
		}
	}
}
