/**
 * Who may do what, written once: every route and command reaches an evaluation, a role, a participant, a
 * contributor or a charter through these guards.
 */
import { AppError } from "../core/errors.ts";
import { assertAcceptsJudgments, type Role } from "../core/evaluation.ts";
import type { Charter } from "../core/charter.ts";
import { isEligibleVoter, type Eligibility } from "../core/governance.ts";
import type { Queryable } from "./db/pool.ts";
import {
  charterAt,
  findConsent,
  findEvaluation,
  findParticipantByUser,
  findRole,
  latestCharter,
  type CharterRow,
  type ConsentRow,
  type EvaluationRow,
  type ParticipantRow,
  voterFacts,
} from "./records.ts";

/** Who is asking: a signed-in account (possibly an anonymous participant account) or nobody. */
export interface Actor {
  readonly userId: string | null;
  readonly isAnonymous: boolean;
}

export const NOBODY: Actor = { userId: null, isAnonymous: true };

export function requireSignedIn(actor: Actor): string {
  if (!actor.userId) throw new AppError("unauthenticated", "sign in or join through an invitation first");
  return actor.userId;
}

export async function requireEvaluation(db: Queryable, idOrSlug: string): Promise<EvaluationRow> {
  return evaluationFound(await findEvaluation(db, idOrSlug), idOrSlug);
}

/**
 * The evaluation, its row share-locked for the rest of the caller's transaction: a concurrent change of its status
 * or phase waits until this transaction ends, so a check of either (assertJudgingPhase, assertRevisionPhase…)
 * still holds when the transaction's writes commit. Call it inside a transaction, before the check it protects.
 */
export async function requireEvaluationForShare(db: Queryable, idOrSlug: string): Promise<EvaluationRow> {
  return evaluationFound(await findEvaluation(db, idOrSlug, { forShare: true }), idOrSlug);
}

export function evaluationFound(evaluation: EvaluationRow | undefined, idOrSlug: string): EvaluationRow {
  if (!evaluation) throw new AppError("not_found", `no evaluation ${idOrSlug}`, "evaluation");
  return evaluation;
}

export async function roleOf(db: Queryable, evaluationId: string, actor: Actor): Promise<Role | null> {
  if (!actor.userId) return null;
  const role = await findRole(db, evaluationId, actor.userId);
  if (role) return role;
  return (await findParticipantByUser(db, evaluationId, actor.userId)) ? "participant" : null;
}

/** Checks the actor holds one of `roles` in this evaluation: 401 when not signed in, 403 otherwise. */
export async function requireRole(db: Queryable, evaluationId: string, actor: Actor, roles: readonly Role[]): Promise<Role> {
  requireSignedIn(actor);
  const role = await roleOf(db, evaluationId, actor);
  if (!role || !roles.includes(role)) {
    throw new AppError("forbidden", `this needs the role ${roles.join(" or ")} in this evaluation`);
  }
  return role;
}

