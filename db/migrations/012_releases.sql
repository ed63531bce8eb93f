-- Monthly releases of the statistics (see README, "Statistics: method").
--
-- Everything an aggregate role reads, besides the exact national table of a
-- day, is a cell of a release: the tables of one closed calendar month,
-- computed once with differentially private noise and stored here. A
-- release is computed from rollups alone, never from personal tables, so a
-- month released after a retention run equals the same month released
-- before it. The rollups below add what the side figures need to those of
-- migrations 005 and 008: referrals' NGOs and statuses, the ends of every
-- kind of course, and cross-municipal agreements. Each holds a keyed hash
-- of the person (through hub.stats_engagements) and no link that outlives
-- the erased records.

CREATE TABLE hub.stats_referral_facts (
  engagement_id bigint PRIMARY KEY REFERENCES hub.stats_engagements(id),
  ngo_id        uuid REFERENCES hub.organisations(id) -- NULL: an offer outside the hub
);

CREATE TABLE hub.stats_referral_changes (
  engagement_id bigint NOT NULL REFERENCES hub.stats_engagements(id),
  on_date       date NOT NULL,
  at            timestamptz NOT NULL,
  status        text NOT NULL,
  UNIQUE (engagement_id, at, status)
);

CREATE TABLE hub.stats_course_ends (
  engagement_id bigint PRIMARY KEY REFERENCES hub.stats_engagements(id),
  on_date       date NOT NULL
);

CREATE TABLE hub.stats_agreements (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_key bytea NOT NULL,
  made_on    date NOT NULL,
  source_id  uuid UNIQUE -- the agreement; NULL once its records are erased
);

ALTER TABLE hub.stats_referral_facts   ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_referral_changes ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_course_ends      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.stats_agreements       ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- No grants: only the owner's functions read and write them.

CREATE FUNCTION hub.release_on_referral() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_referral_facts (engagement_id, ngo_id)
  SELECT s.id, NEW.ngo_id FROM hub.stats_engagements s WHERE s.source_id = NEW.id AND s.rank = 4
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
-- Named to fire after stats_on_referral, which writes the engagement.
CREATE TRIGGER stats_release_on_referral AFTER INSERT ON hub.referrals
  FOR EACH ROW EXECUTE FUNCTION hub.release_on_referral();

CREATE FUNCTION hub.release_on_referral_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  IF NEW.kind = 'TRANSITION' THEN
    INSERT INTO hub.stats_referral_changes (engagement_id, on_date, at, status)
    SELECT s.id, (NEW.at AT TIME ZONE 'Europe/Copenhagen')::date, NEW.at, NEW.to_status
    FROM hub.stats_engagements s WHERE s.source_id = NEW.referral_id AND s.rank = 4
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_release_on_referral_event AFTER INSERT ON hub.referral_events
  FOR EACH ROW EXECUTE FUNCTION hub.release_on_referral_event();

CREATE FUNCTION hub.release_on_course_event() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  IF NEW.kind = 'ENDED' THEN
    INSERT INTO hub.stats_course_ends (engagement_id, on_date)
    SELECT s.id, NEW.on_date FROM hub.stats_engagements s WHERE s.source_id = NEW.course_id
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_release_on_course_event AFTER INSERT ON hub.course_events
  FOR EACH ROW EXECUTE FUNCTION hub.release_on_course_event();

CREATE FUNCTION hub.release_on_agreement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.stats_agreements (person_key, made_on, source_id)
  SELECT hub.person_key(c.pseudonym, c.id), (NEW.created_at AT TIME ZONE 'Europe/Copenhagen')::date, NEW.id
  FROM hub.citizens c WHERE c.id = NEW.citizen_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_release_on_agreement AFTER INSERT ON hub.crossmunicipal_agreements
  FOR EACH ROW EXECUTE FUNCTION hub.release_on_agreement();

-- Erasure of an agreement cuts the rollup's link to it; the count stays.
CREATE FUNCTION hub.release_on_agreement_erased() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
BEGIN
  UPDATE hub.stats_agreements SET source_id = NULL WHERE source_id = OLD.id;
  RETURN NULL;
END $$;
CREATE TRIGGER stats_release_on_agreement_erased AFTER DELETE ON hub.crossmunicipal_agreements
  FOR EACH ROW EXECUTE FUNCTION hub.release_on_agreement_erased();

