package seed

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// categoriesSQL counts persons as of a day from the raw records: each
// person (a pseudonym, or an anonymous record) once, in the first category
// that applies.
//
// It is the tests' oracle, so it writes the rules out again on purpose and
// calls none of the hub's SQL functions for them (hub.category_rank,
// hub.counted_engagement, hub.course_track_on and the rest of migration
// 012): a slip in those must show up as a difference here, not repeat here.
const categoriesSQL = `
WITH persons AS (
  SELECT c.id, coalesce(encode(c.pseudonym, 'hex'), c.id::text) AS person FROM hub.citizens c
), cti AS (
  SELECT co.citizen_id, (SELECT e.data->>'track' FROM hub.course_events e
     WHERE e.course_id = co.id AND e.kind IN ('STARTED','TRACK_CHANGED') AND e.on_date <= $1
     ORDER BY e.on_date DESC, e.seq DESC LIMIT 1) AS track, co.started_on
  FROM hub.courses co WHERE co.kind = 'CTI' AND co.started_on <= $1
), engagement AS (
  SELECT p.person, 1 AS rank, t.track FROM persons p JOIN cti t ON t.citizen_id = p.id
  UNION ALL SELECT p.person, 2, NULL FROM persons p JOIN hub.courses co ON co.citizen_id = p.id
    WHERE co.kind = 'ORIENTATION' AND co.started_on <= $1
  UNION ALL SELECT p.person, 3, NULL FROM persons p JOIN hub.courses co ON co.citizen_id = p.id
    WHERE co.kind = 'ACUTE_SUPPORT' AND co.started_on <= $1
  UNION ALL SELECT p.person, 4, NULL FROM persons p JOIN hub.referrals r ON r.citizen_id = p.id
    WHERE (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date <= $1
), ranked AS (
  SELECT DISTINCT ON (person) person, rank, track FROM engagement ORDER BY person, rank, track
)
SELECT CASE rank WHEN 1 THEN 'CTI/' || track WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT'
  ELSE 'REFERRED_ELSEWHERE' END, count(*) FROM ranked GROUP BY 1 ORDER BY 1`

// CountCategories counts persons helped as of a day straight from the raw
// records, independently of the hub's statistics, so that tests can hold
// the statistics (and the demo) against the records themselves.
func CountCategories(ctx context.Context, ownerURL, day string) (map[string]int, error) {
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, categoriesSQL, day)
	out := map[string]int{}
	var k string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&k, &n}, func() error { out[k] = n; return nil })
	return out, err
}
