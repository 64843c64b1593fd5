/** The rows every guard reads: an evaluation, its charter, a role, a participant and their consent. */
import type { Charter } from "../core/charter.ts";
import type { EvaluationStatus, Phase } from "../core/evaluation.ts";
import type { Queryable } from "./db/pool.ts";

export interface EvaluationRow {
  id: string;
  slug: string;
  title: string;
  question: string;
  status: EvaluationStatus;
  phase: Phase;
  created_at: Date;
}

export interface CharterRow {
  version: number;
  content: Charter;
  content_hash: string;
  created_at: Date;
}

export const EVALUATION_COLUMNS = "id, slug, title, question, status, phase, created_at";

export async function findEvaluation(db: Queryable, idOrSlug: string): Promise<EvaluationRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const { rows } = await db.query<EvaluationRow>(
    `SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE ${isUuid ? "id = $1::uuid" : "slug = $1"}`,
    [idOrSlug],
  );
  return rows[0];
}

export async function lockEvaluation(db: Queryable, id: string): Promise<EvaluationRow | undefined> {
  const { rows } = await db.query<EvaluationRow>(`SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0];
}

export async function latestCharter(db: Queryable, evaluationId: string): Promise<CharterRow | undefined> {
  const { rows } = await db.query<CharterRow>(
    "SELECT version, content, content_hash, created_at FROM charters WHERE evaluation_id = $1 ORDER BY version DESC LIMIT 1",
    [evaluationId],
  );
  return rows[0];
}

export async function findRole(db: Queryable, evaluationId: string, userId: string): Promise<"organiser" | "observer" | undefined> {
  const { rows } = await db.query<{ role: "organiser" | "observer" }>(
    "SELECT role FROM evaluation_roles WHERE evaluation_id = $1 AND user_id = $2",
    [evaluationId, userId],
  );
  return rows[0]?.role;
}

export interface ParticipantRow {
  id: string;
  evaluation_id: string;
  user_id: string | null;
  pseudonym: string;
  communities: string[];
  joined_at: Date;
}

export interface ConsentRow {
  participant_id: string;
  charter_version: number;
  scopes: string[];
  updated_at: Date;
}

export const PARTICIPANT_COLUMNS = "id, evaluation_id, user_id, pseudonym, communities, joined_at";

export async function findParticipantByUser(db: Queryable, evaluationId: string, userId: string): Promise<ParticipantRow | undefined> {
  const { rows } = await db.query<ParticipantRow>(`SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE evaluation_id = $1 AND user_id = $2`, [
    evaluationId,
    userId,
  ]);
  return rows[0];
}

export async function findConsent(db: Queryable, participantId: string): Promise<ConsentRow | undefined> {
  const { rows } = await db.query<ConsentRow>(
    "SELECT participant_id, charter_version, scopes, updated_at FROM consents WHERE participant_id = $1",
    [participantId],
  );
  return rows[0];
}
