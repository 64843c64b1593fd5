-- Results on the blind board (src/modules/results/queries.ts, VERSION) ask which first versions were revised since.
-- With this index that is a read of the revisions alone, instead of one more scan of all the evaluation's
-- judgments in every blind-board query (six per results page).
CREATE INDEX judgments_revisions_idx ON judgments (evaluation_id, revises) WHERE revises IS NOT NULL;
