import type { JudgmentBody, PairwiseOutcome } from "../../core/judgment.ts";
import type { Queryable } from "../../platform/db/pool.ts";

export interface AssignmentRow {
  token: string;
  evaluation_id: string;
  participant_id: string;
  item_id: string;
  mode: "pairwise" | "rating" | "ranking";
  response_ids: string[];
  served_at: Date;
  judged_at: Date | null;
}

export interface JudgmentRow {
  id: string;
  seq: number;
  participant_id: string;
  item_id: string | null;
  kind: JudgmentBody["kind"];
  body: JudgmentBody;
  subject_a: string | null;
  subject_b: string | null;
  outcome: PairwiseOutcome | null;
  response_ids: string[];
  rationale: string | null;
  phase: string;
  charter_version: number;
  consent_scopes: string[];
  revises: string | null;
  is_current: boolean;
  time_on_task_ms: number | null;
  created_at: Date;
}

export interface NewJudgment {
  evaluationId: string;
  participantId: string;
  itemId: string | null;
  assignmentToken: string | null;
  body: JudgmentBody;
  subjectA?: string | null;
  subjectB?: string | null;
  responseIds?: string[];
  rationale?: string | null;
  phase: string;
  charterVersion: number;
  consentScopes: string[];
  revises?: string | null;
  timeOnTaskMs?: number | null;
  createdAt?: Date;
  /** why results leave this judgment out (e.g. "identity_leak"); null when it counts */
  excludedReason?: string | null;
}

const JUDGMENT_COLUMNS =
  "id, seq, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, rationale, phase, charter_version, consent_scopes, revises, is_current, time_on_task_ms, created_at";

export async function insertAssignment(db: Queryable, a: Omit<AssignmentRow, "served_at" | "judged_at">): Promise<AssignmentRow> {
  const { rows } = await db.query<AssignmentRow>(
    `INSERT INTO assignments (token, evaluation_id, participant_id, item_id, mode, response_ids) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING token, evaluation_id, participant_id, item_id, mode, response_ids, served_at, judged_at`,
    [a.token, a.evaluation_id, a.participant_id, a.item_id, a.mode, a.response_ids],
  );
  return rows[0] as AssignmentRow;
}

export async function lockAssignment(db: Queryable, token: string): Promise<AssignmentRow | undefined> {
  const { rows } = await db.query<AssignmentRow>(
    "SELECT token, evaluation_id, participant_id, item_id, mode, response_ids, served_at, judged_at FROM assignments WHERE token = $1 FOR UPDATE",
    [token],
  );
  return rows[0];
}

export async function openAssignment(db: Queryable, participantId: string): Promise<AssignmentRow | undefined> {
  const { rows } = await db.query<AssignmentRow>(
    `SELECT token, evaluation_id, participant_id, item_id, mode, response_ids, served_at, judged_at FROM assignments
      WHERE participant_id = $1 AND judged_at IS NULL ORDER BY served_at DESC LIMIT 1`,
    [participantId],
  );
  return rows[0];
}

/** Marks the token used; returns the server-measured time on task in ms. */
export async function closeAssignment(db: Queryable, token: string): Promise<number> {
  const { rows } = await db.query<{ ms: number }>(
    "UPDATE assignments SET judged_at = now() WHERE token = $1 RETURNING (extract(epoch FROM (judged_at - served_at)) * 1000)::int AS ms",
    [token],
  );
  return rows[0]?.ms ?? 0;
}

export async function insertJudgment(db: Queryable, j: NewJudgment): Promise<JudgmentRow> {
  const outcome = j.body.kind === "pairwise" ? j.body.outcome : null;
  const { rows } = await db.query<JudgmentRow>(
    `INSERT INTO judgments (evaluation_id, participant_id, item_id, assignment_token, kind, body, subject_a, subject_b, outcome,
        response_ids, rationale, phase, charter_version, consent_scopes, revises, time_on_task_ms, created_at, excluded_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, COALESCE($17, now()), $18)
     RETURNING ${JUDGMENT_COLUMNS}`,
    [
      j.evaluationId, j.participantId, j.itemId, j.assignmentToken, j.body.kind, JSON.stringify(j.body), j.subjectA ?? null,
      j.subjectB ?? null, outcome, j.responseIds ?? [], j.rationale ?? null, j.phase, j.charterVersion, j.consentScopes,
      j.revises ?? null, j.timeOnTaskMs ?? null, j.createdAt ?? null, j.excludedReason ?? null,
    ],
  );
  return rows[0] as JudgmentRow;
}

export async function lockJudgment(db: Queryable, evaluationId: string, id: string): Promise<JudgmentRow | undefined> {
  const { rows } = await db.query<JudgmentRow>(`SELECT ${JUDGMENT_COLUMNS} FROM judgments WHERE evaluation_id = $1 AND id = $2 FOR UPDATE`, [
    evaluationId,
    id,
  ]);
  return rows[0];
}

export async function supersede(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE judgments SET is_current = false WHERE id = $1", [id]);
}

export async function judgmentHistory(db: Queryable, participantId: string): Promise<JudgmentRow[]> {
  const { rows } = await db.query<JudgmentRow>(`SELECT ${JUDGMENT_COLUMNS} FROM judgments WHERE participant_id = $1 ORDER BY seq`, [participantId]);
  return rows;
}

/** How often each unordered subject pair has been compared (current pairwise judgments). */
export async function pairComparisonCounts(db: Queryable, evaluationId: string): Promise<{ x: string; y: string; n: number }[]> {
  const { rows } = await db.query<{ x: string; y: string; n: number }>(
    `SELECT LEAST(subject_a, subject_b) AS x, GREATEST(subject_a, subject_b) AS y, count(*)::int AS n
       FROM judgments WHERE evaluation_id = $1 AND kind = 'pairwise' AND is_current GROUP BY 1, 2`,
    [evaluationId],
  );
  return rows;
}

/** (item, subject pair) combinations this participant has judged already. */
export async function judgedCombinations(db: Queryable, participantId: string): Promise<{ item_id: string; x: string; y: string }[]> {
  const { rows } = await db.query<{ item_id: string; x: string; y: string }>(
    `SELECT DISTINCT item_id, LEAST(subject_a, subject_b) AS x, GREATEST(subject_a, subject_b) AS y
       FROM judgments WHERE participant_id = $1 AND kind = 'pairwise'`,
    [participantId],
  );
  return rows;
}
