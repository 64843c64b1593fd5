/** The rows every guard reads: an evaluation, its charter, a role, a participant and their consent. */
import type { Charter } from "../core/charter.ts";
import type { ParticipantOrigin, VoterFacts } from "../core/governance.ts";
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

/** With `forShare`, the row stays share-locked until the caller's transaction ends (see requireEvaluationForShare). */
export async function findEvaluation(db: Queryable, idOrSlug: string, options: { forShare?: boolean } = {}): Promise<EvaluationRow | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  const { rows } = await db.query<EvaluationRow>(
    `SELECT ${EVALUATION_COLUMNS} FROM evaluations WHERE ${isUuid ? "id = $1::uuid" : "slug = $1"}${options.forShare ? " FOR SHARE" : ""}`,
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
  /** how they joined: the identity assurance their ballots and signatures carry, or `imported` */
  assurance: ParticipantOrigin;
}

export interface ConsentRow {
  participant_id: string;
  charter_version: number;
  scopes: string[];
  updated_at: Date;
}

export const PARTICIPANT_COLUMNS = "id, evaluation_id, user_id, pseudonym, communities, joined_at, assurance";

export async function findParticipantByUser(db: Queryable, evaluationId: string, userId: string): Promise<ParticipantRow | undefined> {
  const { rows } = await db.query<ParticipantRow>(`SELECT ${PARTICIPANT_COLUMNS} FROM participants WHERE evaluation_id = $1 AND user_id = $2 AND NOT imported`, [
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

export async function charterAt(db: Queryable, evaluationId: string, version: number): Promise<CharterRow | undefined> {
  const { rows } = await db.query<CharterRow>(
    "SELECT version, content, content_hash, created_at FROM charters WHERE evaluation_id = $1 AND version = $2",
    [evaluationId, version],
  );
  return rows[0];
}

/**
 * The facts the eligibility rule (core/governance.ts isEligibleVoter) reads, for every participant of an
 * evaluation (or those who joined before `joinedBefore`), or only for `participantIds`. This is the one query
 * behind every count of eligible people: quorums, signature and endorsement thresholds.
 */
export async function voterFacts(
  db: Queryable,
  evaluationId: string,
  options: { joinedBefore?: Date; participantIds?: readonly string[] } = {},
): Promise<Map<string, VoterFacts>> {
  const { rows } = await db.query<{ id: string; origin: ParticipantOrigin; has_account: boolean; consented: boolean }>(
    `SELECT p.id, p.assurance AS origin, (p.user_id IS NOT NULL) AS has_account,
            COALESCE(cardinality(c.scopes) > 0, false) AS consented
       FROM participants p LEFT JOIN consents c ON c.participant_id = p.id
      WHERE p.evaluation_id = $1 AND ($2::timestamptz IS NULL OR p.joined_at < $2) AND ($3::uuid[] IS NULL OR p.id = ANY($3::uuid[]))`,
    [evaluationId, options.joinedBefore ?? null, options.participantIds ?? null],
  );
  return new Map(rows.map((row) => [row.id, { origin: row.origin, hasAccount: row.has_account, consented: row.consented }]));
}
