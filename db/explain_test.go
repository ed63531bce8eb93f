package db

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"exithub"
	"exithub/db/pgtest"
	"exithub/db/seed"
)

// plan returns the EXPLAIN output of a query as the role and organisation
// of a request, after ANALYZE.
func plan(t *testing.T, url, role, org, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := asRequest(ctx, RawConn(t, url), role, org, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, "EXPLAIN "+sql, args...)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// asRequest runs fn on conn in a transaction of the role and organisation
// of a request, as the hub's transactions begin.
func asRequest(ctx context.Context, conn *pgx.Conn, role, org string, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('role', $1, true), set_config('hub.org_id', $2, true)", role, org); err != nil {
			return err
		}
		return fn(tx)
	})
}

// bulkReferrals adds n referrals spread over ngos NGOs, straight as the
// owner, and analyzes.
func bulkReferrals(t *testing.T, url string, n, ngos int) (string, string) {
	t.Helper()
	ctx := context.Background()
	conn := RawConn(t, url)
	var err error
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
	  o AS (SELECT id, row_number() OVER (ORDER BY code) - 1 AS rn FROM hub.organisations WHERE code LIKE 'ngo-%')
	  INSERT INTO hub.consents (citizen_id, municipality_id, ngo_id, purpose, details, given_on, expires_on, created_at)
	  SELECT c.id, $1, o.id, 'p', '{ALIAS}', '2020-01-01', '2030-01-01', now() FROM c JOIN o ON o.rn = c.rn % $2::int`, muni, ngos)
	if err != nil {
		t.Fatal(err)
	}
	// Ten referrals per consent, the first of each in a statement of its
	// own and ANALYZE after it: the statistics triggers of a referral find
	// its person's rollups by index only once ANALYZE has seen some; planned
	// while they were empty, they scan them whole for every row, and one
	// statement of 20,000 referrals took a minute instead of seconds.
	for _, minutes := range [][2]int{{1, 1}, {2, 10}} {
		_, err = conn.Exec(ctx, `
		  INSERT INTO hub.referrals (citizen_id, municipality_id, from_id, ngo_id, consent_id, needs, message, contact, status, created_at, updated_at)
		  SELECT k.citizen_id, $1, $1, k.ngo_id, k.id, '{HOUSING}', 'm', 'c', 'REQUESTED', now() - make_interval(mins => g), now()
		  FROM hub.consents k, generate_series($2::int, $3::int) g WHERE k.municipality_id = $1`, muni, minutes[0], minutes[1])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
			t.Fatal(err)
		}
	}
	return muni, ngo
}

func TestReferralListsUseTheirIndexes(t *testing.T) {
	url := pgtest.NewDatabase(t)
	muni, ngo := bulkReferrals(t, url, 20000, 20)
	first := keysetBounds{order: "DESC", limit: 21}
	sql, args := referralListSQL("r.ngo_id = hub.org()", first, exithub.ReferralFilter{})
	inbox := plan(t, url, "exithub_ngo", ngo, sql, args...)
	if !strings.Contains(inbox, "referrals_inbox") || strings.Contains(inbox, "Seq Scan on referrals") {
		t.Fatalf("the NGO inbox does not use its index:\n%s", inbox)
	}
	sql, args = referralListSQL("r.municipality_id = hub.org()", first, exithub.ReferralFilter{})
	list := plan(t, url, "exithub_municipality", muni, sql, args...)
	if !strings.Contains(list, "referrals_by_municipality") {
		t.Fatalf("the municipality's list does not use its index:\n%s", list)
	}
	t.Logf("inbox plan:\n%s", inbox)
}

// genericPlan is the plan PostgreSQL keeps for sql once it has run a
// prepared statement five times (its generic plan, made without the
// arguments' values), EXPLAINed as the role and organisation of a request.
func genericPlan(t *testing.T, url, role, org, sql string, args ...any) string {
	t.Helper()
	ctx := context.Background()
	values := make([]string, len(args))
	for i, a := range args {
		values[i] = literal(t, a)
	}
	var out []string
	err := asRequest(ctx, RawConn(t, url), role, org, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('plan_cache_mode', 'force_generic_plan', true)"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "PREPARE page AS "+sql); err != nil {
			return err
		}
		// EXECUTE's arguments are literals: a utility statement takes no
		// protocol parameters.
		execute := "EXPLAIN EXECUTE page"
		if len(values) > 0 {
			execute += "(" + strings.Join(values, ", ") + ")"
		}
		rows, _ := tx.Query(ctx, execute)
		var err error
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}

// TestAnInboxPagesPlan checks the plans PostgreSQL makes for an NGO's
// inbox pages on a national seed, seeded once for its subtests (the seed is
// most of their time).
func TestAnInboxPagesPlan(t *testing.T) {
	url := pgtest.NewDatabase(t)
	if _, err := seed.National(context.Background(), url, 0.02); err != nil {
		t.Fatal(err)
	}
	ngo := orgID(t, url, "ngo-001")
	t.Run("ReadsOnlyItsPageInTheGenericPlan", func(t *testing.T) { readsOnlyItsPageInTheGenericPlan(t, url, ngo) })
	t.Run("IsPlannedOnceForAllItsRuns", func(t *testing.T) { isPlannedOnceForAllItsRuns(t, url, ngo) })
}

// readsOnlyItsPageInTheGenericPlan: after five runs of a prepared statement
// PostgreSQL may keep one plan for all arguments. For an NGO of a few
// hundred referrals the plan of an inbox with every optional condition
// written as "$n IS NULL OR ..." read all of them and sorted them for each
// page; the statement as sent must walk the inbox's index and stop at the
// page. The one sort it may have puts each referral's events in order, rows
// that come already in the page's order.
func readsOnlyItsPageInTheGenericPlan(t *testing.T, url, ngo string) {
	for name, page := range inboxPages(t) {
		got := genericPlan(t, url, "exithub_ngo", ngo, page.sql, page.args...)
		rest := eventsInOrder.ReplaceAllString(got, "")
		if !strings.Contains(got, "Index Scan using referrals_inbox") || strings.Contains(rest, "Sort") || strings.Contains(got, "Bitmap") {
			t.Errorf("the generic plan of the inbox's %s page does not walk its index to the page:\n%s", name, got)
		}
	}
}

// eventsInOrder is the sort of a page's rows that are in the page's order
// already, by their events' time.
var eventsInOrder = regexp.MustCompile(`Incremental Sort .*\n\s*Sort Key: r\.created_at (DESC, )?r\.id (DESC, )?e\.at, e\.id\n\s*Presorted Key: r\.created_at, r\.id\n`)

// isPlannedOnceForAllItsRuns: a connection that reads the same inbox page
// again and again keeps one plan for it after the fifth run, as it would
// for a statement that costs the same for every argument, instead of
// planning it anew every time (a fifth of a page's database CPU).
// PostgreSQL keeps planning a statement whose generic plan it estimates
// dearer than the plans it made for the arguments at hand, as it did for
// the page's LIMIT written as a parameter.
func isPlannedOnceForAllItsRuns(t *testing.T, url, ngo string) {
	for name, page := range inboxPages(t) {
		generic, custom := plansOfRuns(t, url, "exithub_ngo", ngo, 10, page.sql, page.args...)
		if custom > 5 || generic < 5 {
			t.Errorf("of 10 runs of the inbox's %s page %d were planned for their arguments and %d ran the kept plan", name, custom, generic)
		}
	}
}

// plansOfRuns runs sql n times on one connection, each in a transaction of
// the role and organisation, prepared once as pgx does in the hub's pool,
// and returns how many runs used the plan kept for all arguments and how
// many were planned for theirs.
func plansOfRuns(t *testing.T, url, role, org string, n int, sql string, args ...any) (generic, custom int) {
	t.Helper()
	ctx := context.Background()
	conn := RawConn(t, url)
	for range n {
		err := asRequest(ctx, conn, role, org, func(tx pgx.Tx) error {
			rows, _ := tx.Query(ctx, sql, args...)
			rows.Close()
			return rows.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := conn.QueryRow(ctx, "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1", sql).Scan(&generic, &custom)
	if err != nil {
		t.Fatal(err)
	}
	return generic, custom
}

// statement is an SQL statement and its arguments.
type statement struct {
	sql  string
	args []any
}

// inboxPages are the statements of an NGO's first inbox page and of a
// later one, whose cursor is a parameter, as FindReferrals sends them.
func inboxPages(t *testing.T) map[string]statement {
	t.Helper()
	first, firstArgs := inboxPage(t)
	k, err := keyset(exithub.Page{Size: 20, After: encodeCursor(time.Now(), "ffffffff-ffff-4fff-bfff-ffffffffffff")})
	if err != nil {
		t.Fatal(err)
	}
	later, laterArgs := inboxSQL(referralScopeColumn[exithub.ScopeAddressed]+" = hub.org()", k, exithub.ReferralFilter{},
		exithub.ReferralParts{Events: true, Brief: true, BriefEvents: true})
	return map[string]statement{"first": {first, firstArgs}, "later": {later, laterArgs}}
}

// inboxPage is the statement and arguments of an NGO's first inbox page as
// FindReferrals sends them.
func inboxPage(t *testing.T) (string, []any) {
	t.Helper()
	sql, args, err := InboxStatement(20)
	if err != nil {
		t.Fatal(err)
	}
	return sql, args
}

// literal is a as an SQL literal, for the kinds of arguments pages take.
func literal(t *testing.T, a any) string {
	t.Helper()
	switch v := a.(type) {
	case nil:
		return "NULL"
	case int:
		return fmt.Sprint(v)
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case time.Time:
		return "'" + v.Format(time.RFC3339Nano) + "'"
	}
	t.Fatalf("no literal for %T", a)
	return ""
}

// orgID is the id of the organisation with code.
func orgID(t *testing.T, url, code string) string {
	t.Helper()
	ctx := context.Background()
	var id string
	if err := RawConn(t, url).QueryRow(ctx, "SELECT id::text FROM hub.organisations WHERE code = $1", code).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestACitizensAccessLogIsFoundThroughItsIndex: a citizen's access log, as
// the hub asks for it as a municipality, finds the citizen's records
// through the index on citizen_refs, not by reading the municipality's
// whole trail; and it holds what the municipality may read and no more.
func TestACitizensAccessLogIsFoundThroughItsIndex(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	conn := RawConn(t, url)
	muni, other := "00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"
	for _, m := range []string{muni, other} {
		if _, err := conn.Exec(ctx, `INSERT INTO hub.organisations (id, code, name, kind) VALUES ($1, $2, $2, 'MUNICIPALITY')`, m, "90"+m[len(m)-1:]); err != nil {
			t.Fatal(err)
		}
	}
	// 20,000 records of the municipality naming 20 of 50,000 citizens each,
	// and the citizen's records: three of the municipality, one of another.
	if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (operation, municipality_id, citizen_refs, outcome)
	  SELECT 'Inbox', $1, ARRAY(SELECT md5((g * 20 + i) % 50000 || '') FROM generate_series(1, 20) i), 'OK'
	  FROM generate_series(1, 20000) g`, muni); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO hub.audit_log (operation, municipality_id, citizen_refs, outcome)
	  VALUES ('Citizen', $1, '{c0ffee}', 'OK'), ('Citizen', $1, '{c0ffee}', 'OK'), ('Citizen', $2, '{c0ffee}', 'OK'),
	         ('Citizen', $1, '{c0ffee}', 'OK')`, muni, other); err != nil {
		t.Fatal(err)
	}
	// As autovacuum would: the index's pending list, which every search
	// reads whole, moved into the index.
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE hub.audit_log"); err != nil {
		t.Fatal(err)
	}
	ref := "c0ffee"
	sql, args := auditPageSQL(auditRange{below: 1 << 62, order: "DESC", limit: exithub.AccessLogLimit}, muni, &ref, exithub.AuditFilter{})
	var recs []*exithub.AuditRecord
	var blocks int
	err := asRequest(ctx, conn, "exithub_municipality", muni, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, sql, args...)
		var err error
		if recs, err = pgx.CollectRows(rows, scanAudit); err != nil {
			return err
		}
		// The buffers a plan reports include those of the functions it
		// calls: the trail is some 2,500 blocks, the index a handful.
		var explained []struct {
			Plan struct {
				Hit  int `json:"Shared Hit Blocks"`
				Read int `json:"Shared Read Blocks"`
			}
		}
		if err := tx.QueryRow(ctx, "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "+sql, args...).Scan(&explained); err != nil {
			return err
		}
		blocks = explained[0].Plan.Hit + explained[0].Plan.Read
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 {
		t.Fatalf("the access log holds %d records, want the municipality's 3", len(recs))
	}
	if blocks > 50 {
		t.Fatalf("the access log of a citizen with 4 records read %d blocks", blocks)
	}
	t.Logf("%d blocks", blocks)
	// Called directly, the function returns what the policies would let the
	// role read: the municipality its own, an operator role speaking for a
	// municipality nothing.
	for _, c := range []struct {
		role, org string
		want      int
	}{{"exithub_municipality", muni, 3}, {"exithub_municipality", other, 1}, {"exithub_operator", muni, 0}} {
		err = asRequest(ctx, conn, c.role, c.org, func(tx pgx.Tx) error {
			var n int
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM hub.citizen_audit_log($1)", ref).Scan(&n); err != nil {
				return err
			}
			if n != c.want {
				t.Errorf("%s for %s reads %d of the citizen's records, want %d", c.role, c.org, n, c.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
