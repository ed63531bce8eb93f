-- The retention cut-off has one rule: today less the period, as a day in
-- Copenhagen, on the database's clock, and never after today (a period
-- below zero erases nothing that has not ended by today). hub.retention_cutoff()
-- applies it to the configured period for the scheduled runs, and
-- `exithub retention run --keep` to the period it is given.
CREATE FUNCTION hub.retention_cutoff_for(keep interval) RETURNS date
LANGUAGE sql STABLE AS $$
  SELECT least((now() AT TIME ZONE 'Europe/Copenhagen')::date, ((now() - keep) AT TIME ZONE 'Europe/Copenhagen')::date)
$$;

CREATE OR REPLACE FUNCTION hub.retention_cutoff() RETURNS date
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  SELECT hub.retention_cutoff_for(keep) FROM hub_private.retention_period
$$;
