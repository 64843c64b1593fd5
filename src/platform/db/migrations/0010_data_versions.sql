-- Versions of the data derived views depend on, so that servers cache results and opinion maps and
-- know, from one indexed read, whether the data changed since. Bumped by statement-level triggers in
-- the transaction that changes the data (a bulk import pays one bump per statement, not per row).
--   results: judgments, consents, participants (communities), subjects, responses, charters
--   opinion: statement votes, statements, consents, deliberation settings
-- Each version is spread over shards (by backend) so that concurrent judgments of one evaluation do
-- not queue on one row until commit; the version is the sum over shards, and as every bump adds 1 to
-- one shard, any committed change makes the sum grow. No foreign key: deleting an evaluation cascades
-- into tables whose triggers write here.
CREATE TABLE data_versions (
  evaluation_id uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('results', 'opinion')),
  shard int NOT NULL,
  version bigint NOT NULL,
  PRIMARY KEY (evaluation_id, scope, shard)
);

CREATE FUNCTION data_version_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped text;
BEGIN
  FOREACH bumped IN ARRAY TG_ARGV LOOP
    INSERT INTO data_versions (evaluation_id, scope, shard, version)
    SELECT DISTINCT evaluation_id, bumped, pg_backend_pid() % 8, 1 FROM new_rows ORDER BY 1
    ON CONFLICT (evaluation_id, scope, shard) DO UPDATE SET version = data_versions.version + 1;
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION data_version_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bumped text;
BEGIN
  FOREACH bumped IN ARRAY TG_ARGV LOOP
    INSERT INTO data_versions (evaluation_id, scope, shard, version)
    SELECT DISTINCT evaluation_id, bumped, pg_backend_pid() % 8, 1 FROM old_rows ORDER BY 1
    ON CONFLICT (evaluation_id, scope, shard) DO UPDATE SET version = data_versions.version + 1;
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER judgments_version_insert AFTER INSERT ON judgments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER judgments_version_update AFTER UPDATE ON judgments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER judgments_version_delete AFTER DELETE ON judgments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results');
CREATE TRIGGER consents_version_insert AFTER INSERT ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results', 'opinion');
CREATE TRIGGER consents_version_update AFTER UPDATE ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results', 'opinion');
CREATE TRIGGER consents_version_delete AFTER DELETE ON consents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results', 'opinion');
CREATE TRIGGER participants_version_insert AFTER INSERT ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER participants_version_update AFTER UPDATE ON participants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER participants_version_delete AFTER DELETE ON participants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results');
CREATE TRIGGER subjects_version_insert AFTER INSERT ON subjects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER subjects_version_update AFTER UPDATE ON subjects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER subjects_version_delete AFTER DELETE ON subjects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results');
CREATE TRIGGER responses_version_insert AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER responses_version_update AFTER UPDATE ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER responses_version_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results');
CREATE TRIGGER charters_version_insert AFTER INSERT ON charters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER charters_version_update AFTER UPDATE ON charters REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('results');
CREATE TRIGGER charters_version_delete AFTER DELETE ON charters REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('results');
CREATE TRIGGER statement_votes_version_insert AFTER INSERT ON statement_votes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER statement_votes_version_update AFTER UPDATE ON statement_votes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER statement_votes_version_delete AFTER DELETE ON statement_votes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('opinion');
CREATE TRIGGER statements_version_insert AFTER INSERT ON statements REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER statements_version_update AFTER UPDATE ON statements REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER statements_version_delete AFTER DELETE ON statements REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('opinion');
CREATE TRIGGER deliberation_settings_version_insert AFTER INSERT ON deliberation_settings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER deliberation_settings_version_update AFTER UPDATE ON deliberation_settings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_new('opinion');
CREATE TRIGGER deliberation_settings_version_delete AFTER DELETE ON deliberation_settings REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION data_version_bump_old('opinion');
