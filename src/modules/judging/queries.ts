import type { SubjectKind } from "../../core/evaluation.ts";
import type { JudgmentBody, PairwiseOutcome } from "../../core/judgment.ts";
import type { EvaluationRow } from "../../platform/records.ts";
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
  excluded_reason: string | null;
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
  "id, seq, participant_id, item_id, kind, body, subject_a, subject_b, outcome, response_ids, rationale, phase, charter_version, consent_scopes, revises, is_current, time_on_task_ms, created_at, excluded_reason";

/** What a participant sees of a judgment (publicJudgment): the judging path returns only these columns. */
export type PublicJudgmentRow = Pick<JudgmentRow, "id" | "kind" | "body" | "item_id" | "rationale" | "phase" | "charter_version" | "consent_scopes" | "revises" | "is_current" | "time_on_task_ms" | "created_at">;
export const PUBLIC_JUDGMENT_COLUMNS = "id, kind, item_id, rationale, phase, charter_version, consent_scopes, revises, is_current, time_on_task_ms, created_at";

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

/** Everything the judging path checks, in one round trip: the evaluation, the caller's participant and consent, versions. */
export interface JudgingContextRow {
  id: string;
  slug: string;
  title: string;
  question: string;
  status: EvaluationRow["status"];
  phase: EvaluationRow["phase"];
  created_at: Date;
  participant_id: string | null;
  consent_version: number | null;
  consent_scopes: string[] | null;
  charter_version: number | null;
  pool_version: number | null;
}

const CONTEXT_SELECT = `SELECT e.id, e.slug, e.title, e.question, e.status, e.phase, e.created_at,
        p.id AS participant_id, c.charter_version AS consent_version, c.scopes AS consent_scopes,
        (SELECT max(version) FROM charters WHERE evaluation_id = e.id) AS charter_version,
        (SELECT version FROM assignment_pool_versions WHERE evaluation_id = e.id) AS pool_version`;

function byId(idOrSlug: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
}

function evaluationWhere(idOrSlug: string): string {
  return byId(idOrSlug) ? "e.id = $1::uuid" : "e.slug = $1";
}

/**
 * The participant's pairwise (item, pair) history, judged or served (open or not): the draw never repeats one.
 * Every assignment is listed; of the judgments only those made without one (imported, or revisions of those): a
 * judgment of an assignment has the assignment's item and pair, and its assignment row stays (the judgment's
 * foreign key keeps it), so listing it again only doubled what each assignment request parses.
 */
const SEEN_SELECT = `SELECT item_id, subject_a AS x, subject_b AS y FROM judgments WHERE participant_id = $1 AND kind = 'pairwise' AND assignment_token IS NULL
      UNION ALL
     SELECT a.item_id, r1.subject_id, r2.subject_id
       FROM assignments a JOIN responses r1 ON r1.id = a.response_ids[1] JOIN responses r2 ON r2.id = a.response_ids[2]
      WHERE a.participant_id = $1 AND a.mode = 'pairwise'`;

export interface SeenCombination {
  item_id: string;
  x: string;
  y: string;
}

/**
 * The context plus the participant's open assignment (nextAssignment returns it when the mode matches). There is at
 * most one (the unique index assignments_one_open_idx), read through that index: ordering by served_at made the
 * planner walk the participant's whole history backwards instead.
 */
export async function assignmentContext(db: Queryable, idOrSlug: string, userId: string | null): Promise<(JudgingContextRow & { open: AssignmentRow | null }) | undefined> {
  const { rows } = await db.query<JudgingContextRow & { open_token: string | null } & Partial<Record<`open_${keyof AssignmentRow}`, unknown>>>({
    name: `judging-assignment-context-${byId(idOrSlug) ? "id" : "slug"}`,
    text: `${CONTEXT_SELECT}, o.token AS open_token, o.evaluation_id AS open_evaluation_id, o.participant_id AS open_participant_id,
        o.item_id AS open_item_id, o.mode AS open_mode, o.response_ids AS open_response_ids, o.served_at AS open_served_at
       FROM evaluations e
       LEFT JOIN participants p ON p.evaluation_id = e.id AND p.user_id = $2
       LEFT JOIN consents c ON c.participant_id = p.id
       LEFT JOIN LATERAL (SELECT * FROM assignments a WHERE a.participant_id = p.id AND a.judged_at IS NULL AND a.abandoned_at IS NULL LIMIT 1) o ON true
      WHERE ${evaluationWhere(idOrSlug)}`,
    values: [idOrSlug, userId],
  });
  const row = rows[0];
  if (!row) return undefined;
  const open: AssignmentRow | null = row.open_token
    ? {
        token: row.open_token,
        evaluation_id: row.open_evaluation_id as string,
        participant_id: row.open_participant_id as string,
        item_id: row.open_item_id as string,
        mode: row.open_mode as AssignmentRow["mode"],
        response_ids: row.open_response_ids as string[],
        served_at: row.open_served_at as Date,
        judged_at: null,
      }
    : null;
  return { ...row, open };
}

