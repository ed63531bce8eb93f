-- Courses as dated events, agreements, and the programme's money.

CREATE TABLE hub.courses (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  citizen_id      uuid NOT NULL REFERENCES hub.citizens(id),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id), -- serving municipality now
  served_by_id    uuid NOT NULL REFERENCES hub.organisations(id), -- the municipality that ran it
  kind            text NOT NULL CHECK (kind IN ('CTI','ORIENTATION','ACUTE_SUPPORT')),
  started_on      date NOT NULL,
  created_at      timestamptz NOT NULL
);
CREATE INDEX courses_by_citizen ON hub.courses (citizen_id);
CREATE INDEX courses_by_municipality ON hub.courses (municipality_id, started_on);

-- Everything that changes in a course is an event, never an edit: the state
-- on any past day is the fold of the events up to it.
CREATE TABLE hub.course_events (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id       uuid NOT NULL REFERENCES hub.courses(id),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id),
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  kind            text NOT NULL CHECK (kind IN ('STARTED','TRACK_CHANGED','PHASE_STARTED',
                    'SUPPORT_PERSON_CHANGED','PLAN_ITEM_ADDED','PLAN_ITEM_STATUS','ENDED')),
  on_date         date NOT NULL,
  data            jsonb NOT NULL DEFAULT '{}',
  actor_sub       text NOT NULL,
  recorded_at     timestamptz NOT NULL
);
CREATE INDEX course_events_by_course ON hub.course_events (course_id, on_date, seq);

CREATE TABLE hub.crossmunicipal_agreements (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  citizen_id  uuid NOT NULL REFERENCES hub.citizens(id),
  project_id  uuid NOT NULL REFERENCES hub.organisations(id),
  home_id     uuid NOT NULL REFERENCES hub.organisations(id),
  from_date   date NOT NULL,
  to_date     date NOT NULL CHECK (to_date >= from_date),
  terms       text NOT NULL,
  status      text NOT NULL CHECK (status IN ('DRAFT','ACTIVE','ENDED')),
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL,
  CHECK (project_id <> home_id)
);

ALTER TABLE hub.courses                   ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.course_events             ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.crossmunicipal_agreements ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- UPDATE on courses only so a transaction may lock its course (FOR UPDATE)
-- while it checks a new event against the ones before.
GRANT SELECT, INSERT, UPDATE ON hub.courses TO exithub_municipality;
GRANT SELECT, INSERT ON hub.course_events TO exithub_municipality;
GRANT SELECT, INSERT, UPDATE ON hub.crossmunicipal_agreements TO exithub_municipality;
CREATE POLICY municipality_courses ON hub.courses TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY municipality_course_events ON hub.course_events TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY municipality_crossmunicipal ON hub.crossmunicipal_agreements TO exithub_municipality
  USING (project_id = hub.org() OR home_id = hub.org())
  WITH CHECK (project_id = hub.org());

-- The ministry sees only the count of cross-municipal agreements. The view
-- runs as its owner, so it can count rows the ministry's role cannot read.
CREATE VIEW hub.crossmunicipal_agreement_count AS
  SELECT count(*)::integer AS agreements FROM hub.crossmunicipal_agreements;
GRANT SELECT ON hub.crossmunicipal_agreement_count TO exithub_ministry, exithub_agency, exithub_evaluator;

