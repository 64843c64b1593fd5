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
