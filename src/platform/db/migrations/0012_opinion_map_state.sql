-- The opinion map's state between updates (issue 17): the map evolves as Polis's does, each update warm-started
-- from the last, instead of being recomputed from scratch on request.
--   opinion_maps: one row per evaluation, replaced by each update. `version` is the update's number; an
--     update is written only if the version is still the one it started from (compare-and-set), so two app
--     instances never both advance it: the loser reads the winner's row.
--   opinion_map_updates: the history, one row per update, written in the same transaction. Group sizes only,
--     never members; published through k-suppression (core/k-anonymity.ts).
CREATE TABLE opinion_maps (
  evaluation_id uuid PRIMARY KEY REFERENCES evaluations(id) ON DELETE CASCADE,
  version int NOT NULL CHECK (version >= 1),
  computed_at timestamptz NOT NULL,
  -- current votes (one per participant and statement, consent to aggregate) the map was computed from
  votes int NOT NULL,
  -- digest of the statements and their moderation, and of the participants counted: a change other than new
  -- votes (moderation, withdrawn consent) updates the map at once, whatever the vote threshold
  inputs_digest text NOT NULL,
  -- what the next update starts from: in-conversation set, components, base clusters, group clusterings per k,
  -- k smoother, labelled groups (analytics/opinion/update.ts OpinionMapState)
  state jsonb NOT NULL,
  -- the map served until the next update (analytics/opinion/types.ts OpinionMap)
  map jsonb NOT NULL
);

CREATE TABLE opinion_map_updates (
  evaluation_id uuid NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,
  version int NOT NULL CHECK (version >= 1),
  computed_at timestamptz NOT NULL,
  votes int NOT NULL,
  k int NOT NULL,
  -- [{"id": group label, "participants": size}], sizes only
  group_sizes jsonb NOT NULL,
  PRIMARY KEY (evaluation_id, version)
);