-- A transfer hands a citizen, with its whole history, to another
-- municipality. The caller's row-level security could not write a row it
-- then no longer sees, so this runs as the owner and checks the caller
-- itself: only the municipality serving the citizen now may hand it over.
CREATE FUNCTION hub.transfer_citizen(p_citizen uuid, p_to uuid, p_reason text, p_sub text, p_at timestamptz)
RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
DECLARE v_from uuid;
BEGIN
  IF current_setting('role') <> 'exithub_municipality' THEN
    RAISE EXCEPTION 'transfer_citizen: only a municipality may transfer' USING ERRCODE = '42501';
  END IF;
  SELECT municipality_id INTO v_from FROM hub.citizens WHERE id = p_citizen FOR UPDATE;
  IF v_from IS NULL OR v_from <> hub.org() THEN
    RETURN false;
  END IF;
  UPDATE hub.citizens SET municipality_id = p_to, version = version + 1, updated_at = p_at WHERE id = p_citizen;
  UPDATE hub.consents SET municipality_id = p_to WHERE citizen_id = p_citizen;
  UPDATE hub.referrals SET municipality_id = p_to WHERE citizen_id = p_citizen;
  UPDATE hub.referral_events e SET municipality_id = p_to FROM hub.referrals r
    WHERE e.referral_id = r.id AND r.citizen_id = p_citizen;
  UPDATE hub.courses SET municipality_id = p_to WHERE citizen_id = p_citizen;
  UPDATE hub.course_events e SET municipality_id = p_to FROM hub.courses c
    WHERE e.course_id = c.id AND c.citizen_id = p_citizen;
  INSERT INTO hub.citizen_transfers (citizen_id, from_id, to_id, reason, actor_sub, at)
    VALUES (p_citizen, v_from, p_to, p_reason, p_sub, p_at);
  RETURN true;
END $$;
REVOKE ALL ON FUNCTION hub.transfer_citizen FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.transfer_citizen TO exithub_municipality;

-- Cooperation agreements: organisational data.
CREATE TABLE hub.cooperation_agreements (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  municipality_id uuid NOT NULL REFERENCES hub.organisations(id),
  ngo_id          uuid NOT NULL REFERENCES hub.organisations(id),
  from_date       date NOT NULL,
  to_date         date NOT NULL CHECK (to_date >= from_date),
  amount_ore      bigint NOT NULL CHECK (amount_ore > 0),
  services        text[] NOT NULL CHECK (cardinality(services) > 0),
  status          text NOT NULL CHECK (status IN ('DRAFT','ACTIVE','ENDED')),
  version         integer NOT NULL DEFAULT 1,
  created_at      timestamptz NOT NULL
);
ALTER TABLE hub.cooperation_agreements ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON hub.cooperation_agreements TO exithub_municipality;
GRANT SELECT ON hub.cooperation_agreements TO exithub_ngo, exithub_ministry, exithub_agency, exithub_evaluator;
CREATE POLICY municipality_cooperation ON hub.cooperation_agreements TO exithub_municipality
  USING (municipality_id = hub.org());
CREATE POLICY ngo_cooperation ON hub.cooperation_agreements TO exithub_ngo
  USING (ngo_id = hub.org());
CREATE POLICY state_cooperation ON hub.cooperation_agreements
  TO exithub_ministry, exithub_agency, exithub_evaluator USING (true);

