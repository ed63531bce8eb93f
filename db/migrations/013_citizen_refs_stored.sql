-- The keyed reference of a citizen (hub.citizen_ref) is computed once, when
-- a row naming the citizen is written, and stored on the rows a reader may
-- select: reads then name the citizens of their audit records without
-- hashing (an NGO's role has no grant on hub.citizens, nor on the secret).
-- Retention deletes these rows with the citizen, and the reference with
-- them: no stored reference outlives the person's records.
ALTER TABLE hub.citizens ADD COLUMN citizen_ref text;
ALTER TABLE hub.consents ADD COLUMN citizen_ref text;
ALTER TABLE hub.referrals ADD COLUMN citizen_ref text;
ALTER TABLE hub.courses ADD COLUMN citizen_ref text;
ALTER TABLE hub.crossmunicipal_agreements ADD COLUMN citizen_ref text;

CREATE FUNCTION hub.set_citizen_ref() RETURNS trigger
LANGUAGE plpgsql SET search_path = hub, pg_temp AS $$
BEGIN
  -- Each branch is planned only when taken: a citizen row has no citizen_id.
  IF TG_TABLE_NAME = 'citizens' THEN
    NEW.citizen_ref := hub.citizen_ref(NEW.id);
  ELSE
    NEW.citizen_ref := hub.citizen_ref(NEW.citizen_id);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER citizen_ref BEFORE INSERT OR UPDATE OF id, citizen_ref ON hub.citizens
  FOR EACH ROW EXECUTE FUNCTION hub.set_citizen_ref();
CREATE TRIGGER citizen_ref BEFORE INSERT OR UPDATE OF citizen_id, citizen_ref ON hub.consents
  FOR EACH ROW EXECUTE FUNCTION hub.set_citizen_ref();
CREATE TRIGGER citizen_ref BEFORE INSERT OR UPDATE OF citizen_id, citizen_ref ON hub.referrals
  FOR EACH ROW EXECUTE FUNCTION hub.set_citizen_ref();
CREATE TRIGGER citizen_ref BEFORE INSERT OR UPDATE OF citizen_id, citizen_ref ON hub.courses
  FOR EACH ROW EXECUTE FUNCTION hub.set_citizen_ref();
CREATE TRIGGER citizen_ref BEFORE INSERT OR UPDATE OF citizen_id, citizen_ref ON hub.crossmunicipal_agreements
  FOR EACH ROW EXECUTE FUNCTION hub.set_citizen_ref();

UPDATE hub.citizens SET citizen_ref = NULL;
UPDATE hub.consents SET citizen_ref = NULL;
UPDATE hub.referrals SET citizen_ref = NULL;
UPDATE hub.courses SET citizen_ref = NULL;
UPDATE hub.crossmunicipal_agreements SET citizen_ref = NULL;

ALTER TABLE hub.citizens ALTER COLUMN citizen_ref SET NOT NULL;
ALTER TABLE hub.consents ALTER COLUMN citizen_ref SET NOT NULL;
ALTER TABLE hub.referrals ALTER COLUMN citizen_ref SET NOT NULL;
ALTER TABLE hub.courses ALTER COLUMN citizen_ref SET NOT NULL;
ALTER TABLE hub.crossmunicipal_agreements ALTER COLUMN citizen_ref SET NOT NULL;

-- The sealer writes a round's seals in one INSERT instead of one per
-- record: the chain is computed as before (the same canonical text, the
-- same order), gathered in arrays, then inserted together. Same owner
-- (exithub_sealer), same grants: only the body changes.
CREATE OR REPLACE FUNCTION hub.seal() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_seq bigint; v_prev bytea; r hub.audit_log;
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
  -- a hundred thousand newer ones would wait for a full pass.
  FOR r IN SELECT * FROM hub.audit_log l
      WHERE l.id > coalesce((SELECT max(log_id) FROM hub.audit_seals), 0) - 100000
        AND NOT EXISTS (SELECT 1 FROM hub.audit_seals s WHERE s.log_id = l.id)
      ORDER BY l.id LIMIT 1000 LOOP
    v_seq := v_seq + 1;
    v_ids := array_append(v_ids, r.id);
    v_seqs := array_append(v_seqs, v_seq);
    v_prevs := array_append(v_prevs, v_prev);
    v_prev := sha256(v_prev || convert_to(hub.seal_canonical(r), 'UTF8'));
    v_hashes := array_append(v_hashes, v_prev);
  END LOOP;
  INSERT INTO hub.audit_seals (log_id, seq, prev_hash, hash)
    SELECT * FROM unnest(v_ids, v_seqs, v_prevs, v_hashes);
  RETURN cardinality(v_ids);
END $$;
