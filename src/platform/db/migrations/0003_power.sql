-- Power: governance (proposals, ballots, withholdings), dissent (minority reports, demands),
-- labour (payouts, sponsor ratings) and the export notices owed after a revocation.

-- The per-export pseudonym of each contributor, so a notice can name a pseudonym (the salt is never kept).
ALTER TABLE export_contributors ADD COLUMN pseudonym text;

CREATE TABLE proposals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('amend_charter', 'release_data', 'adopt_rule', 'withhold_data', 'end_withholding', 'custom')),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  payload jsonb NOT NULL DEFAULT '{}',
  -- the decision rule and quorum of the charter version in force when the proposal was made
  method text NOT NULL CHECK (method IN ('majority', 'supermajority', 'consent')),
  quorum double precision NOT NULL CHECK (quorum >= 0 AND quorum <= 1),
  charter_version int NOT NULL,
  proposed_by_participant uuid REFERENCES participants (id) ON DELETE SET NULL,
  proposed_by_organiser boolean NOT NULL DEFAULT false,
  deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'passed', 'rejected', 'withdrawn')),
  rejection_reason text,
  tally jsonb,
  -- what closing carried out, e.g. {"charterVersion": 2} or {"withholding": "started"}
  effect jsonb,
  created_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX proposals_evaluation_idx ON proposals (evaluation_id, status, deadline);

-- Every ballot is kept; the tally counts each participant's last ballot before the deadline.
CREATE TABLE ballots (
  id bigserial PRIMARY KEY,
  proposal_id uuid NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  choice text NOT NULL CHECK (choice IN ('yes', 'no', 'abstain', 'object')),
  reason text,
  cast_at timestamptz NOT NULL
);
CREATE INDEX ballots_proposal_idx ON ballots (proposal_id, participant_id, id);

CREATE TABLE withholdings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  started_by uuid NOT NULL REFERENCES proposals (id),
  started_at timestamptz NOT NULL,
  ended_by uuid REFERENCES proposals (id),
  ended_at timestamptz
);
CREATE UNIQUE INDEX withholdings_one_active_idx ON withholdings (evaluation_id) WHERE ended_at IS NULL;

-- Minority reports: published verbatim; the text can never be changed once written.
CREATE TABLE minority_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  author_participant_id uuid NOT NULL REFERENCES participants (id),
  title text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX minority_reports_evaluation_idx ON minority_reports (evaluation_id, created_at);

CREATE FUNCTION minority_reports_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'minority reports are published verbatim and cannot be changed';
END $$;
CREATE TRIGGER minority_reports_no_update BEFORE UPDATE ON minority_reports FOR EACH ROW EXECUTE FUNCTION minority_reports_immutable();

CREATE TABLE minority_report_signatures (
  report_id uuid NOT NULL REFERENCES minority_reports (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  signed_at timestamptz NOT NULL,
  PRIMARY KEY (report_id, participant_id)
);

CREATE TABLE demands (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  author_participant_id uuid NOT NULL REFERENCES participants (id),
  title text NOT NULL,
  text text NOT NULL,
  created_at timestamptz NOT NULL,
  owed_since timestamptz,
  answer text,
  answered_at timestamptz,
  progress text NOT NULL DEFAULT 'open' CHECK (progress IN ('open', 'acknowledged', 'in_progress', 'done', 'declined')),
  progress_reason text
);
CREATE INDEX demands_evaluation_idx ON demands (evaluation_id, created_at);

CREATE TABLE demand_endorsements (
  demand_id uuid NOT NULL REFERENCES demands (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  endorsed_at timestamptz NOT NULL,
  PRIMARY KEY (demand_id, participant_id)
);

CREATE TABLE demand_milestones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  demand_id uuid NOT NULL REFERENCES demands (id) ON DELETE CASCADE,
  title text NOT NULL,
  due_at timestamptz,
  done_at timestamptz,
  created_at timestamptz NOT NULL
);

-- Labour: payouts recorded by the organiser (integer minor units) and participants' ratings of the sponsor.
CREATE TABLE payouts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  note text NOT NULL DEFAULT '',
  paid_at timestamptz NOT NULL,
  recorded_by text
);
CREATE INDEX payouts_participant_idx ON payouts (participant_id);

CREATE TABLE sponsor_ratings (
  participant_id uuid PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
  evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  communication smallint NOT NULL CHECK (communication BETWEEN 1 AND 5),
  pay smallint NOT NULL CHECK (pay BETWEEN 1 AND 5),
  fairness smallint NOT NULL CHECK (fairness BETWEEN 1 AND 5),
  promptness smallint NOT NULL CHECK (promptness BETWEEN 1 AND 5),
  rated_at timestamptz NOT NULL
);
CREATE INDEX sponsor_ratings_evaluation_idx ON sponsor_ratings (evaluation_id);

-- After a revocation, each past export that included the participant owes its recipient a notice.
-- participant_id NULL: the notice covered every contributor of the export.
CREATE TABLE export_notices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  export_id uuid NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
  participant_id uuid REFERENCES participants (id) ON DELETE CASCADE,
  note text NOT NULL DEFAULT '',
  noticed_at timestamptz NOT NULL,
  recorded_by text
);
CREATE INDEX export_notices_export_idx ON export_notices (export_id);
