import type { Charter } from "../../core/charter.ts";
import type { EvaluationStatus, JudgeableFacts, Phase } from "../../core/evaluation.ts";
import { countedJudgmentsSql, countedParticipantsSql } from "../../platform/consent-sql.ts";
import type { Queryable } from "../../platform/db/pool.ts";
import { EVALUATION_COLUMNS, type CharterRow, type EvaluationRow } from "../../platform/records.ts";

export interface EvaluationCounts {
  items: number;
  subjects: number;
  responses: number;
  judgments: number;
  participants: number;
}

export async function insertEvaluation(
  db: Queryable,
  e: { slug: string; title: string; question: string; createdBy: string | null },
): Promise<EvaluationRow> {
  const { rows } = await db.query<EvaluationRow>(
    `INSERT INTO evaluations (slug, title, question, created_by) VALUES ($1, $2, $3, $4) RETURNING ${EVALUATION_COLUMNS}`,
    [e.slug, e.title, e.question, e.createdBy],
  );
  return rows[0] as EvaluationRow;
}

export async function insertCharter(db: Queryable, evaluationId: string, version: number, content: Charter, hash: string): Promise<void> {
  await db.query("INSERT INTO charters (evaluation_id, version, content, content_hash) VALUES ($1, $2, $3, $4)", [
    evaluationId,
    version,
    JSON.stringify(content),
    hash,
  ]);
}

export async function updateEvaluationState(db: Queryable, id: string, change: { status?: EvaluationStatus; phase?: Phase }): Promise<void> {
  await db.query("UPDATE evaluations SET status = COALESCE($2, status), phase = COALESCE($3, phase) WHERE id = $1", [
    id,
    change.status ?? null,
    change.phase ?? null,
  ]);
}

/** The facts core assertSomethingToJudge needs. */
export async function judgeableFacts(db: Queryable, evaluationId: string): Promise<JudgeableFacts> {
  const { rows } = await db.query<JudgeableFacts>(
    `SELECT (SELECT count(*) FROM (SELECT r.item_id FROM responses r JOIN items i ON i.id = r.item_id AND i.moderation = 'accepted'
                                   WHERE r.evaluation_id = $1 GROUP BY r.item_id HAVING count(DISTINCT r.subject_id) >= 2) answered)::int AS "itemsAnsweredTwice",
            (SELECT count(*) FROM subject_endpoints se JOIN subjects s ON s.id = se.subject_id WHERE s.evaluation_id = $1)::int AS "liveSubjects"`,
    [evaluationId],
  );
  return rows[0] ?? { itemsAnsweredTwice: 0, liveSubjects: 0 };
}

export type ListedRole = "organiser" | "observer" | "participant" | null;

export async function listEvaluationsWithCounts(
  db: Queryable,
  visibleTo: string | null,
): Promise<(EvaluationRow & { counts: EvaluationCounts; my_role: ListedRole; open_participation: boolean })[]> {
  const { rows } = await db.query<EvaluationRow & EvaluationCounts & { my_role: ListedRole; open_participation: boolean }>(
    `SELECT ${EVALUATION_COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")},
       (SELECT count(*) FROM items i WHERE i.evaluation_id = e.id AND i.moderation = 'accepted')::int AS items,
       (SELECT count(*) FROM subjects s WHERE s.evaluation_id = e.id)::int AS subjects,
       (SELECT count(*) FROM responses r WHERE r.evaluation_id = e.id)::int AS responses,
       ${countedJudgmentsSql("e.id")} AS judgments,
       ${countedParticipantsSql("e.id")} AS participants,
       COALESCE((SELECT r.role FROM evaluation_roles r WHERE r.evaluation_id = e.id AND r.user_id = $1),
                (SELECT 'participant' FROM participants p WHERE p.evaluation_id = e.id AND p.user_id = $1)) AS my_role,
       COALESCE((SELECT (c.content->>'openParticipation')::boolean FROM charters c WHERE c.evaluation_id = e.id ORDER BY c.version DESC LIMIT 1), false) AS open_participation
     FROM evaluations e
     WHERE e.status <> 'draft' OR EXISTS (SELECT 1 FROM evaluation_roles r WHERE r.evaluation_id = e.id AND r.user_id = $1)
     ORDER BY e.created_at`,
    [visibleTo],
  );
  return rows.map(({ items, subjects, responses, judgments, participants, my_role, open_participation, ...evaluation }) => ({
    ...evaluation,
    my_role,
    open_participation,
    counts: { items, subjects, responses, judgments, participants },
  }));
}

export async function allCharters(db: Queryable, evaluationId: string): Promise<CharterRow[]> {
  const { rows } = await db.query<CharterRow>(
    "SELECT version, content, content_hash, created_at FROM charters WHERE evaluation_id = $1 ORDER BY version",
    [evaluationId],
  );
  return rows;
}

/** Grants a role; an organiser keeps being organiser whatever is granted later (never demoted). */
export async function grantRole(db: Queryable, evaluationId: string, userId: string, role: "organiser" | "observer"): Promise<void> {
  await db.query(
    `INSERT INTO evaluation_roles (evaluation_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (evaluation_id, user_id) DO UPDATE SET role = CASE WHEN evaluation_roles.role = 'organiser' THEN 'organiser' ELSE EXCLUDED.role END`,
    [evaluationId, userId, role],
  );
}

