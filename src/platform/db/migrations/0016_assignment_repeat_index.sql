-- The assignment fast path (src/modules/judging/queries.ts, insertAssignmentWithView) inserts a pairwise task only
-- if the participant was never served that item with that pair: an indexed look-up of their tasks on the item,
-- instead of reading their whole history on every draw.
CREATE INDEX assignments_participant_item_idx ON assignments (participant_id, item_id) WHERE mode = 'pairwise';
