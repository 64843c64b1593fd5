-- Accounts (the better-auth schema, with its anonymous plugin for invited participants).
CREATE TABLE "user" ("id" text NOT NULL PRIMARY KEY, "name" text NOT NULL, "email" text NOT NULL UNIQUE,
  "emailVerified" boolean NOT NULL, "image" text, "createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL, "isAnonymous" boolean);
CREATE TABLE "session" ("id" text NOT NULL PRIMARY KEY, "expiresAt" timestamptz NOT NULL, "token" text NOT NULL UNIQUE,
  "createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" timestamptz NOT NULL, "ipAddress" text,
  "userAgent" text, "userId" text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE);
CREATE TABLE "account" ("id" text NOT NULL PRIMARY KEY, "accountId" text NOT NULL, "providerId" text NOT NULL,
  "userId" text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE, "accessToken" text, "refreshToken" text,
  "idToken" text, "accessTokenExpiresAt" timestamptz, "refreshTokenExpiresAt" timestamptz, "scope" text,
  "password" text, "createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL, "updatedAt" timestamptz NOT NULL);
CREATE TABLE "verification" ("id" text NOT NULL PRIMARY KEY, "identifier" text NOT NULL, "value" text NOT NULL,
  "expiresAt" timestamptz NOT NULL, "createdAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
  "updatedAt" timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE INDEX "session_userId_idx" ON "session" ("userId");
CREATE INDEX "account_userId_idx" ON "account" ("userId");
CREATE INDEX "verification_identifier_idx" ON "verification" ("identifier");

-- Evaluations and their charters.
CREATE TABLE evaluations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  question text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'published')),
  phase text NOT NULL DEFAULT 'judge' CHECK (phase IN ('judge', 'deliberate', 'revise')),
  created_by text REFERENCES "user" ("id"),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE charters (
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  version int NOT NULL CHECK (version >= 1),
  content jsonb NOT NULL,
  content_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (evaluation_id, version)
);

CREATE TABLE evaluation_roles (
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES "user" ("id") ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('organiser', 'observer')),
  PRIMARY KEY (evaluation_id, user_id)
);

CREATE TABLE invitations (
  token text PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('participant', 'observer')),
  max_uses int,
  uses int NOT NULL DEFAULT 0,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What is evaluated.
CREATE TABLE subjects (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('model', 'product', 'application', 'use_case')),
  organisation text,
  context jsonb NOT NULL DEFAULT '{}',
  artifacts jsonb NOT NULL DEFAULT '[]',
  available boolean NOT NULL DEFAULT true,
  unavailable_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (evaluation_id, name)
);

CREATE TABLE participants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  user_id text REFERENCES "user" ("id") ON DELETE SET NULL,
  pseudonym text NOT NULL,
  communities text[] NOT NULL DEFAULT '{}',
  external_ref text,
  joined_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (evaluation_id, user_id),
  UNIQUE (evaluation_id, pseudonym)
);

CREATE TABLE items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  external_ref text,
  title text NOT NULL DEFAULT '',
  prompt text NOT NULL,
  scenario jsonb,
  author_participant_id uuid REFERENCES participants (id),
  moderation text NOT NULL DEFAULT 'accepted' CHECK (moderation IN ('accepted', 'pending', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (evaluation_id, external_ref)
);
CREATE INDEX items_evaluation_idx ON items (evaluation_id);

CREATE TABLE responses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  item_id uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  subject_id uuid NOT NULL REFERENCES subjects (id) ON DELETE CASCADE,
  text text NOT NULL,
  meta jsonb NOT NULL DEFAULT '{}',
  identity_leak text[],
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, subject_id)
);
CREATE INDEX responses_evaluation_idx ON responses (evaluation_id);

-- Consent: the current state per participant, and every change as an event.
CREATE TABLE consents (
  participant_id uuid PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  charter_version int NOT NULL,
  scopes text[] NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consents_evaluation_idx ON consents (evaluation_id);

CREATE TABLE consent_events (
  id bigserial PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  charter_version int NOT NULL,
  change text NOT NULL CHECK (change IN ('grant', 'change', 'revoke')),
  scopes text[] NOT NULL,
  granted text[] NOT NULL DEFAULT '{}',
  revoked text[] NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_events_participant_idx ON consent_events (participant_id, id);

-- Battle assignment: the subjects stay hidden behind the token until a judgment is cast.
CREATE TABLE assignments (
  token text PRIMARY KEY,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  item_id uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  mode text NOT NULL CHECK (mode IN ('pairwise', 'rating', 'ranking')),
  response_ids uuid[] NOT NULL,
  served_at timestamptz NOT NULL DEFAULT now(),
  judged_at timestamptz
);
CREATE INDEX assignments_participant_idx ON assignments (participant_id, served_at);

CREATE TABLE judgments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq bigserial UNIQUE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  item_id uuid REFERENCES items (id) ON DELETE CASCADE,
  assignment_token text UNIQUE REFERENCES assignments (token),
  kind text NOT NULL CHECK (kind IN ('pairwise', 'rating', 'ranking', 'abstention', 'contest')),
  body jsonb NOT NULL,
  -- pairwise judgments are denormalised for SQL aggregation: subject_a < subject_b is not required.
  subject_a uuid REFERENCES subjects (id),
  subject_b uuid REFERENCES subjects (id),
  outcome text CHECK (outcome IN ('a', 'b', 'tie', 'both_bad')),
  response_ids uuid[] NOT NULL DEFAULT '{}',
  rationale text,
  phase text NOT NULL DEFAULT 'judge',
  charter_version int NOT NULL,
  consent_scopes text[] NOT NULL,
  revises uuid REFERENCES judgments (id),
  is_current boolean NOT NULL DEFAULT true,
  time_on_task_ms int,
  excluded_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'pairwise') = (outcome IS NOT NULL))
);
CREATE INDEX judgments_pairs_idx ON judgments (evaluation_id, subject_a, subject_b, outcome) WHERE kind = 'pairwise' AND is_current;
CREATE INDEX judgments_participant_idx ON judgments (participant_id);
CREATE INDEX judgments_evaluation_kind_idx ON judgments (evaluation_id, kind);

-- The single path by which data leaves (filled by the export service).
CREATE TABLE exports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  requested_by text,
  scope text NOT NULL,
  recipient text NOT NULL,
  purpose text NOT NULL,
  format text NOT NULL,
  included_count int NOT NULL,
  excluded jsonb NOT NULL DEFAULT '{}',
  content_hash text NOT NULL,
  charter_version int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE export_contributors (
  export_id uuid NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  contributions int NOT NULL,
  PRIMARY KEY (export_id, participant_id)
);
