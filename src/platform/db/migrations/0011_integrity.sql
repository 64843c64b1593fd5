-- Integrity: every vote counts once, and one participant holds at most one open task.

-- A task left open when the participant asks for another mode is abandoned, not left open beside the new one.
ALTER TABLE assignments ADD COLUMN abandoned_at timestamptz;
UPDATE assignments a SET abandoned_at = now()
 WHERE a.judged_at IS NULL
   AND EXISTS (SELECT 1 FROM assignments b WHERE b.participant_id = a.participant_id AND b.judged_at IS NULL AND (b.served_at, b.token) > (a.served_at, a.token));
CREATE UNIQUE INDEX assignments_one_open_idx ON assignments (participant_id) WHERE judged_at IS NULL AND abandoned_at IS NULL;

-- Participants' own judgments (through an assignment, or a revision of one): at most one current judgment per
-- (participant, item, pair) for pairwise, per (participant, response) for ratings, per (participant, item) for
-- rankings. Imported judgments (no assignment) keep their source's record as it is. Duplicates already stored
-- by the earlier draw are superseded by the latest one, as a revision would have.
UPDATE judgments j SET is_current = false
 WHERE j.is_current AND (j.assignment_token IS NOT NULL OR j.revises IS NOT NULL) AND j.kind IN ('pairwise', 'rating', 'ranking')
   AND EXISTS (
     SELECT 1 FROM judgments k
      WHERE k.is_current AND (k.assignment_token IS NOT NULL OR k.revises IS NOT NULL) AND k.kind = j.kind
        AND k.participant_id = j.participant_id AND k.seq > j.seq
        AND CASE j.kind
              WHEN 'pairwise' THEN k.item_id = j.item_id AND LEAST(k.subject_a, k.subject_b) = LEAST(j.subject_a, j.subject_b) AND GREATEST(k.subject_a, k.subject_b) = GREATEST(j.subject_a, j.subject_b)
              WHEN 'rating' THEN k.response_ids[1] = j.response_ids[1]
              ELSE k.item_id = j.item_id
            END);
CREATE UNIQUE INDEX judgments_one_current_pair_idx ON judgments (participant_id, item_id, LEAST(subject_a, subject_b), GREATEST(subject_a, subject_b))
  WHERE is_current AND kind = 'pairwise' AND (assignment_token IS NOT NULL OR revises IS NOT NULL);
CREATE UNIQUE INDEX judgments_one_current_rating_idx ON judgments (participant_id, (response_ids[1]))
  WHERE is_current AND kind = 'rating' AND (assignment_token IS NOT NULL OR revises IS NOT NULL);
CREATE UNIQUE INDEX judgments_one_current_ranking_idx ON judgments (participant_id, item_id)
  WHERE is_current AND kind = 'ranking' AND (assignment_token IS NOT NULL OR revises IS NOT NULL);
