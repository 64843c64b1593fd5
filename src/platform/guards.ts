/** Who may read, contribute to and moderate an evaluation's deliberation. */
import type { Charter } from "../core/charter.ts";
import { DomainError } from "../core/errors.ts";
import { assertAcceptsJudgments, type Role } from "../core/evaluation.ts";
import type { Queryable } from "./db/pool.ts";
import { latestCharter, type EvaluationRow } from "../modules/evaluations/queries.ts";
import { findConsent, type ParticipantRow } from "../modules/participation/queries.ts";
import { requireEvaluation, requireParticipant, requireRole, roleOf, type Actor } from "./context.ts";

export interface Reader {
  evaluation: EvaluationRow;
  role: Role | null;
}

/** Anyone may read the deliberation of an evaluation past its draft; a draft only its organisers and observers. */
export async function requireReader(db: Queryable, idOrSlug: string, actor: Actor): Promise<Reader> {
  const evaluation = await requireEvaluation(db, idOrSlug);
  const role = await roleOf(db, evaluation.id, actor);
  if (evaluation.status === "draft" && role !== "organiser" && role !== "observer") {
    throw new DomainError("not_found", `no evaluation ${idOrSlug}`, "evaluation");
  }
  return { evaluation, role };
}

/** A contribution (post, statement, vote) needs a participant who has given consent, in an open evaluation. */
export async function requireContributor(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<ParticipantRow> {
  const participant = await requireParticipant(db, evaluation.id, actor);
  const consent = await findConsent(db, participant.id);
  if (!consent || consent.scopes.length === 0) {
    throw new DomainError("consent_required", "give consent under the charter before contributing", "consent");
  }
  assertAcceptsJudgments(evaluation.status);
  return participant;
}

/** An organiser, or a participant who may contribute; organisers need no consent (they are not contributors). */
export async function requireAuthor(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<{ role: "organiser" | "participant"; participant: ParticipantRow | null }> {
  const role = await roleOf(db, evaluation.id, actor);
  if (role === "organiser") {
    assertAcceptsJudgments(evaluation.status);
    return { role, participant: null };
  }
  return { role: "participant", participant: await requireContributor(db, evaluation, actor) };
}

export async function requireOrganiser(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<void> {
  await requireRole(db, evaluation.id, actor, ["organiser"]);
}

export async function requireCharter(db: Queryable, evaluationId: string): Promise<Charter> {
  const charter = await latestCharter(db, evaluationId);
  if (!charter) throw new DomainError("not_found", "this evaluation has no charter", "evaluation");
  return charter.content;
}

export function requireText(field: string, text: string, limit: number): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new DomainError("validation_failed", `${field} is empty`, field);
  if (trimmed.length > limit) {
    throw new DomainError("text_too_long", `${field} has ${trimmed.length} characters; the charter allows ${limit}`, field);
  }
  return trimmed;
}
