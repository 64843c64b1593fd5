/** Proposals, ballots and withholdings (migration 0003). */
import type { BallotChoice, DecisionMethod, ProposalKind, ProposalStatus, RejectionReason, Tally } from "../../core/governance.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface ProposalRow {
  id: string;
  evaluation_id: string;
  kind: ProposalKind;
  title: string;
  description: string;
  payload: Record<string, unknown>;
  method: DecisionMethod;
  quorum: number;
  charter_version: number;
  proposed_by_participant: string | null;
  proposed_by_organiser: boolean;
  deadline: Date;
  status: ProposalStatus;
  rejection_reason: RejectionReason | null;
  tally: Tally | null;
  effect: Record<string, unknown> | null;
  created_at: Date;
  closed_at: Date | null;
}

export interface BallotRow {
  id: number;
  proposal_id: string;
  participant_id: string;
  choice: BallotChoice;
  reason: string | null;
  cast_at: Date;
}

export interface WithholdingRow {
  id: string;
  started_by: string;
  started_at: Date;
  ended_by: string | null;
  ended_at: Date | null;
}

const PROPOSAL_COLUMNS =
  "id, evaluation_id, kind, title, description, payload, method, quorum, charter_version, proposed_by_participant, proposed_by_organiser, deadline, status, rejection_reason, tally, effect, created_at, closed_at";

export interface NewProposal {
  evaluationId: string;
  kind: ProposalKind;
  title: string;
  description: string;
  payload: Record<string, unknown>;
  method: DecisionMethod;
  quorum: number;
  charterVersion: number;
  participantId: string | null;
  byOrganiser: boolean;
  deadline: Date;
  createdAt: Date;
}

export async function insertProposal(db: Queryable, p: NewProposal): Promise<ProposalRow> {
  const { rows } = await db.query<ProposalRow>(
    `INSERT INTO proposals (evaluation_id, kind, title, description, payload, method, quorum, charter_version, proposed_by_participant, proposed_by_organiser, deadline, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${PROPOSAL_COLUMNS}`,
    [p.evaluationId, p.kind, p.title, p.description, JSON.stringify(p.payload), p.method, p.quorum, p.charterVersion, p.participantId, p.byOrganiser, p.deadline, p.createdAt],
  );
  return rows[0] as ProposalRow;
}

export async function listProposals(db: Queryable, evaluationId: string): Promise<ProposalRow[]> {
  const { rows } = await db.query<ProposalRow>(`SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE evaluation_id = $1 ORDER BY created_at, id`, [evaluationId]);
  return rows;
}

export async function findProposal(db: Queryable, evaluationId: string, id: string, lock = false): Promise<ProposalRow | undefined> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE evaluation_id = $1 AND id = $2${lock ? " FOR UPDATE" : ""}`,
    [evaluationId, id],
  );
  return rows[0];
}

/** Open proposals whose deadline has passed, locked for closing (skipping rows another transaction is closing). */
export async function hasDueProposals(db: Queryable, evaluationId: string, now: Date): Promise<boolean> {
  const { rows } = await db.query<{ due: boolean }>("SELECT EXISTS (SELECT 1 FROM proposals WHERE evaluation_id = $1 AND status = 'open' AND deadline <= $2) AS due", [evaluationId, now]);
  return rows[0]?.due === true;
}

export async function lockDueProposals(db: Queryable, evaluationId: string, now: Date): Promise<ProposalRow[]> {
  const { rows } = await db.query<ProposalRow>(
    `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE evaluation_id = $1 AND status = 'open' AND deadline <= $2 ORDER BY deadline, id FOR UPDATE SKIP LOCKED`,
    [evaluationId, now],
  );
  return rows;
}

export async function closeProposalRow(
  db: Queryable,
  id: string,
  c: { status: "passed" | "rejected"; reason: RejectionReason | null; tally: Tally; effect: Record<string, unknown> | null; closedAt: Date },
): Promise<void> {
  await db.query("UPDATE proposals SET status = $2, rejection_reason = $3, tally = $4, effect = $5, closed_at = $6 WHERE id = $1 AND status = 'open'", [
    id,
    c.status,
    c.reason,
    JSON.stringify(c.tally),
    c.effect === null ? null : JSON.stringify(c.effect),
    c.closedAt,
  ]);
}

export async function insertBallot(db: Queryable, b: { proposalId: string; participantId: string; choice: BallotChoice; reason: string | null; castAt: Date }): Promise<BallotRow> {
  const { rows } = await db.query<BallotRow>(
    "INSERT INTO ballots (proposal_id, participant_id, choice, reason, cast_at) VALUES ($1, $2, $3, $4, $5) RETURNING id, proposal_id, participant_id, choice, reason, cast_at",
    [b.proposalId, b.participantId, b.choice, b.reason, b.castAt],
  );
  return rows[0] as BallotRow;
}

export async function ballotsOf(db: Queryable, proposalId: string): Promise<BallotRow[]> {
  const { rows } = await db.query<BallotRow>("SELECT id, proposal_id, participant_id, choice, reason, cast_at FROM ballots WHERE proposal_id = $1 ORDER BY id", [proposalId]);
  return rows;
}

export async function activeWithholding(db: Queryable, evaluationId: string): Promise<WithholdingRow | undefined> {
  const { rows } = await db.query<WithholdingRow>(
    "SELECT id, started_by, started_at, ended_by, ended_at FROM withholdings WHERE evaluation_id = $1 AND ended_at IS NULL",
    [evaluationId],
  );
  return rows[0];
}

export async function startWithholding(db: Queryable, evaluationId: string, proposalId: string, at: Date): Promise<void> {
  await db.query("INSERT INTO withholdings (evaluation_id, started_by, started_at) VALUES ($1, $2, $3)", [evaluationId, proposalId, at]);
}

export async function endWithholding(db: Queryable, withholdingId: string, proposalId: string, at: Date): Promise<void> {
  await db.query("UPDATE withholdings SET ended_by = $2, ended_at = $3 WHERE id = $1", [withholdingId, proposalId, at]);
}

/** Whether a passed `release_data` proposal approves this scope for this recipient (recipient compared case-insensitively, trimmed). */
export async function releaseApproved(db: Queryable, evaluationId: string, scope: string, recipient: string): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM proposals WHERE evaluation_id = $1 AND kind = 'release_data' AND status = 'passed'
        AND payload->>'scope' = $2 AND lower(btrim(payload->>'recipient')) = lower(btrim($3))`,
    [evaluationId, scope, recipient],
  );
  return (rows[0]?.n ?? 0) > 0;
}
