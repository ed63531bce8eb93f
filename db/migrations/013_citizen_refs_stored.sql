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
