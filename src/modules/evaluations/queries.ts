import type { Charter } from "../../core/charter.ts";
import type { EvaluationStatus, Phase } from "../../core/evaluation.ts";
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

export async function listEvaluationsWithCounts(db: Queryable, visibleTo: string | null): Promise<(EvaluationRow & { counts: EvaluationCounts })[]> {
  const { rows } = await db.query<EvaluationRow & EvaluationCounts>(
    `SELECT ${EVALUATION_COLUMNS.split(", ").map((c) => `e.${c}`).join(", ")},
       (SELECT count(*) FROM items i WHERE i.evaluation_id = e.id AND i.moderation = 'accepted')::int AS items,
       (SELECT count(*) FROM subjects s WHERE s.evaluation_id = e.id)::int AS subjects,
       (SELECT count(*) FROM responses r WHERE r.evaluation_id = e.id)::int AS responses,
       ${countedJudgmentsSql("e.id")} AS judgments,
       ${countedParticipantsSql("e.id")} AS participants
     FROM evaluations e
     WHERE e.status <> 'draft' OR EXISTS (SELECT 1 FROM evaluation_roles r WHERE r.evaluation_id = e.id AND r.user_id = $1)
     ORDER BY e.created_at`,
    [visibleTo],
  );
  return rows.map(({ items, subjects, responses, judgments, participants, ...evaluation }) => ({
    ...evaluation,
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

