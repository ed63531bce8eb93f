-- The sealer chooses the ids of the records it seals in a query of their
-- own, and then reads those records by their ids. In 015 the choice was a
-- subquery of the loop's query, which PL/pgSQL runs as a cursor; the planner
-- plans a cursor for its first rows, and chose to walk the whole log in id
-- order from its oldest record, reading every record whole, to meet the
-- window: under load a round took seconds of CPU (seen in the bench, rounds of
-- 2 to 9 s while writes ran) and grew with the log. Same chain, same order,
-- same window, same owner and grants: only the body changes.
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
  -- A window below the newest sealed id: a record that commits later than
  -- a hundred thousand newer ones would wait for a full pass. The window is
  -- walked on the ids alone (both primary keys) and its ids chosen first,
  -- by a plain query: inside the loop's cursor the planner chose a plan for
  -- its first rows that read the whole log, from its oldest record, on
  -- every round.
  SELECT coalesce(array_agg(w.id ORDER BY w.id), '{}') INTO v_window FROM (SELECT u.id FROM hub.audit_log u
              WHERE u.id > coalesce((SELECT max(log_id) FROM hub.audit_seals), 0) - 100000
                AND NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = u.id)
              ORDER BY u.id LIMIT 1000) w;
  FOR r IN SELECT l.id, convert_to(l.id::text
        || E'\x1f' || to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
           || coalesce('.' || nullif(rtrim(to_char(l.at AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z'
        || E'\x1f' || l.request_id || E'\x1f' || l.sub || E'\x1f' || coalesce(l.org_id::text, '')
        || E'\x1f' || l.role || E'\x1f' || l.operation || E'\x1f' || l.objects::text
        || E'\x1f' || array_to_string(l.citizen_refs, ',') || E'\x1f' || coalesce(l.municipality_id::text, '')
        || E'\x1f' || l.outcome, 'UTF8') AS canonical
      FROM hub.audit_log l
      WHERE l.id = ANY (v_window)
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
  RETURN cardinality(v_ids);
END $$;