-- Builds these rollups for every record that has none yet: here, for what
-- the database holds, and after a bulk load (`exithub seed national`).
CREATE FUNCTION hub.release_backfill() RETURNS void LANGUAGE sql AS $$
INSERT INTO hub.stats_referral_facts (engagement_id, ngo_id)
SELECT s.id, r.ngo_id FROM hub.referrals r JOIN hub.stats_engagements s ON s.source_id = r.id AND s.rank = 4
ON CONFLICT DO NOTHING;
INSERT INTO hub.stats_referral_changes (engagement_id, on_date, at, status)
SELECT s.id, (e.at AT TIME ZONE 'Europe/Copenhagen')::date, e.at, e.to_status
FROM hub.referral_events e JOIN hub.stats_engagements s ON s.source_id = e.referral_id AND s.rank = 4
WHERE e.kind = 'TRANSITION'
ON CONFLICT DO NOTHING;
INSERT INTO hub.stats_course_ends (engagement_id, on_date)
SELECT s.id, min(e.on_date) FROM hub.course_events e JOIN hub.stats_engagements s ON s.source_id = e.course_id
WHERE e.kind = 'ENDED' GROUP BY s.id
ON CONFLICT DO NOTHING;
INSERT INTO hub.stats_agreements (person_key, made_on, source_id)
SELECT hub.person_key(c.pseudonym, c.id), (a.created_at AT TIME ZONE 'Europe/Copenhagen')::date, a.id
FROM hub.crossmunicipal_agreements a JOIN hub.citizens c ON c.id = a.citizen_id
ON CONFLICT DO NOTHING;
$$;
REVOKE ALL ON FUNCTION hub.release_backfill FROM PUBLIC;
SELECT hub.release_backfill();

