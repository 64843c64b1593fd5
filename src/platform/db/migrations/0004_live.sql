-- Live subjects: how to reach a subject. The config may hold an API key: it never leaves the server
-- (routes return describeConnectorConfig's redacted view).
CREATE TABLE subject_endpoints (
  subject_id uuid PRIMARY KEY REFERENCES subjects (id) ON DELETE CASCADE,
  config jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
