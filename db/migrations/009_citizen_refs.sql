-- The keyed references of many citizens in one call: an audit record of a
-- page of 20 referrals paid twenty calls of hub.citizen_ref, each reading
-- the secret and switching search_path, most of the database's cost of an
-- NGO's inbox. Distinct and sorted, as the audit record stores them.
CREATE FUNCTION hub.citizen_refs(p_ids uuid[]) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
  SELECT coalesce(array_agg(DISTINCT encode(sha256(s.secret || convert_to('citizen:' || c::text, 'UTF8')), 'hex')), '{}')
  FROM hub_private.statistics_secret s, unnest(p_ids) c
  WHERE c IS NOT NULL
$$;
REVOKE ALL ON FUNCTION hub.citizen_refs FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.citizen_refs TO exithub_app, exithub_municipality, exithub_ngo, exithub_ministry,
  exithub_agency, exithub_evaluator, exithub_operator;
