-- The assignment pool (assignableResponses) shows a participant's item only while its author's consent allows it
-- (mayUseSql), so a change of an author's consent is a change of the pool: bump its version as items, responses
-- and subjects do (0006), or servers keep drawing the item from their cached pool index.
CREATE INDEX items_author_idx ON items (author_participant_id) WHERE author_participant_id IS NOT NULL;

CREATE FUNCTION assignment_pool_bump_authors_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_pool_versions (evaluation_id, version)
  SELECT DISTINCT n.evaluation_id, 1 FROM new_rows n WHERE EXISTS (SELECT 1 FROM items i WHERE i.author_participant_id = n.participant_id) ORDER BY 1
  ON CONFLICT (evaluation_id) DO UPDATE SET version = assignment_pool_versions.version + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION assignment_pool_bump_authors_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_pool_versions (evaluation_id, version)
  SELECT DISTINCT o.evaluation_id, 1 FROM old_rows o WHERE EXISTS (SELECT 1 FROM items i WHERE i.author_participant_id = o.participant_id) ORDER BY 1
  ON CONFLICT (evaluation_id) DO UPDATE SET version = assignment_pool_versions.version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER consents_pool_insert AFTER INSERT ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_authors_new();
CREATE TRIGGER consents_pool_update AFTER UPDATE ON consents REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_authors_new();
CREATE TRIGGER consents_pool_delete AFTER DELETE ON consents REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_authors_old();
