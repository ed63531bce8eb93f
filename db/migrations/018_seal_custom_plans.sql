-- A round of the sealer plans its statements, and the foreign-key checks
-- its insert of seals fires, for the records at hand. PostgreSQL caches
-- those plans per connection and, after five runs, may keep a generic plan
-- made when the log was short: a scan of the whole log, which the bench
-- caught running for seconds every round once the log had grown (the
-- sealer's connection lives as long as the server). Planning each time
-- costs microseconds.
ALTER FUNCTION hub.seal() SET plan_cache_mode = force_custom_plan;
