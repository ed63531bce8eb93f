-- The second line has no back door: the app login is a member of no role
-- that can erase data or read every organisation's audit rows. Sealing and
-- retention run as argument-free SECURITY DEFINER functions owned by the
-- sealer and retention roles, which the login can call but never become:
-- sealing computes the chain itself, and retention computes its cut-off
-- from the period configured here, never later than today, so calling
-- either as often as one likes seals what is due and erases what is due,
-- nothing more.

REVOKE exithub_sealer FROM exithub_app;
REVOKE exithub_retention FROM exithub_app;

-- A non-superuser owner (CREATEROLE) must be a member of a role to give it
-- a function; a superuser is one of every role already.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT exithub_sealer, exithub_retention TO %I', current_user);
  END IF;
END $$;

-- The text a record's hash covers: every field in order, separated by the
-- unit separator, exactly as db.sealRecord.canonical writes it (the
-- verifier recomputes it in Go), so the two can never disagree unseen.
CREATE FUNCTION hub.seal_canonical(l hub.audit_log) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = hub, pg_temp AS $$
  SELECT l.id::text
    || E'\x1f' || to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
       || coalesce('.' || nullif(rtrim(to_char(l.at AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z'
    || E'\x1f' || l.request_id || E'\x1f' || l.sub || E'\x1f' || coalesce(l.org_id::text, '')
    || E'\x1f' || l.role || E'\x1f' || l.operation || E'\x1f' || l.objects::text
    || E'\x1f' || array_to_string(l.citizen_refs, ',') || E'\x1f' || coalesce(l.municipality_id::text, '')
    || E'\x1f' || l.outcome
$$;

-- Seals up to a thousand records committed since the last round and returns
-- how many. One instance seals at a time; the others find the lock taken.
CREATE FUNCTION hub.seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_seq bigint; v_prev bytea; v_hash bytea; v_n integer := 0; r hub.audit_log;
BEGIN
  IF NOT pg_try_advisory_xact_lock(73102014) THEN
    RETURN 0;
  END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM hub.audit_seals ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    SELECT seq, hash INTO v_seq, v_prev FROM hub.audit_anchor;
  END IF;
  IF v_seq IS NULL THEN
    v_seq := 0;
    v_prev := decode(repeat('00', 32), 'hex');
  END IF;
  -- A window below the newest sealed id: a record that commits later than
  -- a hundred thousand newer ones would wait for a full pass.
  FOR r IN SELECT * FROM hub.audit_log l
      WHERE l.id > coalesce((SELECT max(log_id) FROM hub.audit_seals), 0) - 100000
        AND NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)
      ORDER BY l.id LIMIT 1000 LOOP
    v_seq := v_seq + 1;
    v_hash := sha256(v_prev || convert_to(hub.seal_canonical(r), 'UTF8'));
    INSERT INTO hub.audit_seals (log_id, seq, prev_hash, hash) VALUES (r.id, v_seq, v_prev, v_hash);
    v_prev := v_hash;
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END $$;
REVOKE ALL ON FUNCTION hub.seal, hub.seal_canonical FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.seal_canonical TO exithub_sealer;
ALTER FUNCTION hub.seal() OWNER TO exithub_sealer;
GRANT EXECUTE ON FUNCTION hub.seal() TO exithub_app;

-- How long personal data is kept after the last activity. Only the owner
-- sets it (serve does so at start when given the owner's URL).
CREATE TABLE hub_private.retention_period (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  keep interval NOT NULL CHECK (keep >= interval '0')
);
INSERT INTO hub_private.retention_period (keep) VALUES (interval '1825 days');
GRANT USAGE ON SCHEMA hub_private TO exithub_retention;
GRANT SELECT ON hub_private.retention_period TO exithub_retention;

-- Retention never erases what ended after today, whatever it is asked.
CREATE OR REPLACE FUNCTION hub.retention_run(p_before date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_id uuid; v_n integer := 0;
BEGIN
  FOR v_id IN SELECT hub.retention_candidates(least(p_before, current_date)) LOOP
    PERFORM hub.erase_citizen(v_id);
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END $$;

-- The day before which retention erases: today less the configured period,
-- in Copenhagen, and never after today.
CREATE FUNCTION hub.retention_cutoff() RETURNS date
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  SELECT least(current_date, ((now() - keep) AT TIME ZONE 'Europe/Copenhagen')::date)
  FROM hub_private.retention_period
$$;

-- Erases what is past the configured period; one instance at a time.
CREATE FUNCTION hub.retention_run_due() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('exithub retention')) THEN
    RETURN 0;
  END IF;
  RETURN hub.retention_run(hub.retention_cutoff());
END $$;
REVOKE ALL ON FUNCTION hub.retention_cutoff, hub.retention_run_due FROM PUBLIC;
ALTER FUNCTION hub.retention_cutoff() OWNER TO exithub_retention;
ALTER FUNCTION hub.retention_run_due() OWNER TO exithub_retention;
GRANT EXECUTE ON FUNCTION hub.retention_cutoff, hub.retention_run_due TO exithub_app;

-- The operator's auditors read the whole trail; the operator role alone,
-- with another organisation's id in hub.org_id, reads nothing.
DROP POLICY audit_read_operator ON hub.audit_log;
CREATE POLICY audit_read_operator ON hub.audit_log FOR SELECT TO exithub_operator
  USING (EXISTS (SELECT 1 FROM hub.organisations o WHERE o.id = hub.org() AND o.kind = 'OPERATOR'));
