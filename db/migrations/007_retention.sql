-- Retention: personal data is kept only while needed. A citizen with no
-- open course or referral, and no activity since p_before, is erased:
-- every record that names or describes the person goes, in one
-- transaction. The statistics' rollups stay (they hold only a keyed hash of
-- the person and lose their link to the erased records), so the figures of
-- every past day stay exactly as they were. Audit records refer to citizens
-- only through keyed hashes, so none links to the erased person either.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'exithub_retention') THEN
    CREATE ROLE exithub_retention NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END $$;
GRANT exithub_retention TO exithub_app;
GRANT USAGE ON SCHEMA hub TO exithub_retention;

CREATE FUNCTION hub.retention_candidates(p_before date) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
SELECT c.id FROM hub.citizens c
WHERE (c.updated_at AT TIME ZONE 'Europe/Copenhagen')::date < p_before
  AND NOT EXISTS (SELECT 1 FROM hub.courses co WHERE co.citizen_id = c.id
    AND (co.started_on >= p_before OR NOT EXISTS (SELECT 1 FROM hub.course_events e
      WHERE e.course_id = co.id AND e.kind = 'ENDED' AND e.on_date < p_before)))
  -- A referral to an offer outside the hub is only recorded: it never closes.
  AND NOT EXISTS (SELECT 1 FROM hub.referrals r WHERE r.citizen_id = c.id
    AND ((r.ngo_id IS NOT NULL AND r.status IN ('REQUESTED','RECEIVED','ACCEPTED','IN_PROGRESS'))
         OR (r.updated_at AT TIME ZONE 'Europe/Copenhagen')::date >= p_before))
$$;

CREATE FUNCTION hub.erase_citizen(p_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  UPDATE hub.stats_engagements SET source_id = NULL
    WHERE source_id IN (SELECT id FROM hub.courses WHERE citizen_id = p_id
                        UNION ALL SELECT id FROM hub.referrals WHERE citizen_id = p_id);
  DELETE FROM hub.idempotency_keys WHERE result_id IN (
    SELECT id FROM hub.referrals WHERE citizen_id = p_id UNION ALL SELECT id FROM hub.courses WHERE citizen_id = p_id
    UNION ALL SELECT id FROM hub.consents WHERE citizen_id = p_id UNION ALL SELECT p_id
    UNION ALL SELECT id FROM hub.crossmunicipal_agreements WHERE citizen_id = p_id);
  DELETE FROM hub.referral_events WHERE referral_id IN (SELECT id FROM hub.referrals WHERE citizen_id = p_id);
  DELETE FROM hub.referrals WHERE citizen_id = p_id;
  DELETE FROM hub.consents WHERE citizen_id = p_id;
  DELETE FROM hub.course_events WHERE course_id IN (SELECT id FROM hub.courses WHERE citizen_id = p_id);
  DELETE FROM hub.courses WHERE citizen_id = p_id;
  DELETE FROM hub.crossmunicipal_agreements WHERE citizen_id = p_id;
  DELETE FROM hub.citizen_transfers WHERE citizen_id = p_id;
  DELETE FROM hub.citizens WHERE id = p_id;
END $$;

CREATE FUNCTION hub.retention_run(p_before date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_id uuid; v_n integer := 0;
BEGIN
  FOR v_id IN SELECT hub.retention_candidates(p_before) LOOP
    PERFORM hub.erase_citizen(v_id);
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END $$;

REVOKE ALL ON FUNCTION hub.retention_candidates, hub.erase_citizen, hub.retention_run FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.retention_run TO exithub_retention;
