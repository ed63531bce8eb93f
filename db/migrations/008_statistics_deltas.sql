-- Statistics as of any day without counting a million people per request.
--
-- A person is counted once, in the cell of their counted engagement; that
-- cell changes only on the days their records change. So each person has a
-- timeline (hub.stats_person_cells: the cell from a day on), the timelines
-- add up to signed daily changes per cell (hub.stats_deltas), and every
-- fourteen days a checkpoint holds the sum of all changes before it
-- (hub.stats_checkpoints). The figures for a day are the latest checkpoint
-- plus at most two weeks of changes: tens of thousands of rows at national
-- scale instead of every engagement. Cells carry the birth-year band, the
-- finest age the statistics publish, not the birth year.
--
-- A record written today adds rows for today only; a record dated in the
-- past also corrects the checkpoints after its day.

CREATE FUNCTION hub.birth_year_band(y integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN y IS NULL THEN 'UNKNOWN' ELSE (y / 10 * 10)::text || '-' || (y / 10 * 10 + 9)::text END
$$;

-- A person's record key: the first four bytes of their person key, summed
-- into a cell's key for perturbation.
CREATE FUNCTION hub.stats_key(pk bytea) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT ('x' || encode(substr(pk, 1, 4), 'hex'))::bit(32)::bigint
$$;

CREATE UNIQUE INDEX stats_course_changes_once ON hub.stats_course_changes (engagement_id, seq);

-- Each person's cell on every day their records change, merged where it
-- stays the same. The view is the definition; the table below stores it.
CREATE VIEW hub.stats_timelines AS
WITH days AS (
  SELECT person_key, on_date AS day FROM hub.stats_engagements
  UNION
  SELECT s.person_key, x.on_date FROM hub.stats_engagements s JOIN hub.stats_course_changes x ON x.engagement_id = s.id
  WHERE s.rank = 1
), cells AS (
  SELECT d.person_key, d.day, c.rank, c.course_state, c.track, c.municipality_id, c.home_id, c.gender, c.band
  FROM days d CROSS JOIN LATERAL (
    SELECT s.rank,
      CASE WHEN s.rank = 1 THEN CASE WHEN EXISTS (SELECT 1 FROM hub.stats_course_changes x
        WHERE x.engagement_id = s.id AND x.ended AND x.on_date <= d.day) THEN 'ENDED' ELSE 'OPEN' END END AS course_state,
      CASE WHEN s.rank = 1 THEN (SELECT x.track FROM hub.stats_course_changes x WHERE x.engagement_id = s.id
        AND x.track IS NOT NULL AND x.on_date <= d.day ORDER BY x.on_date DESC, x.seq DESC LIMIT 1) END AS track,
      s.municipality_id, s.home_id, coalesce(s.gender, 'UNKNOWN') AS gender, hub.birth_year_band(s.birth_year) AS band
    FROM hub.stats_engagements s WHERE s.person_key = d.person_key AND s.on_date <= d.day
    ORDER BY s.rank, s.on_date DESC, s.id DESC LIMIT 1) c
), marked AS (
  SELECT cells.*, ROW(rank, course_state, track, municipality_id, home_id, gender, band) IS DISTINCT FROM
    lag(ROW(rank, course_state, track, municipality_id, home_id, gender, band)) OVER (PARTITION BY person_key ORDER BY day) AS changed
  FROM cells
)
SELECT person_key, day AS from_date, rank::smallint AS rank, course_state, track, municipality_id, home_id, gender, band
FROM marked WHERE changed;
REVOKE ALL ON hub.stats_timelines FROM PUBLIC;

CREATE TABLE hub.stats_person_cells (
  person_key      bytea NOT NULL,
  from_date       date NOT NULL,
  rank            smallint NOT NULL,
  course_state    text,
  track           text,
  municipality_id uuid NOT NULL,
  home_id         uuid NOT NULL,
  gender          text NOT NULL,
  band            text NOT NULL,
  PRIMARY KEY (person_key, from_date)
);

CREATE TABLE hub.stats_deltas (
  on_date         date NOT NULL,
  rank            smallint NOT NULL,
  course_state    text,
  track           text,
  municipality_id uuid NOT NULL,
  home_id         uuid NOT NULL,
  gender          text NOT NULL,
  band            text NOT NULL,
  persons         bigint NOT NULL,
  key_sum         bigint NOT NULL
);
CREATE INDEX stats_deltas_by_day ON hub.stats_deltas (on_date);

CREATE TABLE hub.stats_checkpoint_dates (at date PRIMARY KEY);

-- The sum of every change dated before `at`.
CREATE TABLE hub.stats_checkpoints (
  at              date NOT NULL,
  rank            smallint NOT NULL,
  course_state    text,
  track           text,
  municipality_id uuid NOT NULL,
  home_id         uuid NOT NULL,
  gender          text NOT NULL,
  band            text NOT NULL,
  persons         bigint NOT NULL,
  key_sum         bigint NOT NULL
);
CREATE INDEX stats_checkpoints_by_day ON hub.stats_checkpoints (at);

ALTER TABLE hub.stats_person_cells     ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_deltas           ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_checkpoint_dates ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_checkpoints      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- No grants: only the owner's functions read and write them.

-- The signed changes a person's timeline contributes: +1 in a cell from the
-- day it starts, -1 from the day the next one starts.
CREATE FUNCTION hub.stats_timeline_deltas(segs hub.stats_person_cells[], sign integer)
RETURNS SETOF hub.stats_deltas LANGUAGE sql IMMUTABLE AS $$
SELECT v.on_date, s.rank, s.course_state, s.track, s.municipality_id, s.home_id, s.gender, s.band,
  (sign * v.n)::bigint, sign * v.n * hub.stats_key(s.person_key)
FROM (SELECT u.*, lead(u.from_date) OVER (ORDER BY u.from_date) AS until FROM unnest(segs) u) s
CROSS JOIN LATERAL (VALUES (s.from_date, 1), (s.until, -1)) v(on_date, n)
WHERE v.on_date IS NOT NULL
$$;

-- Adds changes to the day's changes and to every checkpoint after their
-- day. Rows are only ever appended (a query sums them, a rebuild compacts
-- them), so concurrent writers neither wait for nor deadlock on each other.
CREATE FUNCTION hub.stats_apply(diff hub.stats_deltas[]) RETURNS void LANGUAGE sql AS $$
INSERT INTO hub.stats_deltas SELECT * FROM unnest(diff);
INSERT INTO hub.stats_checkpoints
SELECT c.at, d.rank, d.course_state, d.track, d.municipality_id, d.home_id, d.gender, d.band, d.persons, d.key_sum
FROM unnest(diff) d JOIN hub.stats_checkpoint_dates c ON c.at > d.on_date;
$$;

-- Recomputes one person's timeline and applies the difference. The
-- advisory lock serialises two transactions changing the same person.
CREATE FUNCTION hub.stats_refresh_person(pk bytea) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  old_segs hub.stats_person_cells[];
  new_segs hub.stats_person_cells[];
  diff hub.stats_deltas[];
BEGIN
  PERFORM pg_advisory_xact_lock(hub.stats_key(pk));
  SELECT coalesce(array_agg(c ORDER BY c.from_date), '{}') INTO old_segs FROM hub.stats_person_cells c WHERE c.person_key = pk;
  SELECT coalesce(array_agg(ROW(t.*)::hub.stats_person_cells ORDER BY t.from_date), '{}') INTO new_segs
  FROM hub.stats_timelines t WHERE t.person_key = pk;
  IF old_segs = new_segs THEN
    RETURN;
  END IF;
  SELECT coalesce(array_agg(ROW(x.on_date, x.rank, x.course_state, x.track, x.municipality_id, x.home_id, x.gender, x.band,
      x.persons, x.key_sum)::hub.stats_deltas), '{}') INTO diff
  FROM (SELECT on_date, rank, course_state, track, municipality_id, home_id, gender, band, sum(persons) AS persons, sum(key_sum) AS key_sum
        FROM (SELECT * FROM hub.stats_timeline_deltas(new_segs, 1) UNION ALL SELECT * FROM hub.stats_timeline_deltas(old_segs, -1)) u
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(persons) <> 0 OR sum(key_sum) <> 0) x;
  PERFORM hub.stats_apply(diff);
  DELETE FROM hub.stats_person_cells WHERE person_key = pk;
  INSERT INTO hub.stats_person_cells SELECT * FROM unnest(new_segs);
END $$;

CREATE FUNCTION hub.stats_on_engagement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  PERFORM hub.stats_refresh_person(NEW.person_key);
  RETURN NULL;
END $$;
CREATE TRIGGER stats_timeline_on_engagement AFTER INSERT OR UPDATE OF rank, on_date, municipality_id, home_id, gender, birth_year
  ON hub.stats_engagements FOR EACH ROW EXECUTE FUNCTION hub.stats_on_engagement();

CREATE FUNCTION hub.stats_on_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  PERFORM hub.stats_refresh_person((SELECT person_key FROM hub.stats_engagements WHERE id = NEW.engagement_id));
  RETURN NULL;
END $$;
CREATE TRIGGER stats_timeline_on_change AFTER INSERT ON hub.stats_course_changes
  FOR EACH ROW EXECUTE FUNCTION hub.stats_on_change();

-- Checkpoints fall every fourteen days from a fixed Monday: a query adds at
-- most two weeks of changes to one.
CREATE FUNCTION hub.stats_grid(d date) RETURNS date LANGUAGE sql IMMUTABLE AS $$
  SELECT date '2000-01-03' + (d - date '2000-01-03') / 14 * 14
$$;

-- Adds the checkpoints due up to a day. The lock waits for writers in
-- flight and holds new ones back, so no change can miss a checkpoint
-- being made; it also makes a second instance wait and then find nothing
-- due.
CREATE FUNCTION hub.stats_make_checkpoints(upto date) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
DECLARE
  prev date;
  made integer := 0;
BEGIN
  IF (SELECT max(at) FROM hub.stats_checkpoint_dates) + 14 > upto THEN
    RETURN 0; -- nothing due: don't take the lock
  END IF;
  LOCK TABLE hub.stats_deltas IN SHARE ROW EXCLUSIVE MODE;
  SELECT max(at) INTO prev FROM hub.stats_checkpoint_dates;
  IF prev IS NULL THEN
    SELECT hub.stats_grid(min(on_date)) INTO prev FROM hub.stats_deltas;
    IF prev IS NULL THEN
      RETURN 0;
    END IF;
    INSERT INTO hub.stats_checkpoint_dates VALUES (prev);
  END IF;
  WHILE prev + 14 <= upto LOOP
    INSERT INTO hub.stats_checkpoint_dates VALUES (prev + 14);
    INSERT INTO hub.stats_checkpoints
    SELECT prev + 14, rank, course_state, track, municipality_id, home_id, gender, band, sum(persons), sum(key_sum)
    FROM (SELECT rank, course_state, track, municipality_id, home_id, gender, band, persons, key_sum
          FROM hub.stats_checkpoints WHERE at = prev
          UNION ALL
          SELECT rank, course_state, track, municipality_id, home_id, gender, band, persons, key_sum
          FROM hub.stats_deltas WHERE on_date >= prev AND on_date < prev + 14) x
    GROUP BY 2, 3, 4, 5, 6, 7, 8 HAVING sum(persons) <> 0;
    prev := prev + 14;
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;
REVOKE ALL ON FUNCTION hub.stats_make_checkpoints FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.stats_make_checkpoints TO exithub_app;

-- Every checkpoint from the changes in one pass: running sums per cell
-- over the fortnights, each held until the cell's next change.
CREATE FUNCTION hub.stats_rebuild_checkpoints() RETURNS void LANGUAGE sql AS $$
INSERT INTO hub.stats_checkpoint_dates
SELECT g::date FROM generate_series((SELECT hub.stats_grid(min(on_date)) FROM hub.stats_deltas), current_date, interval '14 days') g;
WITH per AS (
  SELECT rank, course_state, track, municipality_id, home_id, gender, band,
    hub.stats_grid(on_date) AS period, sum(persons) AS persons, sum(key_sum) AS key_sum
  FROM hub.stats_deltas GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
), runs AS (
  SELECT per.*,
    sum(persons) OVER w AS total, sum(key_sum) OVER w AS total_key,
    lead(period) OVER (PARTITION BY rank, course_state, track, municipality_id, home_id, gender, band ORDER BY period) AS next_period
  FROM per
  WINDOW w AS (PARTITION BY rank, course_state, track, municipality_id, home_id, gender, band ORDER BY period)
)
INSERT INTO hub.stats_checkpoints
SELECT c.at, r.rank, r.course_state, r.track, r.municipality_id, r.home_id, r.gender, r.band, r.total, r.total_key
FROM runs r JOIN hub.stats_checkpoint_dates c ON c.at > r.period AND (r.next_period IS NULL OR c.at <= r.next_period)
WHERE r.total <> 0
ORDER BY c.at; -- a checkpoint's rows together on disk
$$;

-- Rebuilds every timeline, change and checkpoint from the rollups: after
-- this migration, and after a bulk load (`exithub seed national`).
CREATE FUNCTION hub.stats_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE hub.stats_checkpoints, hub.stats_checkpoint_dates, hub.stats_deltas, hub.stats_person_cells;
  INSERT INTO hub.stats_person_cells SELECT * FROM hub.stats_timelines;
  ANALYZE hub.stats_person_cells;
  INSERT INTO hub.stats_deltas
  SELECT on_date, rank, course_state, track, municipality_id, home_id, gender, band, sum(n), sum(n * hub.stats_key(person_key))
  FROM (SELECT s.*, lead(s.from_date) OVER (PARTITION BY s.person_key ORDER BY s.from_date) AS until
        FROM hub.stats_person_cells s) s
  CROSS JOIN LATERAL (VALUES (s.from_date, 1), (s.until, -1)) v(on_date, n)
  WHERE v.on_date IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0 OR sum(n * hub.stats_key(person_key)) <> 0
  ORDER BY 1; -- a day's rows together on disk: a query reads pages, not scattered rows
  ANALYZE hub.stats_deltas;
  -- Millions of rows at national scale: index them once, after.
  DROP INDEX hub.stats_checkpoints_by_day;
  PERFORM hub.stats_rebuild_checkpoints();
  CREATE INDEX stats_checkpoints_by_day ON hub.stats_checkpoints (at);
  ANALYZE hub.stats_checkpoints, hub.stats_checkpoint_dates;
END $$;
REVOKE ALL ON FUNCTION hub.stats_rebuild FROM PUBLIC;

-- Builds the rollups for records copied with the triggers off, then
-- rebuilds the timelines. Conflicts, not anti-joins, skip what exists, so
-- the plan does not hinge on the statistics of tables just filled.
CREATE OR REPLACE FUNCTION hub.stats_backfill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE hub.stats_engagements DISABLE TRIGGER stats_timeline_on_engagement;
  ALTER TABLE hub.stats_course_changes DISABLE TRIGGER stats_timeline_on_change;
  -- Each person's key is hashed once, not once per record.
  CREATE TEMP TABLE stats_people ON COMMIT DROP AS
  SELECT c.id, hub.person_key(c.pseudonym, c.id) AS person_key, c.home_id, c.gender, c.birth_year FROM hub.citizens c;
  ANALYZE stats_people;
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT c.person_key, CASE co.kind WHEN 'CTI' THEN 1 WHEN 'ORIENTATION' THEN 2 ELSE 3 END,
    co.started_on, co.served_by_id, c.home_id, c.gender, c.birth_year, co.id
  FROM hub.courses co JOIN stats_people c ON c.id = co.citizen_id
  ON CONFLICT (source_id) DO NOTHING;
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT c.person_key, 4, (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date,
    r.from_id, c.home_id, c.gender, c.birth_year, r.id
  FROM hub.referrals r JOIN stats_people c ON c.id = r.citizen_id
  ON CONFLICT (source_id) DO NOTHING;
  DROP TABLE stats_people;
  ANALYZE hub.stats_engagements;
  INSERT INTO hub.stats_course_changes (engagement_id, on_date, seq, track, ended, outcomes)
  SELECT s.id, e.on_date, e.seq, e.data->>'track', e.kind = 'ENDED',
    coalesce(ARRAY(SELECT jsonb_array_elements_text(e.data->'outcomes')), '{}')
  FROM hub.course_events e JOIN hub.stats_engagements s ON s.source_id = e.course_id AND s.rank = 1
  WHERE e.kind IN ('STARTED', 'TRACK_CHANGED', 'ENDED')
  ON CONFLICT (engagement_id, seq) DO NOTHING;
  ANALYZE hub.stats_course_changes;
  PERFORM hub.stats_rebuild();
  ALTER TABLE hub.stats_engagements ENABLE TRIGGER stats_timeline_on_engagement;
  ALTER TABLE hub.stats_course_changes ENABLE TRIGGER stats_timeline_on_change;
END $$;
REVOKE ALL ON FUNCTION hub.stats_backfill FROM PUBLIC;

-- The persons helped on a day, from the latest checkpoint and the changes
-- since, aggregated to the dimensions asked for (a dimension not asked for
-- comes back NULL), with each cell's key.
CREATE FUNCTION hub.statistics_cells(d date, by_municipality boolean, by_home boolean, by_gender boolean, by_band boolean)
RETURNS TABLE (category text, course_state text, track text, municipality_id uuid, home_id uuid,
               gender text, band text, persons bigint, key_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp SET jit = off AS $$
WITH c AS (SELECT coalesce(max(at), '-infinity'::date) AS at FROM hub.stats_checkpoint_dates WHERE at <= d + 1)
SELECT CASE x.rank WHEN 1 THEN 'CTI' WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT' ELSE 'REFERRED_ELSEWHERE' END,
  x.course_state, x.track,
  CASE WHEN by_municipality THEN x.municipality_id END, CASE WHEN by_home THEN x.home_id END,
  CASE WHEN by_gender THEN x.gender END, CASE WHEN by_band THEN x.band END,
  sum(x.persons)::bigint, sum(x.key_sum)::bigint
FROM (SELECT k.rank, k.course_state, k.track, k.municipality_id, k.home_id, k.gender, k.band, k.persons, k.key_sum
      FROM hub.stats_checkpoints k, c WHERE k.at = c.at
      UNION ALL
      SELECT t.rank, t.course_state, t.track, t.municipality_id, t.home_id, t.gender, t.band, t.persons, t.key_sum
      FROM hub.stats_deltas t, c WHERE t.on_date >= c.at AND t.on_date <= d) x
GROUP BY x.rank, 2, 3, 4, 5, 6, 7 HAVING sum(x.persons) > 0
$$;
REVOKE ALL ON FUNCTION hub.statistics_cells FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.statistics_cells TO exithub_ministry, exithub_agency, exithub_evaluator;

DROP FUNCTION hub.statistics_facts(date);

SELECT hub.stats_backfill();