export async function requireOrganiser(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<void> {
  await requireRole(db, evaluation.id, actor, ["organiser"]);
}

export interface Reader {
  evaluation: EvaluationRow;
  role: Role | null;
}

/** Draft visibility: anyone may read an evaluation past its draft; a draft only its organisers and observers. */
export async function requireReader(db: Queryable, idOrSlug: string, actor: Actor): Promise<Reader> {
  const evaluation = await requireEvaluation(db, idOrSlug);
  const role = await roleOf(db, evaluation.id, actor);
  if (evaluation.status === "draft" && role !== "organiser" && role !== "observer") {
    throw new AppError("not_found", `no evaluation ${idOrSlug}`, "evaluation");
  }
  return { evaluation, role };
}

const NOT_A_PARTICIPANT = "only participants of this evaluation can do this; join through an invitation";

export async function requireParticipant(db: Queryable, evaluationId: string, actor: Actor): Promise<ParticipantRow> {
  const userId = requireSignedIn(actor);
  const participant = await findParticipantByUser(db, evaluationId, userId);
  if (!participant) throw new AppError("forbidden", NOT_A_PARTICIPANT);
  return participant;
}

export interface Contributor {
  participant: ParticipantRow;
  consent: ConsentRow;
}

/** A contribution (judgment, post, statement, vote) needs a participant who has given consent, in an open evaluation. */
export async function requireContributor(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<Contributor> {
  assertAcceptsJudgments(evaluation.status);
  const participant = await requireParticipant(db, evaluation.id, actor);
  const consent = await findConsent(db, participant.id);
  return { participant, consent: requireConsent(consent) };
}

/**
 * requireContributor's rules over rows already read (the judging path reads evaluation, participant and
 * consent in one query): the same checks, in the same order, with the same errors.
 */
export function contributorFrom<P, C extends { scopes: string[] }>(evaluation: EvaluationRow, actor: Actor, participant: P | undefined, consent: C | undefined): { participant: P; consent: C } {
  assertAcceptsJudgments(evaluation.status);
  requireSignedIn(actor);
  if (!participant) throw new AppError("forbidden", NOT_A_PARTICIPANT);
  return { participant, consent: requireConsent(consent) };
}

function requireConsent<C extends { scopes: string[] }>(consent: C | undefined): C {
  if (!consent || consent.scopes.length === 0) {
    throw new AppError("consent_required", "give consent under the charter before contributing", "consent");
  }
  return consent;
}

/** An organiser, or a participant who may contribute; organisers need no consent (they are not contributors). */
export async function requireAuthor(db: Queryable, evaluation: EvaluationRow, actor: Actor): Promise<{ role: "organiser" | "participant"; participant: ParticipantRow | null }> {
  const role = await roleOf(db, evaluation.id, actor);
  if (role === "organiser") {
    assertAcceptsJudgments(evaluation.status);
    return { role, participant: null };
  }
  return { role: "participant", participant: (await requireContributor(db, evaluation, actor)).participant };
}

/** The charter in force; every evaluation has one from its creation, so a missing one is a 404 on the evaluation. */
export async function requireCharter(db: Queryable, evaluationId: string): Promise<CharterRow> {
  const charter = await latestCharter(db, evaluationId);
  if (!charter) throw new AppError("not_found", "this evaluation has no charter", "evaluation");
  return charter;
}

/** The charter at `version` (what a contribution or proposal was made under), else the one in force. */
export async function requireCharterAt(db: Queryable, evaluationId: string, version: number): Promise<CharterRow> {
  return (await charterAt(db, evaluationId, version)) ?? requireCharter(db, evaluationId);
}

export function requireText(field: string, text: string, limit: number): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new AppError("validation_failed", `${field} is empty`, field);
  if (trimmed.length > limit) {
    throw new AppError("text_too_long", `${field} has ${trimmed.length} characters; the charter allows ${limit}`, field);
  }
  return trimmed;
}

/* ------------------------------------------------------------------ one person, one voice */

type AssuranceCharter = { readonly identityAssurance?: Charter["identityAssurance"] | undefined };

/**
 * The participants who count in collective decisions under `charter` (core isEligibleVoter over the one
 * voterFacts query): the denominator of quorums and demand thresholds, and the filter on ballots, signatures
 * and endorsements. `joinedBefore` limits it to those who had joined by then (a proposal's deadline).
 */
export async function eligibleVoterIds(db: Queryable, evaluationId: string, charter: AssuranceCharter, options: { joinedBefore?: Date } = {}): Promise<Set<string>> {
  const facts = await voterFacts(db, evaluationId, options);
  return new Set([...facts].filter(([, f]) => isEligibleVoter(f, charter).eligible).map(([id]) => id));
}

/** Whether one participant's ballot, signature or endorsement counts, and if not, why. */
export async function eligibilityOf(db: Queryable, evaluationId: string, participantId: string, charter: AssuranceCharter): Promise<Eligibility> {
  const facts = (await voterFacts(db, evaluationId, { participantIds: [participantId] })).get(participantId);
  return facts ? isEligibleVoter(facts, charter) : { eligible: false, reason: "no_account" };
}
