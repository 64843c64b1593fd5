-- Judgment numbers (0015), guarded at write time (0016 is the assignment repeat index):
-- 1. the trigger also runs when a number itself is written: a statement setting participant_number,
--    subject_a_number, subject_b_number or item_number gets the numbers of the rows the judgment refers to, never
--    the value it wrote (which the results snapshot would otherwise count as another subject or person, silently);
-- 2. a judgment referring to a participant, subject or item of another evaluation is refused when written
--    (foreign_key_violation), instead of being stored and then failing every results read of its evaluation
--    (the snapshot refuses a number outside the evaluation it reads).
CREATE OR REPLACE FUNCTION judgments_reference_numbers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT (SELECT number FROM participants WHERE id = NEW.participant_id AND evaluation_id = NEW.evaluation_id),
         (SELECT number FROM subjects WHERE id = NEW.subject_a AND evaluation_id = NEW.evaluation_id),
         (SELECT number FROM subjects WHERE id = NEW.subject_b AND evaluation_id = NEW.evaluation_id),
         (SELECT number FROM items WHERE id = NEW.item_id AND evaluation_id = NEW.evaluation_id)
    INTO NEW.participant_number, NEW.subject_a_number, NEW.subject_b_number, NEW.item_number;
  IF (NEW.participant_number IS NULL AND NEW.participant_id IS NOT NULL) OR (NEW.subject_a_number IS NULL AND NEW.subject_a IS NOT NULL)
     OR (NEW.subject_b_number IS NULL AND NEW.subject_b IS NOT NULL) OR (NEW.item_number IS NULL AND NEW.item_id IS NOT NULL) THEN
    RAISE foreign_key_violation USING MESSAGE = 'a judgment refers to a participant, subject or item outside its evaluation';
  END IF;
  RETURN NEW;
END $$;

DROP TRIGGER judgments_reference_numbers ON judgments;
CREATE TRIGGER judgments_reference_numbers
  BEFORE INSERT OR UPDATE OF evaluation_id, participant_id, subject_a, subject_b, item_id, participant_number, subject_a_number, subject_b_number, item_number
  ON judgments FOR EACH ROW EXECUTE FUNCTION judgments_reference_numbers();
