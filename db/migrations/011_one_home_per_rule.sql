-- One home per rule. Two rules of the statistics were written out wherever
-- they were needed: a person is counted once, in the first category that
-- applies (CTI, then ORIENTATION, then ACUTE_SUPPORT, then
-- REFERRED_ELSEWHERE), and a CTI course's track on a day is the latest
-- track set on or before it. Each now has named functions, and every live
-- function, trigger function and view that applied a rule calls them; what
-- they compute is unchanged. The seed's checker (db/seed/check.go) keeps
-- its own independent copy on purpose: it is the tests' oracle.
--
-- The functions are plain LANGUAGE sql, without SECURITY DEFINER or SET,
-- so that PostgreSQL inlines them into their callers and the plans stay
-- those of the written-out rules.

-- The first category wins: a category's rank, 1 first.
CREATE FUNCTION hub.category_rank(category text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE category WHEN 'CTI' THEN 1 WHEN 'ORIENTATION' THEN 2 WHEN 'ACUTE_SUPPORT' THEN 3
                        WHEN 'REFERRED_ELSEWHERE' THEN 4 END)::smallint
$$;

-- The category of a rank.
CREATE FUNCTION hub.category_of_rank(rank smallint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE rank WHEN 1 THEN 'CTI' WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT' ELSE 'REFERRED_ELSEWHERE' END
$$;

-- The engagement a person is counted by on a day: the first category that
-- applies, and within it the latest engagement begun by then.
CREATE FUNCTION hub.counted_engagement(pk bytea, d date) RETURNS SETOF hub.stats_engagements
LANGUAGE sql STABLE AS $$
  SELECT s.* FROM hub.stats_engagements s WHERE s.person_key = pk AND s.on_date <= d
  ORDER BY s.rank, s.on_date DESC, s.id DESC LIMIT 1
$$;

-- The track of a CTI engagement on a day, from the rollups.
CREATE FUNCTION hub.engagement_track_on(engagement bigint, d date) RETURNS TABLE (track text)
LANGUAGE sql STABLE AS $$
  SELECT x.track FROM hub.stats_course_changes x
  WHERE x.engagement_id = engagement AND x.track IS NOT NULL AND x.on_date <= d
  ORDER BY x.on_date DESC, x.seq DESC LIMIT 1
$$;

-- The track of a course on a day, from its events: the same rule on the
-- records the rollups are made from.
CREATE FUNCTION hub.course_track_on(course uuid, d date) RETURNS TABLE (track text)
LANGUAGE sql STABLE AS $$
  SELECT e.data->>'track' FROM hub.course_events e
  WHERE e.course_id = course AND e.kind IN ('STARTED', 'TRACK_CHANGED') AND e.on_date <= d
  ORDER BY e.on_date DESC, e.seq DESC LIMIT 1
$$;

REVOKE ALL ON FUNCTION hub.counted_engagement, hub.engagement_track_on, hub.course_track_on FROM PUBLIC;

-- Each person's cell on every day their records change (008), counted by
-- the named rules.
CREATE OR REPLACE VIEW hub.stats_timelines AS
WITH days AS (
  SELECT person_key, on_date AS day FROM hub.stats_engagements
  UNION
  SELECT s.person_key, x.on_date FROM hub.stats_engagements s JOIN hub.stats_course_changes x ON x.engagement_id = s.id
  WHERE s.rank = hub.category_rank('CTI')
), cells AS (
  SELECT d.person_key, d.day, c.rank, c.course_state, c.track, c.municipality_id, c.home_id, c.gender, c.band
  FROM days d CROSS JOIN LATERAL (
    SELECT s.rank,
      CASE WHEN s.rank = hub.category_rank('CTI') THEN CASE WHEN EXISTS (SELECT 1 FROM hub.stats_course_changes x
        WHERE x.engagement_id = s.id AND x.ended AND x.on_date <= d.day) THEN 'ENDED' ELSE 'OPEN' END END AS course_state,
      CASE WHEN s.rank = hub.category_rank('CTI') THEN (SELECT t.track FROM hub.engagement_track_on(s.id, d.day) t) END AS track,
      s.municipality_id, s.home_id, coalesce(s.gender, 'UNKNOWN') AS gender, hub.birth_year_band(s.birth_year) AS band
    FROM hub.counted_engagement(d.person_key, d.day) s) c
), marked AS (
  SELECT cells.*, ROW(rank, course_state, track, municipality_id, home_id, gender, band) IS DISTINCT FROM
    lag(ROW(rank, course_state, track, municipality_id, home_id, gender, band)) OVER (PARTITION BY person_key ORDER BY day) AS changed
  FROM cells
)
SELECT person_key, day AS from_date, rank::smallint AS rank, course_state, track, municipality_id, home_id, gender, band
FROM marked WHERE changed;

-- A course's rollup (005), ranked by its kind.
CREATE OR REPLACE FUNCTION hub.stats_on_course() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT hub.person_key(c.pseudonym, c.id), hub.category_rank(NEW.kind),
    NEW.started_on, NEW.served_by_id, c.home_id, c.gender, c.birth_year, NEW.id
  FROM hub.citizens c WHERE c.id = NEW.citizen_id;
  RETURN NULL;
END $$;

-- A course event's rollup (005), for CTI courses only.
CREATE OR REPLACE FUNCTION hub.stats_on_course_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  IF NEW.kind IN ('STARTED', 'TRACK_CHANGED', 'ENDED') THEN
    INSERT INTO hub.stats_course_changes (engagement_id, on_date, seq, track, ended, outcomes)
    SELECT s.id, NEW.on_date, NEW.seq, NEW.data->>'track', NEW.kind = 'ENDED',
      coalesce(ARRAY(SELECT jsonb_array_elements_text(NEW.data->'outcomes')), '{}')
    FROM hub.stats_engagements s WHERE s.source_id = NEW.course_id AND s.rank = hub.category_rank('CTI');
  END IF;
  RETURN NULL;
END $$;

-- A referral's rollup (005): a referral elsewhere.
CREATE OR REPLACE FUNCTION hub.stats_on_referral() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT hub.person_key(c.pseudonym, c.id), hub.category_rank('REFERRED_ELSEWHERE'),
    (NEW.created_at AT TIME ZONE 'Europe/Copenhagen')::date, NEW.from_id, c.home_id, c.gender, c.birth_year, NEW.id
  FROM hub.citizens c WHERE c.id = NEW.citizen_id;
  RETURN NULL;
END $$;

-- The rollups of records copied with the triggers off (008).
CREATE OR REPLACE FUNCTION hub.stats_backfill() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  ALTER TABLE hub.stats_engagements DISABLE TRIGGER stats_timeline_on_engagement;
  ALTER TABLE hub.stats_course_changes DISABLE TRIGGER stats_timeline_on_change;
  -- Each person's key is hashed once, not once per record.
  CREATE TEMP TABLE stats_people ON COMMIT DROP AS
  SELECT c.id, hub.person_key(c.pseudonym, c.id) AS person_key, c.home_id, c.gender, c.birth_year FROM hub.citizens c;
  ANALYZE stats_people;
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT c.person_key, hub.category_rank(co.kind),
    co.started_on, co.served_by_id, c.home_id, c.gender, c.birth_year, co.id
  FROM hub.courses co JOIN stats_people c ON c.id = co.citizen_id
  ON CONFLICT (source_id) DO NOTHING;
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT c.person_key, hub.category_rank('REFERRED_ELSEWHERE'), (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date,
    r.from_id, c.home_id, c.gender, c.birth_year, r.id
  FROM hub.referrals r JOIN stats_people c ON c.id = r.citizen_id
  ON CONFLICT (source_id) DO NOTHING;
  DROP TABLE stats_people;
  ANALYZE hub.stats_engagements;
  INSERT INTO hub.stats_course_changes (engagement_id, on_date, seq, track, ended, outcomes)
  SELECT s.id, e.on_date, e.seq, e.data->>'track', e.kind = 'ENDED',
    coalesce(ARRAY(SELECT jsonb_array_elements_text(e.data->'outcomes')), '{}')
  FROM hub.course_events e JOIN hub.stats_engagements s ON s.source_id = e.course_id AND s.rank = hub.category_rank('CTI')
  WHERE e.kind IN ('STARTED', 'TRACK_CHANGED', 'ENDED')
  ON CONFLICT (engagement_id, seq) DO NOTHING;
  ANALYZE hub.stats_course_changes;
  PERFORM hub.stats_rebuild();
  ALTER TABLE hub.stats_engagements ENABLE TRIGGER stats_timeline_on_engagement;
  ALTER TABLE hub.stats_course_changes ENABLE TRIGGER stats_timeline_on_change;
END $$;

-- The persons helped on a day (008), named by their category.
CREATE OR REPLACE FUNCTION hub.statistics_cells(d date, by_municipality boolean, by_home boolean, by_gender boolean, by_band boolean)
RETURNS TABLE (category text, course_state text, track text, municipality_id uuid, home_id uuid,
               gender text, band text, persons bigint, key_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp SET jit = off AS $$
WITH c AS (SELECT coalesce(max(at), '-infinity'::date) AS at FROM hub.stats_checkpoint_dates WHERE at <= d + 1)
SELECT hub.category_of_rank(x.rank),
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

-- Outcomes of CTI courses ended by a day, by the track they ended on (005),
-- and courses started or ended in a period by kind and track (004): each
-- replaced only while it exists, as a migration may retire them.
DO $do$
BEGIN
  IF to_regprocedure('hub.statistics_outcomes(date)') IS NOT NULL THEN
    EXECUTE $f$
CREATE OR REPLACE FUNCTION hub.statistics_outcomes(d date)
RETURNS TABLE (track text, outcome text, courses bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT (SELECT t.track FROM hub.engagement_track_on(x.engagement_id, x.on_date) t), o.outcome, count(*)
FROM hub.stats_course_changes x CROSS JOIN LATERAL unnest(x.outcomes) o(outcome)
WHERE x.ended AND x.on_date <= d
GROUP BY 1, 2
$$ $f$;
  END IF;
  IF to_regprocedure('hub.statistics_courses(date, date, boolean)') IS NOT NULL THEN
    EXECUTE $f$
CREATE OR REPLACE FUNCTION hub.statistics_courses(p_from date, p_to date, p_ended boolean)
RETURNS TABLE (kind text, track text, courses bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT co.kind, (SELECT t.track FROM hub.course_track_on(co.id, x.on_date) t), count(*)
FROM hub.courses co
JOIN LATERAL (SELECT CASE WHEN p_ended THEN (SELECT min(e.on_date) FROM hub.course_events e WHERE e.course_id = co.id AND e.kind = 'ENDED')
                          ELSE co.started_on END AS on_date) x ON true
WHERE x.on_date BETWEEN p_from AND p_to
GROUP BY 1, 2
$$ $f$;
  END IF;
END
$do$;
