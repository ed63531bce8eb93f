-- Statistics: aggregates only. The functions run as the owner (they must
-- see every municipality's rows) and return counts, never a person; only the
-- aggregate roles may call them.

-- The key of record keys: without it nobody can tell which noise a cell got.
-- Made here, so that later migrations can use it, from PostgreSQL's strong
-- random source (two version-4 UUIDs: 244 random bits).
CREATE TABLE hub_private.statistics_secret (
  id     boolean PRIMARY KEY DEFAULT true CHECK (id),
  secret bytea NOT NULL CHECK (length(secret) >= 32)
);
INSERT INTO hub_private.statistics_secret (secret)
  SELECT decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');

-- A person is a pseudonym (the same CPR in two municipalities is one
-- person) or, when anonymous, a citizen record.
CREATE FUNCTION hub.person_of(p_pseudonym bytea, p_id uuid) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(encode(p_pseudonym, 'hex'), p_id::text) $$;

-- The persons helped on a day, each once in the first category that applies
-- (CTI > ORIENTATION > ACUTE_SUPPORT > REFERRED_ELSEWHERE), placed with the
-- municipality that served the counted engagement, aggregated to the finest
-- cells with the sum of their record keys.
CREATE FUNCTION hub.statistics_facts(d date)
RETURNS TABLE (category text, course_state text, track text, municipality_id uuid, home_id uuid,
               gender text, birth_year integer, persons bigint, key_sum bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
WITH secret AS (SELECT secret FROM hub_private.statistics_secret),
citizen AS (
  SELECT c.id, hub.person_of(c.pseudonym, c.id) AS person, c.home_id, c.gender, c.birth_year FROM hub.citizens c
),
engagement AS (
  SELECT p.person, 1 AS rank, co.started_on AS on_date, co.served_by_id AS muni, p.home_id, p.gender, p.birth_year,
    (SELECT e.data->>'track' FROM hub.course_events e WHERE e.course_id = co.id
       AND e.kind IN ('STARTED','TRACK_CHANGED') AND e.on_date <= d ORDER BY e.on_date DESC, e.seq DESC LIMIT 1) AS track,
    CASE WHEN EXISTS (SELECT 1 FROM hub.course_events e WHERE e.course_id = co.id AND e.kind = 'ENDED' AND e.on_date <= d)
      THEN 'ENDED' ELSE 'OPEN' END AS course_state
  FROM citizen p JOIN hub.courses co ON co.citizen_id = p.id WHERE co.kind = 'CTI' AND co.started_on <= d
  UNION ALL
  SELECT p.person, CASE co.kind WHEN 'ORIENTATION' THEN 2 ELSE 3 END, co.started_on, co.served_by_id, p.home_id,
    p.gender, p.birth_year, NULL, NULL
  FROM citizen p JOIN hub.courses co ON co.citizen_id = p.id WHERE co.kind <> 'CTI' AND co.started_on <= d
  UNION ALL
  SELECT p.person, 4, (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date, r.from_id, p.home_id, p.gender, p.birth_year, NULL, NULL
  FROM citizen p JOIN hub.referrals r ON r.citizen_id = p.id
  WHERE (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date <= d
),
counted AS (
  SELECT DISTINCT ON (person) * FROM engagement ORDER BY person, rank, on_date DESC, muni
)
SELECT CASE rank WHEN 1 THEN 'CTI' WHEN 2 THEN 'ORIENTATION' WHEN 3 THEN 'ACUTE_SUPPORT' ELSE 'REFERRED_ELSEWHERE' END,
  course_state, track, muni, home_id, coalesce(gender, 'UNKNOWN'), birth_year, count(*),
  sum(('x' || substr(encode(sha256((SELECT secret FROM secret) || convert_to(person, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint)
FROM counted GROUP BY 1, 2, 3, 4, 5, 6, 7
$$;

-- Courses started or ended in a period, by kind and track at that moment.
CREATE FUNCTION hub.statistics_courses(p_from date, p_to date, p_ended boolean)
RETURNS TABLE (kind text, track text, courses bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT co.kind,
  (SELECT e.data->>'track' FROM hub.course_events e WHERE e.course_id = co.id AND e.kind IN ('STARTED','TRACK_CHANGED')
     AND e.on_date <= x.on_date ORDER BY e.on_date DESC, e.seq DESC LIMIT 1),
  count(*)
FROM hub.courses co
JOIN LATERAL (SELECT CASE WHEN p_ended THEN (SELECT min(e.on_date) FROM hub.course_events e WHERE e.course_id = co.id AND e.kind = 'ENDED')
                          ELSE co.started_on END AS on_date) x ON true
WHERE x.on_date BETWEEN p_from AND p_to
GROUP BY 1, 2
$$;

-- Referrals by their status at the end of a day.
CREATE FUNCTION hub.statistics_referral_status(d date)
RETURNS TABLE (status text, referrals bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT s.status, count(*) FROM hub.referrals r
JOIN LATERAL (SELECT e.to_status AS status FROM hub.referral_events e WHERE e.referral_id = r.id AND e.kind = 'TRANSITION'
  AND (e.at AT TIME ZONE 'Europe/Copenhagen')::date <= d ORDER BY e.at DESC, e.id DESC LIMIT 1) s ON true
GROUP BY 1
$$;

-- Referrals sent on or before a day, by NGO (NULL: offers outside the hub).
CREATE FUNCTION hub.statistics_referral_ngo(d date)
RETURNS TABLE (ngo_id uuid, referrals bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT r.ngo_id, count(*) FROM hub.referrals r
WHERE (r.created_at AT TIME ZONE 'Europe/Copenhagen')::date <= d GROUP BY 1
$$;

-- Outcomes of CTI courses ended on or before a day, by the track they ended on.
CREATE FUNCTION hub.statistics_outcomes(d date)
RETURNS TABLE (track text, outcome text, courses bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT (SELECT t.data->>'track' FROM hub.course_events t WHERE t.course_id = e.course_id AND t.kind IN ('STARTED','TRACK_CHANGED')
          AND t.on_date <= e.on_date ORDER BY t.on_date DESC, t.seq DESC LIMIT 1),
  o.outcome, count(*)
FROM hub.course_events e JOIN hub.courses co ON co.id = e.course_id
CROSS JOIN LATERAL jsonb_array_elements_text(coalesce(e.data->'outcomes', '[]')) o(outcome)
WHERE e.kind = 'ENDED' AND e.on_date <= d AND co.kind = 'CTI'
GROUP BY 1, 2
$$;

REVOKE ALL ON FUNCTION hub.statistics_facts, hub.statistics_courses, hub.statistics_referral_status,
  hub.statistics_referral_ngo, hub.statistics_outcomes FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.statistics_facts, hub.statistics_courses, hub.statistics_referral_status,
  hub.statistics_referral_ngo, hub.statistics_outcomes TO exithub_ministry, exithub_agency, exithub_evaluator;