-- The true cells of the release of the month that ends on d, from the
-- rollups alone: the persons tables as of d (ungrouped with CTI by course
-- state and track, and by each dimension), and the tables of records, each
-- person's first k records in each. Only non-zero cells come back; the
-- caller adds noise to every cell of each table's domain. Keys join a
-- cell's values with '|' (see exithub.Domain).
CREATE FUNCTION hub.release_source(d date, k integer)
RETURNS TABLE (tbl text, key text, n bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp SET jit = off AS $$
WITH persons AS (
  SELECT 'persons' AS tbl, concat_ws('|', category, coalesce(course_state, ''), coalesce(track, '')) AS key, persons AS n
  FROM hub.statistics_cells(d, false, false, false, false)
  UNION ALL
  SELECT 'persons/MUNICIPALITY', concat_ws('|', category, coalesce(course_state, ''), coalesce(track, ''), municipality_id::text), persons
  FROM hub.statistics_cells(d, true, false, false, false)
  UNION ALL
  SELECT 'persons/HOME_MUNICIPALITY', concat_ws('|', category, coalesce(course_state, ''), coalesce(track, ''), home_id::text), persons
  FROM hub.statistics_cells(d, false, true, false, false)
  UNION ALL
  SELECT 'persons/GENDER', concat_ws('|', category, coalesce(course_state, ''), coalesce(track, ''), gender), persons
  FROM hub.statistics_cells(d, false, false, true, false)
  UNION ALL
  SELECT 'persons/BIRTH_YEAR_BAND', concat_ws('|', category, coalesce(course_state, ''), coalesce(track, ''), band), persons
  FROM hub.statistics_cells(d, false, false, false, true)
), engagements AS (
  SELECT s.*, hub.category_of_rank(s.rank) AS kind
  FROM hub.stats_engagements s WHERE s.on_date <= d
), records AS (
  SELECT 'courses_started' AS tbl, s.person_key, s.on_date, s.id AS ord,
    s.kind || '|' || CASE WHEN s.rank = 1 THEN coalesce((SELECT t.track FROM hub.engagement_track_on(s.id, s.on_date) t), '') ELSE '' END AS key
  FROM engagements s WHERE s.rank <= 3 AND s.on_date >= date_trunc('month', d)::date
  UNION ALL
  SELECT 'courses_ended', s.person_key, e.on_date, s.id,
    s.kind || '|' || CASE WHEN s.rank = 1 THEN coalesce((SELECT t.track FROM hub.engagement_track_on(s.id, e.on_date) t), '') ELSE '' END
  FROM hub.stats_course_ends e JOIN engagements s ON s.id = e.engagement_id
  WHERE e.on_date BETWEEN date_trunc('month', d)::date AND d
  UNION ALL
  SELECT 'referrals_by_status', s.person_key, s.on_date, s.id,
    (SELECT c.status FROM hub.stats_referral_changes c WHERE c.engagement_id = s.id AND c.on_date <= d ORDER BY c.at DESC LIMIT 1)
  FROM engagements s WHERE s.rank = 4
  UNION ALL
  SELECT 'referrals_by_ngo', s.person_key, s.on_date, s.id, coalesce(f.ngo_id::text, '')
  FROM engagements s JOIN hub.stats_referral_facts f ON f.engagement_id = s.id
  UNION ALL
  SELECT 'outcomes', s.person_key, x.on_date, x.seq, coalesce((SELECT t.track FROM hub.engagement_track_on(s.id, x.on_date) t), '') || '|' || o.outcome
  FROM hub.stats_course_changes x JOIN engagements s ON s.id = x.engagement_id
  CROSS JOIN LATERAL unnest(x.outcomes) o(outcome)
  WHERE x.ended AND x.on_date <= d
  UNION ALL
  SELECT 'crossmunicipal_agreements', a.person_key, a.made_on, a.id, ''
  FROM hub.stats_agreements a WHERE a.made_on <= d
), bounded AS (
  SELECT r.tbl, r.key, row_number() OVER (PARTITION BY r.tbl, r.person_key ORDER BY r.on_date, r.ord, r.key) AS nth
  FROM records r WHERE r.key IS NOT NULL
)
SELECT tbl, key, n FROM persons
UNION ALL
SELECT tbl, key, count(*) FROM bounded WHERE nth <= k GROUP BY 1, 2
$$;
REVOKE ALL ON FUNCTION hub.release_source FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.release_source TO exithub_ministry, exithub_agency, exithub_evaluator;

-- The stored releases: one row per month, its cells in table order.
-- Written once (hub.release_save), read by every later request.
CREATE TABLE hub.releases (
  month       date PRIMARY KEY CHECK (month = date_trunc('month', month)::date),
  threshold   integer NOT NULL,
  epsilon     text NOT NULL,
  k           integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hub.release_cells (
  month date NOT NULL REFERENCES hub.releases(month),
  tbl   text NOT NULL,
  pos   integer NOT NULL,
  key   text NOT NULL,
  value integer CHECK (value >= 0), -- NULL: under the threshold
  PRIMARY KEY (month, tbl, pos)
);

ALTER TABLE hub.releases      ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.release_cells ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
GRANT SELECT ON hub.releases, hub.release_cells TO exithub_ministry, exithub_agency, exithub_evaluator;
CREATE POLICY aggregate_releases ON hub.releases FOR SELECT TO exithub_ministry, exithub_agency, exithub_evaluator USING (true);
CREATE POLICY aggregate_release_cells ON hub.release_cells FOR SELECT TO exithub_ministry, exithub_agency, exithub_evaluator USING (true);

-- Stores a month's release unless one is stored already (then false).
CREATE FUNCTION hub.release_save(p_month date, p_threshold integer, p_epsilon text, p_k integer,
  p_tbl text[], p_pos integer[], p_key text[], p_value integer[]) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.releases (month, threshold, epsilon, k) VALUES (p_month, p_threshold, p_epsilon, p_k)
  ON CONFLICT (month) DO NOTHING;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  INSERT INTO hub.release_cells (month, tbl, pos, key, value)
  SELECT p_month, t, p, k, v FROM unnest(p_tbl, p_pos, p_key, p_value) u(t, p, k, v);
  RETURN true;
END $$;
REVOKE ALL ON FUNCTION hub.release_save FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.release_save TO exithub_ministry, exithub_agency, exithub_evaluator;

-- The ministry's aggregate of cross-municipal agreements is now a release
-- cell: the exact count goes.
DROP VIEW hub.crossmunicipal_agreement_count;

-- The exact side figures, read from personal tables for any period, go:
-- the releases replace them.
DROP FUNCTION hub.statistics_courses(date, date, boolean);
DROP FUNCTION hub.statistics_referral_status(date);
DROP FUNCTION hub.statistics_referral_ngo(date);
DROP FUNCTION hub.statistics_outcomes(date);
