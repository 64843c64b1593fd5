-- Small integer numbers for the rows a judgment refers to, copied onto the judgment when it is written. The results
-- snapshot (src/modules/results/judgment-snapshot.ts) reads every judgment's participant, subjects and item as these
-- integers, instead of joining a million uuids to three tables (a third of its time at a million judgments).
ALTER TABLE participants ADD COLUMN number integer GENERATED ALWAYS AS IDENTITY;
ALTER TABLE subjects ADD COLUMN number integer GENERATED ALWAYS AS IDENTITY;
ALTER TABLE items ADD COLUMN number integer GENERATED ALWAYS AS IDENTITY;

ALTER TABLE judgments
  ADD COLUMN participant_number integer,
  ADD COLUMN subject_a_number integer,
  ADD COLUMN subject_b_number integer,
  ADD COLUMN item_number integer;

-- What the snapshot reads of a judgment's own columns, as one integer kept by PostgreSQL: its kind and outcome as
-- their positions in JUDGMENT_KINDS and PAIRWISE_OUTCOMES (src/core/judgment.ts; 255: no outcome), whether it
-- revises another, and whether it shows two responses of two named subjects (kind · 2^16 + outcome · 2^8 + flags;
-- the flags' bits as FLAG in judgment-snapshot.ts). Tested against both lists.
ALTER TABLE judgments ADD COLUMN snapshot_code integer GENERATED ALWAYS AS (
  (CASE kind WHEN 'pairwise' THEN 0 WHEN 'rating' THEN 1 WHEN 'ranking' THEN 2 WHEN 'abstention' THEN 3 WHEN 'contest' THEN 4 END) * 65536
  + (CASE outcome WHEN 'a' THEN 0 WHEN 'b' THEN 1 WHEN 'tie' THEN 2 WHEN 'both_bad' THEN 3 ELSE 255 END) * 256
  + (revises IS NOT NULL)::int * 4
  + (kind = 'pairwise' AND cardinality(response_ids) = 2 AND subject_a IS NOT NULL AND subject_b IS NOT NULL)::int * 8
) STORED;

-- Every write of a judgment's references sets their numbers: the one place they are decided (the judging path,
-- imports, COPY and hand-written SQL alike).
CREATE FUNCTION judgments_reference_numbers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- one statement (one executor call a judgment), four index reads
  SELECT (SELECT number FROM participants WHERE id = NEW.participant_id),
         (SELECT number FROM subjects WHERE id = NEW.subject_a),
         (SELECT number FROM subjects WHERE id = NEW.subject_b),
         (SELECT number FROM items WHERE id = NEW.item_id)
    INTO NEW.participant_number, NEW.subject_a_number, NEW.subject_b_number, NEW.item_number;
  RETURN NEW;
END $$;

-- The existing judgments, once (their pair counts do not change: the counts' trigger is not run for it).
ALTER TABLE judgments DISABLE TRIGGER judgments_pair_counts_update;
UPDATE judgments j
   SET participant_number = (SELECT number FROM participants WHERE id = j.participant_id),
       subject_a_number = (SELECT number FROM subjects WHERE id = j.subject_a),
       subject_b_number = (SELECT number FROM subjects WHERE id = j.subject_b),
       item_number = (SELECT number FROM items WHERE id = j.item_id);
ALTER TABLE judgments ENABLE TRIGGER judgments_pair_counts_update;

CREATE TRIGGER judgments_reference_numbers BEFORE INSERT OR UPDATE OF participant_id, subject_a, subject_b, item_id ON judgments
  FOR EACH ROW EXECUTE FUNCTION judgments_reference_numbers();
ALTER TABLE judgments ALTER COLUMN participant_number SET NOT NULL;
