/**
 * The judging path's one-statement writes: a task inserted with what its view and its judgment need, and a judgment
 * recorded with its task closed, each writing nothing unless what the caller's checks were made on still holds.
 */
import type { Queryable } from "../../platform/db/pool.ts";
import { PUBLIC_JUDGMENT_COLUMNS, type AssignmentRow, type LockedResponse, type NewJudgment, type PublicJudgmentRow } from "./queries.ts";

/**
 * The conditions both writes add when their checks were made on values read earlier (parameters given by their
 * placeholders): the participant record is still the caller's, the consent is still the one checked (charter
 * version and scopes), and the latest charter version and the pool version are unchanged.
 */
function stillUnchangedSql(p: { evaluation: string; participant: string; userId: string; consentVersion: string; consentScopes: string; charterVersion: string; poolVersion: string }): string {
  return `EXISTS (SELECT 1 FROM participants p WHERE p.id = ${p.participant} AND p.user_id = ${p.userId})
      AND EXISTS (SELECT 1 FROM consents c WHERE c.participant_id = ${p.participant} AND c.charter_version = ${p.consentVersion}::int AND c.scopes = ${p.consentScopes}::text[])
      AND (SELECT max(version) FROM charters WHERE evaluation_id = ${p.evaluation}) IS NOT DISTINCT FROM ${p.charterVersion}::int
      AND (SELECT version FROM assignment_pool_versions WHERE evaluation_id = ${p.evaluation}) IS NOT DISTINCT FROM ${p.poolVersion}::bigint`;
}

export interface InsertedAssignment extends AssignmentRow {
  title: string;
  prompt: string;
  scenario: Record<string, unknown> | null;
  /** the responses in the task's order, with their subjects (hidden from the view; what the judgment needs) */
  responses: (LockedResponse & { text: string })[] | null;
}

/**
 * Inserts an assignment and returns what its view needs (item and response texts), and what its judgment will need
 * (the responses' subjects and identity leaks), in the same round trip.
 * With `unlessOpen`, nothing is inserted (undefined is returned) when the participant already holds an open task
 * (the one-open-task unique index decides, atomically, without a transaction or lock). With `unlessSeen` (a
 * pairwise task's two subjects), nothing is inserted either when the participant was already served this item
 * with this pair (any pairwise task of theirs on the item with the same two responses: responses are one per
 * item and subject) or judged it without a task (imported judgments): the draw then need not read their history.
 * With `unchanged`, nothing is inserted unless the context the caller's checks were made on still holds.
 */
