-- Data versions (0010) on 64 shards instead of 8: concurrent writers whose backends fell on one shard waited for
-- each other's commit (its WAL flush) on that row. The version is still the sum over shards; rows of shards 0-7
-- stay valid. Per backend, not at random, so that one transaction always bumps one shard (no lock-order deadlock).
CREATE OR REPLACE FUNCTION data_version_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped text;
BEGIN
  FOREACH bumped IN ARRAY TG_ARGV LOOP
    INSERT INTO data_versions (evaluation_id, scope, shard, version)
    SELECT DISTINCT evaluation_id, bumped, pg_backend_pid() % 64, 1 FROM new_rows ORDER BY 1
    ON CONFLICT (evaluation_id, scope, shard) DO UPDATE SET version = data_versions.version + 1;
  END LOOP;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION data_version_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped text;
BEGIN
  FOREACH bumped IN ARRAY TG_ARGV LOOP
    INSERT INTO data_versions (evaluation_id, scope, shard, version)
    SELECT DISTINCT evaluation_id, bumped, pg_backend_pid() % 64, 1 FROM old_rows ORDER BY 1
    ON CONFLICT (evaluation_id, scope, shard) DO UPDATE SET version = data_versions.version + 1;
  END LOOP;
  RETURN NULL;
END $$;
