-- The judgment numbers' trigger (0015) also runs when a number itself is written: a statement setting
-- participant_number, subject_a_number, subject_b_number or item_number gets the numbers of the rows the
-- judgment refers to, never the value it wrote (which the results snapshot would otherwise count as another
-- subject or person, silently).
DROP TRIGGER judgments_reference_numbers ON judgments;
CREATE TRIGGER judgments_reference_numbers
  BEFORE INSERT OR UPDATE OF participant_id, subject_a, subject_b, item_id, participant_number, subject_a_number, subject_b_number, item_number
  ON judgments FOR EACH ROW EXECUTE FUNCTION judgments_reference_numbers();
