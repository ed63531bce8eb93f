-- The ledger of applied migrations: each file's name and SHA-256 as this
-- database applied it. tern records only the version, so a file edited
-- after it was applied would never reach this database, silently;
-- `exithub migrate` and `serve` compare the ledger with the files they
-- carry and refuse on a difference. Versions applied before this one are
-- recorded by the first migrate that applies it, with the files it carries.
CREATE TABLE public.exithub_migrations (
  version     integer PRIMARY KEY CHECK (version > 0),
  name        text NOT NULL,
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON public.exithub_migrations TO exithub_app;