-- The programme's money, in øre.
CREATE TABLE hub.programmes (
  id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code      text NOT NULL UNIQUE,
  name      text NOT NULL,
  frame_ore bigint NOT NULL CHECK (frame_ore > 0)
);
CREATE TABLE hub.budget_lines (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme_id uuid NOT NULL REFERENCES hub.programmes(id),
  code         text NOT NULL,
  name         text NOT NULL,
  earmark_ore  bigint NOT NULL CHECK (earmark_ore > 0),
  position     integer NOT NULL,
  UNIQUE (programme_id, code)
);
CREATE TABLE hub.grants (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  programme_id   uuid NOT NULL REFERENCES hub.programmes(id),
  budget_line_id uuid NOT NULL REFERENCES hub.budget_lines(id),
  recipient_id   uuid NOT NULL REFERENCES hub.organisations(id),
  amount_ore     bigint NOT NULL CHECK (amount_ore > 0),
  decided_on     date NOT NULL,
  purpose        text NOT NULL,
  created_at     timestamptz NOT NULL
);
CREATE INDEX grants_by_line ON hub.grants (budget_line_id);
CREATE INDEX grants_by_recipient ON hub.grants (recipient_id);
CREATE TABLE hub.disbursements (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  grant_id   uuid NOT NULL REFERENCES hub.grants(id),
  amount_ore bigint NOT NULL CHECK (amount_ore > 0),
  paid_on    date NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX disbursements_by_grant ON hub.disbursements (grant_id);

-- The funding invariants, held by the database whoever writes: a grant
-- locks its programme row first, so concurrent grants queue and each sees
-- the sums the previous one left; a disbursement locks its grant.
CREATE FUNCTION hub.check_grant() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
DECLARE v_frame bigint; v_earmark bigint; v_line_total bigint; v_total bigint;
BEGIN
  SELECT frame_ore INTO v_frame FROM hub.programmes WHERE id = NEW.programme_id FOR UPDATE;
  SELECT earmark_ore INTO v_earmark FROM hub.budget_lines
    WHERE id = NEW.budget_line_id AND programme_id = NEW.programme_id;
  IF v_earmark IS NULL THEN
    RAISE EXCEPTION 'budget line not in programme' USING ERRCODE = '23503';
  END IF;
  SELECT coalesce(sum(amount_ore), 0) INTO v_line_total FROM hub.grants WHERE budget_line_id = NEW.budget_line_id;
  SELECT coalesce(sum(amount_ore), 0) INTO v_total FROM hub.grants WHERE programme_id = NEW.programme_id;
  IF v_line_total + NEW.amount_ore > v_earmark THEN
    RAISE EXCEPTION 'grants would exceed the budget line''s earmark' USING ERRCODE = '23514', CONSTRAINT = 'grant_within_earmark';
  END IF;
  IF v_total + NEW.amount_ore > v_frame THEN
    RAISE EXCEPTION 'grants would exceed the programme''s frame' USING ERRCODE = '23514', CONSTRAINT = 'grant_within_frame';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER grants_within_limits BEFORE INSERT OR UPDATE ON hub.grants
  FOR EACH ROW EXECUTE FUNCTION hub.check_grant();

CREATE FUNCTION hub.check_disbursement() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = hub, pg_temp AS $$
DECLARE v_grant bigint; v_paid bigint;
BEGIN
  SELECT amount_ore INTO v_grant FROM hub.grants WHERE id = NEW.grant_id FOR UPDATE;
  SELECT coalesce(sum(amount_ore), 0) INTO v_paid FROM hub.disbursements WHERE grant_id = NEW.grant_id;
  IF v_paid + NEW.amount_ore > v_grant THEN
    RAISE EXCEPTION 'disbursements would exceed the grant' USING ERRCODE = '23514', CONSTRAINT = 'disbursement_within_grant';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER disbursements_within_grant BEFORE INSERT OR UPDATE ON hub.disbursements
  FOR EACH ROW EXECUTE FUNCTION hub.check_disbursement();

ALTER TABLE hub.grants        ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.disbursements ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
GRANT SELECT ON hub.programmes, hub.budget_lines TO exithub_municipality, exithub_ngo,
  exithub_ministry, exithub_agency, exithub_evaluator;
GRANT SELECT ON hub.grants, hub.disbursements TO exithub_municipality, exithub_ngo,
  exithub_ministry, exithub_agency, exithub_evaluator;
GRANT INSERT ON hub.grants, hub.disbursements TO exithub_ministry, exithub_agency;
CREATE POLICY recipient_grants ON hub.grants TO exithub_municipality, exithub_ngo
  USING (recipient_id = hub.org());
CREATE POLICY state_grants ON hub.grants TO exithub_ministry, exithub_agency, exithub_evaluator
  USING (true);
CREATE POLICY recipient_disbursements ON hub.disbursements TO exithub_municipality, exithub_ngo
  USING (EXISTS (SELECT 1 FROM hub.grants g WHERE g.id = grant_id AND g.recipient_id = hub.org()));
CREATE POLICY state_disbursements ON hub.disbursements TO exithub_ministry, exithub_agency, exithub_evaluator
  USING (true);
