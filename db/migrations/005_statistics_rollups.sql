-- Rollups for the statistics, kept current by triggers as records arrive:
-- one row per engagement (a course, or a referral), keyed by a one-way
-- keyed hash of the person, and one row per change of a CTI course's track
-- or end. The statistics read only these: no join to a personal table, and
-- they outlive the erasure of a citizen's records, so past figures stay put.

CREATE TABLE hub.stats_engagements (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_key      bytea NOT NULL,    -- sha256(secret || person): counts a person, names no one
  rank            smallint NOT NULL CHECK (rank BETWEEN 1 AND 4), -- CTI, ORIENTATION, ACUTE_SUPPORT, REFERRED
  on_date         date NOT NULL,
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id),
  home_id         uuid NOT NULL REFERENCES hub.organisations(id),
  gender          text,
  birth_year      integer,
  source_id       uuid UNIQUE        -- the course or referral; NULL once its records are erased
);
CREATE INDEX stats_engagements_by_day ON hub.stats_engagements (on_date);
CREATE INDEX stats_engagements_by_person ON hub.stats_engagements (person_key, rank, on_date DESC);

CREATE TABLE hub.stats_course_changes (
  engagement_id bigint NOT NULL REFERENCES hub.stats_engagements(id),
  on_date       date NOT NULL,
  seq           bigint NOT NULL,
  track         text,              -- a start or change of track
  ended         boolean NOT NULL DEFAULT false,
  outcomes      text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX stats_course_changes_by_engagement ON hub.stats_course_changes (engagement_id, on_date, seq);

ALTER TABLE hub.stats_engagements    ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_course_changes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- No grants at all: only the owner's aggregate functions read them.

CREATE FUNCTION hub.person_key(p_pseudonym bytea, p_id uuid) RETURNS bytea
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  SELECT sha256((SELECT secret FROM hub_private.statistics_secret) || convert_to(hub.person_of(p_pseudonym, p_id), 'UTF8'))
$$;
REVOKE ALL ON FUNCTION hub.person_key FROM PUBLIC;

CREATE FUNCTION hub.stats_on_course() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT hub.person_key(c.pseudonym, c.id), CASE NEW.kind WHEN 'CTI' THEN 1 WHEN 'ORIENTATION' THEN 2 ELSE 3 END,
    NEW.started_on, NEW.served_by_id, c.home_id, c.gender, c.birth_year, NEW.id
  FROM hub.citizens c WHERE c.id = NEW.citizen_id;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_on_course AFTER INSERT ON hub.courses FOR EACH ROW EXECUTE FUNCTION hub.stats_on_course();

CREATE FUNCTION hub.stats_on_course_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  IF NEW.kind IN ('STARTED', 'TRACK_CHANGED', 'ENDED') THEN
    INSERT INTO hub.stats_course_changes (engagement_id, on_date, seq, track, ended, outcomes)
    SELECT s.id, NEW.on_date, NEW.seq, NEW.data->>'track', NEW.kind = 'ENDED',
      coalesce(ARRAY(SELECT jsonb_array_elements_text(NEW.data->'outcomes')), '{}')
    FROM hub.stats_engagements s WHERE s.source_id = NEW.course_id AND s.rank = 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_on_course_event AFTER INSERT ON hub.course_events FOR EACH ROW EXECUTE FUNCTION hub.stats_on_course_event();

CREATE FUNCTION hub.stats_on_referral() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
  SELECT hub.person_key(c.pseudonym, c.id), 4, (NEW.created_at AT TIME ZONE 'Europe/Copenhagen')::date,
    NEW.from_id, c.home_id, c.gender, c.birth_year, NEW.id
  FROM hub.citizens c WHERE c.id = NEW.citizen_id;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_on_referral AFTER INSERT ON hub.referrals FOR EACH ROW EXECUTE FUNCTION hub.stats_on_referral();

-- A correction of a citizen's gender, birth year or home follows into the rollups.
CREATE FUNCTION hub.stats_on_citizen() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  UPDATE hub.stats_engagements s SET gender = NEW.gender, birth_year = NEW.birth_year, home_id = NEW.home_id
  WHERE s.source_id IN (SELECT id FROM hub.courses WHERE citizen_id = NEW.id
                        UNION ALL SELECT id FROM hub.referrals WHERE citizen_id = NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER stats_on_citizen AFTER UPDATE OF gender, birth_year, home_id ON hub.citizens
  FOR EACH ROW EXECUTE FUNCTION hub.stats_on_citizen();

-- The persons helped on a day, from the rollups alone: each person once, in
-- the first category that applies, placed with the municipality that served
-- the counted engagement; aggregated to the finest cells, with the sum of
-- the people's record keys (the first four bytes of their person keys).
CREATE OR REPLACE FUNCTION hub.statistics_facts(d date)
RETURNS TABLE (category text, course_state text, track text, municipality_id uuid, home_id uuid,
               gender text, birth_year integer, persons bigint, key_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
WITH counted AS (
  SELECT DISTINCT ON (person_key) * FROM hub.stats_engagements WHERE on_date <= d
  ORDER BY person_key, rank, on_date DESC, id DESC
)
SELECT CASE c.rank WHEN 1 THEN 'CTI' WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT' ELSE 'REFERRED_ELSEWHERE' END,
  CASE WHEN c.rank = 1 THEN CASE WHEN EXISTS (SELECT 1 FROM hub.stats_course_changes x
    WHERE x.engagement_id = c.id AND x.ended AND x.on_date <= d) THEN 'ENDED' ELSE 'OPEN' END END,
  CASE WHEN c.rank = 1 THEN (SELECT x.track FROM hub.stats_course_changes x WHERE x.engagement_id = c.id
    AND x.track IS NOT NULL AND x.on_date <= d ORDER BY x.on_date DESC, x.seq DESC LIMIT 1) END,
  c.municipality_id, c.home_id, coalesce(c.gender, 'UNKNOWN'), c.birth_year, count(*),
  sum(('x' || encode(substr(c.person_key, 1, 4), 'hex'))::bit(32)::bigint)
FROM counted c GROUP BY 1, 2, 3, 4, 5, 6, 7
$$;

-- Outcomes of CTI courses ended by a day, by the track they ended on, from the rollups.
CREATE OR REPLACE FUNCTION hub.statistics_outcomes(d date)
RETURNS TABLE (track text, outcome text, courses bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT (SELECT t.track FROM hub.stats_course_changes t WHERE t.engagement_id = x.engagement_id AND t.track IS NOT NULL
          AND t.on_date <= x.on_date ORDER BY t.on_date DESC, t.seq DESC LIMIT 1),
  o.outcome, count(*)
FROM hub.stats_course_changes x CROSS JOIN LATERAL unnest(x.outcomes) o(outcome)
WHERE x.ended AND x.on_date <= d
GROUP BY 1, 2
$$;

-- Builds the rollups for every record that has none yet: once here, for
-- what the database already holds, and after a bulk load that copied
-- records with the triggers off (`exithub seed national`).
CREATE FUNCTION hub.stats_backfill() RETURNS void LANGUAGE sql AS $$
INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
SELECT hub.person_key(c.pseudonym, c.id), CASE co.kind WHEN 'CTI' THEN 1 WHEN 'ORIENTATION' THEN 2 ELSE 3 END,
  co.started_on, co.served_by_id, c.home_id, c.gender, c.birth_year, co.id
FROM hub.courses co JOIN hub.citizens c ON c.id = co.citizen_id
WHERE NOT EXISTS (SELECT 1 FROM hub.stats_engagements s WHERE s.source_id = co.id);
INSERT INTO hub.stats_engagements (person_key, rank, on_date, municipality_id, home_id, gender, birth_year, source_id)
SELECT hub.person_key(c.pseudonym, c.id), 4, (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date,
  r.from_id, c.home_id, c.gender, c.birth_year, r.id
FROM hub.referrals r JOIN hub.citizens c ON c.id = r.citizen_id
WHERE NOT EXISTS (SELECT 1 FROM hub.stats_engagements s WHERE s.source_id = r.id);
INSERT INTO hub.stats_course_changes (engagement_id, on_date, seq, track, ended, outcomes)
SELECT s.id, e.on_date, e.seq, e.data->>'track', e.kind = 'ENDED',
  coalesce(ARRAY(SELECT jsonb_array_elements_text(e.data->'outcomes')), '{}')
FROM hub.course_events e JOIN hub.stats_engagements s ON s.source_id = e.course_id AND s.rank = 1
WHERE e.kind IN ('STARTED', 'TRACK_CHANGED', 'ENDED')
  AND NOT EXISTS (SELECT 1 FROM hub.stats_course_changes x WHERE x.engagement_id = s.id AND x.seq = e.seq);
$$;
REVOKE ALL ON FUNCTION hub.stats_backfill FROM PUBLIC;
SELECT hub.stats_backfill();
