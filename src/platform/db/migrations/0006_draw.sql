-- State for drawing battles without enumerating every (item, pair of subjects).

-- How often each unordered subject pair has been compared: current pairwise judgments, x < y. Kept by the
-- triggers below in the same transaction as the judgment insert, revision or deletion, so it always agrees
-- with `SELECT least(subject_a, subject_b), greatest(...), count(*) FROM judgments WHERE kind = 'pairwise'
-- AND is_current GROUP BY 1, 2`. Statement-level triggers with transition tables: a bulk import pays one
-- grouped upsert, not one per row.
CREATE TABLE pair_counts (
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  x uuid NOT NULL,
  y uuid NOT NULL,
  n int NOT NULL,
  PRIMARY KEY (evaluation_id, x, y)
);

INSERT INTO pair_counts (evaluation_id, x, y, n)
SELECT evaluation_id, least(subject_a, subject_b), greatest(subject_a, subject_b), count(*)::int
  FROM judgments
 WHERE kind = 'pairwise' AND is_current AND subject_a IS NOT NULL AND subject_b IS NOT NULL
 GROUP BY 1, 2, 3;

CREATE FUNCTION pair_counts_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pair_counts (evaluation_id, x, y, n)
  SELECT evaluation_id, least(subject_a, subject_b), greatest(subject_a, subject_b), count(*)::int
    FROM new_rows WHERE kind = 'pairwise' AND is_current AND subject_a IS NOT NULL AND subject_b IS NOT NULL
   GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (evaluation_id, x, y) DO UPDATE SET n = pair_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE FUNCTION pair_counts_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE pair_counts p SET n = p.n - d.n
    FROM (SELECT evaluation_id, least(subject_a, subject_b) AS x, greatest(subject_a, subject_b) AS y, count(*)::int AS n
            FROM old_rows WHERE kind = 'pairwise' AND is_current AND subject_a IS NOT NULL AND subject_b IS NOT NULL
           GROUP BY 1, 2, 3) d
   WHERE p.evaluation_id = d.evaluation_id AND p.x = d.x AND p.y = d.y;
  RETURN NULL;
END $$;

CREATE FUNCTION pair_counts_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO pair_counts (evaluation_id, x, y, n)
  SELECT e, x, y, sum(n)::int FROM (
      SELECT evaluation_id AS e, least(subject_a, subject_b) AS x, greatest(subject_a, subject_b) AS y, 1 AS n
        FROM new_rows WHERE kind = 'pairwise' AND is_current AND subject_a IS NOT NULL AND subject_b IS NOT NULL
      UNION ALL
      SELECT evaluation_id, least(subject_a, subject_b), greatest(subject_a, subject_b), -1
        FROM old_rows WHERE kind = 'pairwise' AND is_current AND subject_a IS NOT NULL AND subject_b IS NOT NULL
    ) changes
   GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT (evaluation_id, x, y) DO UPDATE SET n = pair_counts.n + EXCLUDED.n;
  RETURN NULL;
END $$;

CREATE TRIGGER judgments_pair_counts_insert AFTER INSERT ON judgments
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pair_counts_on_insert();
CREATE TRIGGER judgments_pair_counts_update AFTER UPDATE ON judgments
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pair_counts_on_update();
CREATE TRIGGER judgments_pair_counts_delete AFTER DELETE ON judgments
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pair_counts_on_delete();

-- A version per evaluation of the assignment pool (accepted items, available subjects, their responses),
-- bumped by any change to those tables: servers cache the pool and compare this number on each draw.
-- No foreign key: deleting an evaluation cascades into the tables whose triggers write here.
CREATE TABLE assignment_pool_versions (
  evaluation_id uuid PRIMARY KEY,
  version bigint NOT NULL
);

CREATE FUNCTION assignment_pool_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_pool_versions (evaluation_id, version)
  SELECT DISTINCT evaluation_id, 1 FROM new_rows ORDER BY 1
  ON CONFLICT (evaluation_id) DO UPDATE SET version = assignment_pool_versions.version + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION assignment_pool_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO assignment_pool_versions (evaluation_id, version)
  SELECT DISTINCT evaluation_id, 1 FROM old_rows ORDER BY 1
  ON CONFLICT (evaluation_id) DO UPDATE SET version = assignment_pool_versions.version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER items_pool_insert AFTER INSERT ON items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER items_pool_update AFTER UPDATE ON items REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER items_pool_delete AFTER DELETE ON items REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_old();
CREATE TRIGGER responses_pool_insert AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER responses_pool_update AFTER UPDATE ON responses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER responses_pool_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_old();
CREATE TRIGGER subjects_pool_insert AFTER INSERT ON subjects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER subjects_pool_update AFTER UPDATE ON subjects REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_new();
CREATE TRIGGER subjects_pool_delete AFTER DELETE ON subjects REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assignment_pool_bump_old();

-- The participant's own pairwise history, read on each draw.
CREATE INDEX judgments_participant_pairwise_idx ON judgments (participant_id, item_id, subject_a, subject_b) WHERE kind = 'pairwise';
