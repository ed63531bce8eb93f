-- A citizen's access log found through the index on citizen_refs.
--
-- Under row-level security PostgreSQL evaluates a policy's condition before
-- any condition of the query that is not leakproof, and @> on arrays is not:
-- the GIN index on audit_log.citizen_refs could never serve the access log,
-- which read every record of the caller's scope instead (all of a
-- municipality's trail, newest first, for a citizen with three records).
--
-- hub.citizen_audit_log reads as the owner, finds the citizen's records
-- through the index and keeps those hub.audit_readable lets the caller
-- read. audit_readable is also the condition of the trail's read policies
-- from here on: who may read which record has that one home.

-- Whether the role the request switched to may read a record of the trail
-- with this municipality and organisation: a municipality what concerns its
-- citizens or was done by it; the operator's auditors (the operator role
-- with an operator's id in hub.org_id) all of it; nobody else anything.
CREATE FUNCTION hub.audit_readable(p_municipality uuid, p_org uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = hub, pg_temp AS $$
  SELECT CASE current_setting('role', true)
    WHEN 'exithub_municipality' THEN coalesce(p_municipality = hub.org() OR p_org = hub.org(), false)
    WHEN 'exithub_operator' THEN EXISTS (SELECT 1 FROM hub.organisations o WHERE o.id = hub.org() AND o.kind = 'OPERATOR')
    ELSE false
  END
$$;

DROP POLICY audit_read_municipality ON hub.audit_log;
CREATE POLICY audit_read_municipality ON hub.audit_log FOR SELECT TO exithub_municipality
  USING (hub.audit_readable(municipality_id, org_id));
DROP POLICY audit_read_operator ON hub.audit_log;
CREATE POLICY audit_read_operator ON hub.audit_log FOR SELECT TO exithub_operator
  USING (hub.audit_readable(municipality_id, org_id));

-- The records that name the citizen ref and that the caller may read, all
-- of them (a person's trail, not the whole log), for the caller to page.
-- The statement is planned for the ref at hand (EXECUTE): a plan made
-- without it, as a SQL function's would be, counts on reading the whole
-- index and chooses to read the whole log instead.
CREATE FUNCTION hub.citizen_audit_log(p_ref text) RETURNS SETOF hub.audit_log
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = hub, pg_temp AS $$
BEGIN
  RETURN QUERY EXECUTE 'SELECT l.* FROM hub.audit_log l
    WHERE l.citizen_refs @> ARRAY[$1] AND hub.audit_readable(l.municipality_id, l.org_id)' USING p_ref;
END
$$;
REVOKE ALL ON FUNCTION hub.citizen_audit_log(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION hub.citizen_audit_log(text) TO exithub_municipality, exithub_operator;
