-- Live subjects, hardened.
-- API keys are sealed at rest (AES-256-GCM under a key derived from the server secret, `cpk1.…`);
-- the config jsonb no longer holds them. Rows written before this keep `config.apiKey` until the server
-- next reads them, when the key is sealed and removed from the config (the SQL here has no secret).
ALTER TABLE subject_endpoints ADD COLUMN api_key_sealed text;

-- A circuit breaker per live subject instead of "unavailable for good"; in the database so that every
-- app instance agrees. No row: closed.
CREATE TABLE endpoint_circuits (
  subject_id uuid PRIMARY KEY REFERENCES subjects (id) ON DELETE CASCADE,
  consecutive_failures int NOT NULL DEFAULT 0,
  openings int NOT NULL DEFAULT 0,
  open_until timestamptz,
  probe_until timestamptz,
  -- what organisers are told: the kind of failure and the HTTP status, never the endpoint's text
  last_failure_kind text,
  last_failure_status int,
  last_failure_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every live battle started, for the charter's quotas (per participant, per evaluation, per day).
CREATE TABLE live_battles (
  id bigserial PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  started_at timestamptz NOT NULL
);
CREATE INDEX live_battles_evaluation_started ON live_battles (evaluation_id, started_at);
CREATE INDEX live_battles_participant_started ON live_battles (participant_id, started_at);

-- Live subjects marked unavailable for good carried the endpoint's own words: the breaker replaces them.
UPDATE subjects SET available = true, unavailable_reason = NULL
 WHERE unavailable_reason IS NOT NULL AND id IN (SELECT subject_id FROM subject_endpoints);