export interface LockedResponse {
  id: string;
  subject_id: string;
  identity_leak: string[] | null;
  name: string;
  kind: SubjectKind;
  organisation: string | null;
}

/**
 * The context plus the assignment behind a token, with its item's scenario and its responses' subjects; `lock`
 * locks the assignment row (FOR UPDATE) for the rest of the caller's transaction.
 */
export async function judgmentContext(
  db: Queryable,
  idOrSlug: string,
  userId: string | null,
  token: string,
  options: { lock?: boolean } = {},
): Promise<(JudgingContextRow & { assignment: (AssignmentRow & { abandoned: boolean; scenario: Record<string, unknown> | null; responses: LockedResponse[] }) | null }) | undefined> {
  const { rows } = await db.query<JudgingContextRow & { a: (AssignmentRow & { abandoned: boolean; scenario: Record<string, unknown> | null; responses: LockedResponse[] | null }) | null }>({
    name: `judging-judgment-context-${byId(idOrSlug) ? "id" : "slug"}${options.lock === false ? "" : "-lock"}`,
    text: `${CONTEXT_SELECT},
        (SELECT json_build_object('token', a.token, 'evaluation_id', a.evaluation_id, 'participant_id', a.participant_id, 'item_id', a.item_id,
                'mode', a.mode, 'response_ids', a.response_ids, 'served_at', a.served_at, 'judged_at', a.judged_at, 'abandoned', a.abandoned_at IS NOT NULL,
                'scenario', (SELECT i.scenario FROM items i WHERE i.id = a.item_id),
                'responses', (SELECT json_agg(json_build_object('id', r.id, 'subject_id', r.subject_id, 'identity_leak', r.identity_leak,
                                      'name', s.name, 'kind', s.kind, 'organisation', s.organisation) ORDER BY array_position(a.response_ids, r.id))
                                FROM responses r JOIN subjects s ON s.id = r.subject_id
                               WHERE r.evaluation_id = a.evaluation_id AND r.id = ANY(a.response_ids)))
           FROM (SELECT * FROM assignments WHERE token = $3${options.lock === false ? "" : " FOR UPDATE"}) a) AS a
       FROM evaluations e
       LEFT JOIN participants p ON p.evaluation_id = e.id AND p.user_id = $2
       LEFT JOIN consents c ON c.participant_id = p.id
      WHERE ${evaluationWhere(idOrSlug)}`,
    values: [idOrSlug, userId, token],
  });
  const row = rows[0];
  if (!row) return undefined;
  const { a, ...context } = row;
  return { ...context, assignment: a ? { ...a, served_at: new Date(a.served_at), judged_at: a.judged_at ? new Date(a.judged_at) : null, responses: a.responses ?? [] } : null };
}

/** The participant's pairwise (item, pair) history (see SEEN_SELECT). */
export async function seenCombinations(db: Queryable, participantId: string): Promise<SeenCombination[]> {
  const { rows } = await db.query<SeenCombination>(SEEN_SELECT, [participantId]);
  return rows;
}

/** What a participant was served before in a mode: responses for ratings, items for rankings (judged, open or abandoned). */
export async function servedBefore(db: Queryable, participantId: string, mode: "rating" | "ranking"): Promise<Set<string>> {
  const column = mode === "rating" ? "response_ids[1]" : "item_id";
  const { rows } = await db.query<{ id: string }>(`SELECT DISTINCT ${column} AS id FROM assignments WHERE participant_id = $1 AND mode = $2`, [participantId, mode]);
  return new Set(rows.map((r) => r.id));
}

/** One open task per participant: asking for another mode abandons the one left open. */
export async function abandonOpenAssignments(db: Queryable, participantId: string): Promise<void> {
  await db.query("UPDATE assignments SET abandoned_at = now() WHERE participant_id = $1 AND judged_at IS NULL AND abandoned_at IS NULL", [participantId]);
}

/** Current comparison counts per pair, from the trigger-kept table (O(pairs), not O(judgments)). */
export async function pairCountRows(db: Queryable, evaluationId: string): Promise<{ x: string; y: string; n: number }[]> {
  const { rows } = await db.query<{ x: string; y: string; n: number }>("SELECT x, y, n FROM pair_counts WHERE evaluation_id = $1 AND n > 0", [evaluationId]);
  return rows;
}
