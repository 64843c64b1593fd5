-- Deliberation: threads of posts, statements with votes, public moderation, per-evaluation settings.

CREATE TABLE deliberation_settings (
  evaluation_id uuid PRIMARY KEY REFERENCES evaluations (id) ON DELETE CASCADE,
  -- strict: only accepted statements are shown and routed; permissive: unmoderated ones too
  statement_moderation text NOT NULL DEFAULT 'permissive' CHECK (statement_moderation IN ('strict', 'permissive')),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A post is attached to the evaluation, an item, a response or a result (a rule name of the charter);
-- a reply has a parent and the same target. `body` is the current version; every version is in post_versions.
CREATE TABLE posts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  target_kind text NOT NULL CHECK (target_kind IN ('evaluation', 'item', 'response', 'result')),
  target_id text NOT NULL,
  parent_id uuid REFERENCES posts (id),
  author_role text NOT NULL CHECK (author_role IN ('participant', 'organiser')),
  author_participant_id uuid REFERENCES participants (id) ON DELETE SET NULL,
  author_user_id text REFERENCES "user" ("id") ON DELETE SET NULL,
  body text NOT NULL,
  version int NOT NULL DEFAULT 1,
  hidden boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz
);
CREATE INDEX posts_target_idx ON posts (evaluation_id, target_kind, target_id, seq);

CREATE TABLE post_versions (
  post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  version int NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, version)
);

CREATE TABLE post_flags (
  id bigserial PRIMARY KEY,
  post_id uuid NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
  flagged_by text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (post_id, flagged_by)
);

CREATE TABLE statements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  text text NOT NULL,
  author_role text NOT NULL CHECK (author_role IN ('participant', 'organiser', 'imported')),
  author_participant_id uuid REFERENCES participants (id) ON DELETE SET NULL,
  moderation text NOT NULL DEFAULT 'unmoderated' CHECK (moderation IN ('accepted', 'rejected', 'unmoderated')),
  is_meta boolean NOT NULL DEFAULT false,
  external_ref text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (evaluation_id, external_ref)
);
CREATE INDEX statements_evaluation_idx ON statements (evaluation_id, seq);

-- Every vote is kept; the last one of a participant on a statement is current.
CREATE TABLE statement_votes (
  id bigserial PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  statement_id uuid NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  vote text NOT NULL CHECK (vote IN ('agree', 'disagree', 'pass')),
  phase text NOT NULL,
  is_current boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX statement_votes_current_idx ON statement_votes (statement_id, participant_id) WHERE is_current;
CREATE INDEX statement_votes_evaluation_idx ON statement_votes (evaluation_id) WHERE is_current;

-- The public moderation log: nothing is hidden or rejected without a row here.
CREATE TABLE moderation_actions (
  id bigserial PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  target_kind text NOT NULL CHECK (target_kind IN ('post', 'statement')),
  target_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('hide', 'restore', 'accept', 'reject', 'unmoderate')),
  actor_role text NOT NULL,
  actor_user_id text REFERENCES "user" ("id") ON DELETE SET NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_actions_target_idx ON moderation_actions (target_kind, target_id, id);
CREATE INDEX moderation_actions_evaluation_idx ON moderation_actions (evaluation_id, id);
