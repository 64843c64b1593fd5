-- What organisers did to an evaluation, written in the same transaction as the action (modules/evaluations/audit.ts).
-- `actor_name` is the display name at the time; `detail` is a small JSON object without secrets.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  actor_user_id text REFERENCES "user" ("id") ON DELETE SET NULL,
  actor_name text NOT NULL,
  action text NOT NULL,
  target text,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_evaluation_newest ON audit_log (evaluation_id, id DESC);
