-- Records wait for their seal in a queue instead of being looked for in a
-- window: a trigger adds the ids of every statement's new audit records to
-- hub.audit_unsealed as they are written, and hub.seal() takes the oldest
-- thousand from it, seals them and removes them. A record whose transaction
-- commits after newer ones were sealed is in the queue from its commit, so
-- the next round seals it, however late, where the window of 015 and 016
-- let one later than a hundred thousand newer records wait for ever. And a
-- round no longer walks a hundred thousand ids of the log and of the seals
-- against each other, on pages most of which are not yet all-visible under
-- load (heap fetches for nearly every id): in the bench at 1,000 reads a
-- second that walk kept one PostgreSQL backend busy most of the time.
-- Only the sealer touches the queue; the trigger runs as the sealer.

CREATE TABLE hub.audit_unsealed (id bigint PRIMARY KEY);
ALTER TABLE hub.audit_unsealed ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON hub.audit_unsealed TO exithub_sealer;
CREATE POLICY sealer_unsealed ON hub.audit_unsealed TO exithub_sealer USING (true) WITH CHECK (true);

CREATE FUNCTION hub.audit_enqueue() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  INSERT INTO hub.audit_unsealed (id) SELECT id FROM added;
  RETURN NULL;
END $$;
ALTER FUNCTION hub.audit_enqueue() OWNER TO exithub_sealer;
CREATE TRIGGER audit_enqueue AFTER INSERT ON hub.audit_log REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION hub.audit_enqueue();

-- Every record not sealed yet joins the queue; run here once, for the
-- records written before the trigger (the trigger's lock waited for their
-- transactions), and left for an operator who restores a log.
CREATE FUNCTION hub.audit_enqueue_unsealed() RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  WITH added AS (
    INSERT INTO hub.audit_unsealed (id)
    SELECT l.id FROM hub.audit_log l WHERE NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)
    ON CONFLICT DO NOTHING RETURNING 1)
  SELECT count(*)::integer FROM added
$$;
REVOKE ALL ON FUNCTION hub.audit_enqueue_unsealed() FROM PUBLIC;
ALTER FUNCTION hub.audit_enqueue_unsealed() OWNER TO exithub_sealer;
SELECT hub.audit_enqueue_unsealed();

CREATE OR REPLACE FUNCTION hub.seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_seq bigint; v_prev bytea; r record; v_window bigint[];
  v_ids bigint[] := '{}'; v_seqs bigint[] := '{}'; v_prevs bytea[] := '{}'; v_hashes bytea[] := '{}';
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
  -- The queue holds the records not yet sealed, whenever they committed:
  -- the oldest thousand, in the order of their ids.
  SELECT coalesce(array_agg(q.id ORDER BY q.id), '{}') INTO v_window
    FROM (SELECT id FROM hub.audit_unsealed ORDER BY id LIMIT 1000) q;
  FOR r IN SELECT l.id, convert_to(l.id::text
        || E'\x1f' || to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || coalesce('.' || nullif(rtrim(to_char(l.at AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z'
        || E'\x1f' || l.request_id || E'\x1f' || l.sub || E'\x1f' || coalesce(l.org_id::text, '')
        || E'\x1f' || l.role || E'\x1f' || l.operation || E'\x1f' || l.objects::text
        || E'\x1f' || array_to_string(l.citizen_refs, ',') || E'\x1f' || coalesce(l.municipality_id::text, '')
        || E'\x1f' || l.outcome, 'UTF8') AS canonical
      FROM hub.audit_log l
      WHERE l.id = ANY (v_window)
        AND NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)
      ORDER BY l.id LOOP
    v_seq := v_seq + 1;
    v_ids := array_append(v_ids, r.id);
    v_seqs := array_append(v_seqs, v_seq);
    v_prevs := array_append(v_prevs, v_prev);
    v_prev := sha256(v_prev || r.canonical);
    v_hashes := array_append(v_hashes, v_prev);
  END LOOP;
  INSERT INTO hub.audit_seals (log_id, seq, prev_hash, hash)
    SELECT * FROM unnest(v_ids, v_seqs, v_prevs, v_hashes);
  -- Sealed, or gone: either way no longer waiting.
  DELETE FROM hub.audit_unsealed WHERE id = ANY (v_window);
  RETURN cardinality(v_ids);
END $$;