export async function insertAssignmentWithView(
  db: Queryable,
  a: Omit<AssignmentRow, "served_at" | "judged_at">,
  options: { unlessOpen?: boolean; unlessSeen?: { subjectA: string; subjectB: string }; unchanged?: UnchangedContext } = {},
): Promise<InsertedAssignment | undefined> {
  const onConflict = options.unlessOpen ? " ON CONFLICT (participant_id) WHERE judged_at IS NULL AND abandoned_at IS NULL DO NOTHING" : "";
  const values: unknown[] = [a.token, a.evaluation_id, a.participant_id, a.item_id, a.mode, a.response_ids];
  const conditions: string[] = [];
  if (options.unlessSeen) {
    values.push(options.unlessSeen.subjectA, options.unlessSeen.subjectB);
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM assignments s WHERE s.participant_id = $3 AND s.item_id = $4 AND s.mode = 'pairwise' AND s.response_ids @> $6 AND s.response_ids <@ $6)`,
      `NOT EXISTS (SELECT 1 FROM judgments j WHERE j.participant_id = $3 AND j.item_id = $4 AND j.kind = 'pairwise' AND j.assignment_token IS NULL
                      AND ((j.subject_a = $7 AND j.subject_b = $8) OR (j.subject_a = $8 AND j.subject_b = $7)))`,
    );
  }
  if (options.unchanged) {
    const u = options.unchanged;
    const n = values.push(u.slug, u.status, u.phase, u.consentVersion, u.consentScopes, u.charterVersion, u.poolVersion, u.userId) - 8;
    conditions.push(
      `EXISTS (SELECT 1 FROM evaluations e WHERE e.id = $2 AND e.slug = $${n + 1} AND e.status = $${n + 2} AND e.phase = $${n + 3})`,
      stillUnchangedSql({ evaluation: "$2", participant: "$3", userId: `$${n + 8}`, consentVersion: `$${n + 4}`, consentScopes: `$${n + 5}`, charterVersion: `$${n + 6}`, poolVersion: `$${n + 7}` }),
    );
  }
  const source = conditions.length
    ? `SELECT $1::text, $2::uuid, $3::uuid, $4::uuid, $5::text, $6::uuid[] WHERE ${conditions.join(" AND ")}`
    : "VALUES ($1, $2, $3, $4, $5, $6)";
  const { rows } = await db.query<InsertedAssignment>({
    name: `judging-insert-assignment${options.unlessOpen ? "-unless-open" : ""}${options.unlessSeen ? "-unless-seen" : ""}${options.unchanged ? "-unchanged" : ""}`,
    text: `WITH a AS (INSERT INTO assignments (token, evaluation_id, participant_id, item_id, mode, response_ids) ${source}${onConflict}
                RETURNING token, evaluation_id, participant_id, item_id, mode, response_ids, served_at, judged_at)
     SELECT a.*, i.title, i.prompt, i.scenario,
            (SELECT json_agg(json_build_object('id', r.id, 'text', r.text, 'subject_id', r.subject_id, 'identity_leak', r.identity_leak,
                                               'name', s.name, 'kind', s.kind, 'organisation', s.organisation) ORDER BY array_position(a.response_ids, r.id))
               FROM responses r JOIN subjects s ON s.id = r.subject_id
              WHERE r.evaluation_id = a.evaluation_id AND r.id = ANY(a.response_ids)) AS responses
       FROM a LEFT JOIN items i ON i.id = a.item_id AND i.evaluation_id = a.evaluation_id`,
    values,
  });
  return rows[0];
}

/** UnchangedSince for an assignment: also the evaluation's status and phase and the consent the checks were made on. */
export interface UnchangedContext extends UnchangedSince {
  status: string;
  phase: string;
  consentVersion: number;
  consentScopes: string[];
}

/**
 * closeAssignment and insertJudgment in one statement: marks the token used and records the judgment with its time
 * on task. Only a task still open (not judged, not abandoned) of this participant is closed; otherwise nothing is
 * written and undefined is returned. The UPDATE re-checks those conditions after waiting for a concurrent writer of
 * the same row, so one statement outside a transaction cannot judge a token twice.
 *
 * Nor can it record a vote after judging paused or the evaluation closed: the evaluation's status and phase must
 * still be the ones the caller read and checked (`readStatus`, `phase`). The evaluation's row is share-locked for
 * the statement, so a concurrent change of either waits for it, or, if committed first, is seen (a locking read
 * re-reads the newest row) and nothing is written.
 */
export async function closeAndInsertJudgment(
  db: Queryable,
  j: Omit<NewJudgment, "timeOnTaskMs" | "assignmentToken"> & { assignmentToken: string; readStatus: string; unchanged?: UnchangedSince },
): Promise<PublicJudgmentRow | undefined> {
  const outcome = j.body.kind === "pairwise" ? j.body.outcome : null;
  const unchanged = j.unchanged
    ? ` AND slug = $19 AND ${stillUnchangedSql({ evaluation: "$1", participant: "$2", userId: "$22", consentVersion: "$13", consentScopes: "$14", charterVersion: "$20", poolVersion: "$21" })}`
    : "";
  const { rows } = await db.query<Omit<PublicJudgmentRow, "body">>({
    name: `judging-close-and-insert-judgment${j.unchanged ? "-unchanged" : ""}`,
    text: `WITH still AS (SELECT id FROM evaluations WHERE id = $1 AND status = $18 AND phase = $12${unchanged} FOR SHARE),
          closed AS (UPDATE assignments SET judged_at = now()
                      WHERE token = $4 AND participant_id = $2 AND judged_at IS NULL AND abandoned_at IS NULL AND EXISTS (SELECT 1 FROM still)
                     RETURNING (extract(epoch FROM (judged_at - served_at)) * 1000)::int AS ms)
     INSERT INTO judgments (evaluation_id, participant_id, item_id, assignment_token, kind, body, subject_a, subject_b, outcome,
        response_ids, rationale, phase, charter_version, consent_scopes, revises, time_on_task_ms, created_at, excluded_reason)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, COALESCE(closed.ms, 0), COALESCE($16, now()), $17 FROM closed
     RETURNING ${PUBLIC_JUDGMENT_COLUMNS}`,
    values: [
      j.evaluationId, j.participantId, j.itemId, j.assignmentToken, j.body.kind, JSON.stringify(j.body), j.subjectA ?? null,
      j.subjectB ?? null, outcome, j.responseIds ?? [], j.rationale ?? null, j.phase, j.charterVersion, j.consentScopes,
      j.revises ?? null, j.createdAt ?? null, j.excludedReason ?? null, j.readStatus,
      ...(j.unchanged ? [j.unchanged.slug, j.unchanged.charterVersion, j.unchanged.poolVersion, j.unchanged.userId] : []),
    ],
  });
  // the body is the one just written (not read back and parsed again)
  return rows[0] && { ...rows[0], body: j.body };
}

/**
 * What a judgment's checks were made against when they were made on values read earlier (when the task was served):
 * the statement writes nothing unless the participant record is still the caller's, the evaluation's slug, the participant's consent (its charter version and
 * scopes, stored with the judgment), the latest charter version and the pool version (items, responses, subjects)
 * are still those values.
 */
export interface UnchangedSince {
  /** the caller: the participant record must still be theirs (account linking moves it, erasing the account unlinks it) */
  userId: string;
  slug: string;
  charterVersion: number | null;
  poolVersion: number | null;
}
