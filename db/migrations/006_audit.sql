-- The audit trail: who saw or changed what, and what was refused. Records
-- are inserted in the transaction of the work they describe; the app's
-- roles may insert but never update or delete. A single sealer chains them
-- (hub.audit_seals) in the order it finds them committed, so no request
-- waits on a lock; `exithub audit verify` walks the chain.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'exithub_sealer') THEN
    CREATE ROLE exithub_sealer NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'exithub_maintenance') THEN
    CREATE ROLE exithub_maintenance NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END $$;
GRANT exithub_sealer TO exithub_app;
GRANT USAGE ON SCHEMA hub TO exithub_sealer, exithub_maintenance;

CREATE TABLE hub.audit_log (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at              timestamptz NOT NULL DEFAULT clock_timestamp(),
  request_id      text NOT NULL DEFAULT '',
  sub             text NOT NULL DEFAULT '',
  org_id          uuid REFERENCES hub.organisations(id),
  role            text NOT NULL DEFAULT '',
  operation       text NOT NULL DEFAULT '',
  objects         jsonb NOT NULL DEFAULT '[]',   -- [{"type": "...", "id": "..."}]
  -- Whose data it concerns, as keyed hashes (hub.citizen_ref): once a
  -- citizen's records are erased, no audit row links to the person.
  citizen_refs    text[] NOT NULL DEFAULT '{}',
  municipality_id uuid,                          -- the municipality serving them
  outcome         text NOT NULL                  -- OK, or the error code
);
CREATE INDEX audit_log_citizens ON hub.audit_log USING gin (citizen_refs);

CREATE FUNCTION hub.citizen_ref(p_id uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  SELECT encode(sha256((SELECT secret FROM hub_private.statistics_secret) || convert_to('citizen:' || p_id::text, 'UTF8')), 'hex')
$$;
REVOKE ALL ON FUNCTION hub.citizen_ref FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.citizen_ref TO exithub_app, exithub_municipality, exithub_ngo, exithub_ministry,
  exithub_agency, exithub_evaluator, exithub_operator;
CREATE INDEX audit_log_municipality ON hub.audit_log (municipality_id, id DESC);

CREATE TABLE hub.audit_seals (
  log_id    bigint PRIMARY KEY REFERENCES hub.audit_log(id),
  seq       bigint NOT NULL UNIQUE,
  prev_hash bytea NOT NULL,
  hash      bytea NOT NULL
);

-- Where the chain starts after a prune: the last removed seal.
CREATE TABLE hub.audit_anchor (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq  bigint NOT NULL,
  hash bytea NOT NULL
);

ALTER TABLE hub.audit_log    ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.audit_seals  ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
ALTER TABLE hub.audit_anchor ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;

GRANT INSERT ON hub.audit_log TO exithub_app, exithub_municipality, exithub_ngo, exithub_ministry,
  exithub_agency, exithub_evaluator, exithub_operator;
CREATE POLICY audit_insert ON hub.audit_log FOR INSERT
  TO exithub_app, exithub_municipality, exithub_ngo, exithub_ministry, exithub_agency, exithub_evaluator, exithub_operator
  WITH CHECK (true);
-- Readers: the operator's auditors everything; a municipality what concerns
-- its citizens or was done by it.
GRANT SELECT ON hub.audit_log, hub.audit_seals TO exithub_operator, exithub_municipality;
CREATE POLICY audit_read_operator ON hub.audit_log FOR SELECT TO exithub_operator USING (true);
CREATE POLICY audit_read_municipality ON hub.audit_log FOR SELECT TO exithub_municipality
  USING (municipality_id = hub.org() OR org_id = hub.org());
CREATE POLICY seals_read ON hub.audit_seals FOR SELECT TO exithub_operator, exithub_municipality USING (true);

-- The sealer reads the log and appends seals; nothing else.
GRANT SELECT ON hub.audit_log, hub.audit_anchor TO exithub_sealer;
GRANT SELECT, INSERT ON hub.audit_seals TO exithub_sealer;
CREATE POLICY sealer_log ON hub.audit_log FOR SELECT TO exithub_sealer USING (true);
CREATE POLICY sealer_seals ON hub.audit_seals TO exithub_sealer USING (true) WITH CHECK (true);
CREATE POLICY sealer_anchor ON hub.audit_anchor FOR SELECT TO exithub_sealer USING (true);

-- Retention: only the maintenance role removes old records, and keeps the
-- anchor the chain then starts from.
GRANT SELECT, DELETE ON hub.audit_log, hub.audit_seals TO exithub_maintenance;
GRANT SELECT, INSERT, UPDATE ON hub.audit_anchor TO exithub_maintenance;
CREATE POLICY maintenance_log ON hub.audit_log TO exithub_maintenance USING (true);
CREATE POLICY maintenance_seals ON hub.audit_seals TO exithub_maintenance USING (true);
CREATE POLICY maintenance_anchor ON hub.audit_anchor TO exithub_maintenance USING (true) WITH CHECK (true);
