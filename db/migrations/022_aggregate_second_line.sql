-- The second line for aggregates. Until now the aggregate roles (ministry,
-- agency, evaluator) could call hub.statistics_cells (exact grouped counts
-- of any day, with each cell's key sum), hub.release_source (exact counts
-- of any day, any bound k) and hub.release_save (any month, any values).
-- Only the hub's Go code kept them to the invariant and the releases. Now
-- the database holds what it can of that line: an aggregate role reads
-- exact counts only as the ungrouped national table (the invariant), and
-- the true cells of a release only for a month that has ended, and stores
-- a release only for such a month. (The noise is added by the hub, which
-- the database cannot check; the grace period after a month's end is the
-- hub's rule, gate.go.)

-- The national table of a day: persons by category and CTI track, no
-- other dimension and no key.
CREATE FUNCTION hub.national_cells(d date)
RETURNS TABLE (category text, track text, persons bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp SET jit = off AS $$
  SELECT category, track, sum(persons)::bigint
  FROM hub.statistics_cells(d, false, false, false, false) GROUP BY 1, 2
$$;
REVOKE ALL ON FUNCTION hub.national_cells FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.national_cells TO exithub_ministry, exithub_agency, exithub_evaluator;

-- Whether the month that m lies in has ended, on the database's clock, in
-- Copenhagen.
CREATE FUNCTION hub.month_ended(m date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT (date_trunc('month', m) + interval '1 month')::date <= (now() AT TIME ZONE 'Europe/Copenhagen')::date
$$;

-- The true cells of the release of the month ending on d, for a month
-- that has ended, with k at least 1.
CREATE FUNCTION hub.release_source_ended(d date, k integer)
RETURNS TABLE (tbl text, key text, n bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  IF d <> (date_trunc('month', d) + interval '1 month - 1 day')::date OR NOT hub.month_ended(d) OR k < 1 THEN
    RAISE EXCEPTION 'a release is of a month that has ended, read as of its last day (%)', d
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT s.tbl, s.key, s.n FROM hub.release_source(d, k) s;
END $$;
REVOKE ALL ON FUNCTION hub.release_source_ended FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.release_source_ended TO exithub_ministry, exithub_agency, exithub_evaluator;

-- Stores the release of a month that has ended, as hub.release_save does.
CREATE FUNCTION hub.release_save_ended(p_month date, p_threshold integer, p_epsilon text, p_k integer,
  p_tbl text[], p_pos integer[], p_key text[], p_value integer[]) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  IF p_month <> date_trunc('month', p_month)::date OR NOT hub.month_ended(p_month) OR p_threshold < 1 OR p_k < 1 THEN
    RAISE EXCEPTION 'a release is stored for a month that has ended (%)', p_month
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN hub.release_save(p_month, p_threshold, p_epsilon, p_k, p_tbl, p_pos, p_key, p_value);
END $$;
REVOKE ALL ON FUNCTION hub.release_save_ended FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.release_save_ended TO exithub_ministry, exithub_agency, exithub_evaluator;

REVOKE EXECUTE ON FUNCTION hub.statistics_cells, hub.release_source, hub.release_save
  FROM exithub_ministry, exithub_agency, exithub_evaluator;
