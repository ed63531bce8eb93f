package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"exithub"
	"exithub/db/seed"
)

func TestNationalSeedAtASmallScale(t *testing.T) {
	d, url := openDB(t)
	indexes := func() string {
		var s string
		if err := rawConn(t, url).QueryRow(context.Background(),
			`SELECT string_agg(indexdef, E'\n' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'hub'`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s == "" {
			t.Fatal("the hub schema has no indexes to compare")
		}
		return s
	}
	before := indexes()
	c, err := seed.National(context.Background(), url, 0.002)
	if err != nil {
		t.Fatal(err)
	}
	if after := indexes(); after != before {
		t.Fatalf("the load changed the indexes:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if c.Citizens != 2000 || c.Referrals != 6000 || c.Courses != 4000 || c.CourseEvents != 20000 || c.Municipalities != 98 || c.NGOs != 200 {
		t.Fatalf("national seed at 0.002: %+v", c)
	}
	var engagements, sources int
	if err := rawConn(t, url).QueryRow(context.Background(), `SELECT count(*), count(DISTINCT source_id) FROM hub.stats_engagements`).Scan(&engagements, &sources); err != nil {
		t.Fatal(err)
	}
	if engagements < c.Referrals+c.Courses {
		t.Fatalf("%d rollup rows for %d referrals and %d courses", engagements, c.Referrals, c.Courses)
	}
	counts, err := d.National(as(t, d, "ministry", exithub.RoleAnalyst), exithub.Date{Year: 2030, Month: 1, Day: 1})
	if err != nil {
		t.Fatal(err)
	}
	persons := 0
	for _, f := range counts {
		persons += f.N
	}
	if persons < c.Citizens/2 {
		t.Fatalf("statistics count %d persons among %d citizens", persons, c.Citizens)
	}
}

// TestStatisticsReadCheckpointsByIndex looks inside the statistics
// function (auto_explain, as a notice) over a national load: it must read
// one checkpoint and at most two weeks of changes by their indexes, and
// neither the engagements nor a personal table.
func TestStatisticsReadCheckpointsByIndex(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	if _, err := seed.National(ctx, url, 0.005); err != nil {
		t.Fatal(err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { plans = append(plans, n.Message) }
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `LOAD 'auto_explain'; SET auto_explain.log_min_duration = 0;
		SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice; SET client_min_messages = notice`)
	if err != nil {
		t.Fatal(err)
	}
	var cells int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM hub.statistics_cells('2019-06-15', true, false, false, false)").Scan(&cells); err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(plans, "\n")
	for _, want := range []string{"stats_checkpoints_by_day", "stats_deltas_by_day"} {
		if !strings.Contains(plan, want) {
			t.Errorf("the statistics do not use %s:\n%s", want, plan)
		}
	}
	for _, never := range []string{"stats_engagements", "stats_person_cells", "hub.citizens", "hub.referrals", "hub.courses", "Seq Scan on stats_"} {
		if strings.Contains(plan, never) {
			t.Errorf("the statistics read %s:\n%s", never, plan)
		}
	}
	if cells == 0 {
		t.Fatal("no cells for 2019-06-15 in a national load")
	}
}

// TestStatisticsDeltasMatchACountOfEveryPerson writes, after a national
// load, records dated in the past and today, as the triggers see them, and
// compares the figures from checkpoints and changes with a count of every
// person's counted engagement, on days before, between and after.
func TestStatisticsDeltasMatchACountOfEveryPerson(t *testing.T) {
	_, url := openDB(t)
	ctx := context.Background()
	if _, err := seed.National(ctx, url, 0.002); err != nil {
		t.Fatal(err)
	}
	conn := rawConn(t, url)
	_, err := conn.Exec(ctx, `
	WITH picked AS (SELECT id, municipality_id FROM hub.citizens ORDER BY id LIMIT 60),
	course AS (INSERT INTO hub.courses (citizen_id, municipality_id, served_by_id, kind, started_on, created_at)
	  SELECT id, municipality_id, municipality_id, (ARRAY['CTI','ORIENTATION','ACUTE_SUPPORT'])[1 + row_number() OVER () % 3],
	    date '2015-01-01' + (row_number() OVER () * 97 % 3000)::int, now() FROM picked RETURNING id, municipality_id, kind, started_on)
	INSERT INTO hub.course_events (course_id, municipality_id, kind, on_date, data, actor_sub, recorded_at)
	SELECT id, municipality_id, 'STARTED', started_on, jsonb_build_object('kind', kind, 'track', 'EXIT'), 't', now() FROM course;
	INSERT INTO hub.course_events (course_id, municipality_id, kind, on_date, data, actor_sub, recorded_at)
	SELECT id, municipality_id, k, started_on + d, data, 't', now() FROM hub.courses,
	  (VALUES ('TRACK_CHANGED', 40, '{"track": "LIFE_SITUATION"}'::jsonb), ('ENDED', 300, '{"outcomes": ["HOUSING_KEPT"]}'::jsonb)) v(k, d, data)
	WHERE kind = 'CTI' AND id IN (SELECT id FROM hub.courses ORDER BY created_at DESC LIMIT 60);
	INSERT INTO hub.referrals (citizen_id, municipality_id, from_id, external_offer, needs, message, contact, status, created_at, updated_at)
	SELECT id, municipality_id, municipality_id, 'x', '{HOUSING}', 'm', 'c', 'REQUESTED', t, t
	FROM (SELECT id, municipality_id, now() - (row_number() OVER () * 13 % 4000 || ' days')::interval AS t
	      FROM hub.citizens ORDER BY id DESC LIMIT 80) c`)
	if err != nil {
		t.Fatal(err)
	}
	for _, day := range []string{"2013-12-31", "2014-06-01", "2016-02-29", "2019-12-31", "2024-06-30", "2099-01-01"} {
		got := cellRows(t, conn, `SELECT * FROM hub.statistics_cells($1, true, true, true, true)`, day)
		want := cellRows(t, conn, `
		WITH counted AS (SELECT DISTINCT ON (person_key) * FROM hub.stats_engagements WHERE on_date <= $1::date
		                 ORDER BY person_key, rank, on_date DESC, id DESC)
		SELECT CASE c.rank WHEN 1 THEN 'CTI' WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT' ELSE 'REFERRED_ELSEWHERE' END,
		  CASE WHEN c.rank = 1 THEN CASE WHEN EXISTS (SELECT 1 FROM hub.stats_course_changes x
		    WHERE x.engagement_id = c.id AND x.ended AND x.on_date <= $1::date) THEN 'ENDED' ELSE 'OPEN' END END,
		  CASE WHEN c.rank = 1 THEN (SELECT x.track FROM hub.stats_course_changes x WHERE x.engagement_id = c.id
		    AND x.track IS NOT NULL AND x.on_date <= $1::date ORDER BY x.on_date DESC, x.seq DESC LIMIT 1) END,
		  c.municipality_id, c.home_id, coalesce(c.gender, 'UNKNOWN'), hub.birth_year_band(c.birth_year), count(*),
		  sum(hub.stats_key(c.person_key))::bigint
		FROM counted c GROUP BY 1, 2, 3, 4, 5, 6, 7`, day)
		if len(got) == 0 && day > "2014" {
			t.Fatalf("no figures for %s", day)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%s: %d cells from the checkpoints, %d counted; first difference:\n%s", day, len(got), len(want), firstDiff(got, want))
		}
	}
}

func cellRows(t *testing.T, conn *pgx.Conn, sql, day string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, day)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		v, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(v...))
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	slices.Sort(out)
	return out
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return "(one is a prefix of the other)"
}
