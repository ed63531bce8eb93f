-- Roles and the organisation directory.
--
-- The server logs in as exithub_app: no superuser, NOBYPASSRLS, owns nothing,
-- NOINHERIT, so it holds no table rights of its own beyond the directory and
-- must SET ROLE to one principal-kind role per transaction. Roles are
-- cluster-wide, so they are created only when missing.
DO $$
DECLARE r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['exithub_municipality','exithub_ngo','exithub_ministry',
                           'exithub_agency','exithub_evaluator','exithub_operator'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT', r);
    END IF;
  END LOOP;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'exithub_app') THEN
    CREATE ROLE exithub_app LOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT NOCREATEDB NOCREATEROLE;
  END IF;
  FOREACH r IN ARRAY ARRAY['exithub_municipality','exithub_ngo','exithub_ministry',
                           'exithub_agency','exithub_evaluator','exithub_operator'] LOOP
    EXECUTE format('GRANT %I TO exithub_app', r);
  END LOOP;
END $$;

-- Everything of the hub lives in schema hub; the app may use it but owns nothing.
CREATE SCHEMA hub;
GRANT USAGE ON SCHEMA hub TO exithub_app, exithub_municipality, exithub_ngo,
  exithub_ministry, exithub_agency, exithub_evaluator, exithub_operator;

-- Owner-only: the app role's password, so that serve, given only an owner's
-- URL, can still log in as the restricted role.
CREATE SCHEMA hub_private;
CREATE TABLE hub_private.app_credentials (
  rolname  text PRIMARY KEY,
  password text NOT NULL
);

-- Who is asking, as the request transaction said it with set_config(..., true).
CREATE FUNCTION hub.org() RETURNS uuid LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('hub.org_id', true), '')::uuid $$;

CREATE TABLE hub.organisations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code       text NOT NULL UNIQUE,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind       text NOT NULL CHECK (kind IN ('MUNICIPALITY','NGO','MINISTRY','AGENCY','EVALUATOR','OPERATOR')),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind <> 'MUNICIPALITY' OR code ~ '^[0-9]{3}$'),
  CHECK (kind = 'MUNICIPALITY' OR code ~ '^[a-z][a-z0-9-]{1,62}$')
);

-- A municipality's population with its date and source, as used to split
-- money among municipalities.
CREATE TABLE hub.populations (
  org_id     uuid NOT NULL REFERENCES hub.organisations(id),
  as_of      date NOT NULL,
  population integer NOT NULL CHECK (population >= 0),
  source     text NOT NULL,
  PRIMARY KEY (org_id, as_of)
);

-- The directory is not personal data: every principal and the login role
-- itself (to resolve a token's organisation) may read it.
GRANT SELECT ON hub.organisations, hub.populations TO exithub_app, exithub_municipality,
  exithub_ngo, exithub_ministry, exithub_agency, exithub_evaluator, exithub_operator;
GRANT INSERT, UPDATE ON hub.organisations, hub.populations TO exithub_operator;
