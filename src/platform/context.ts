import { createHash, randomBytes } from "node:crypto";
import { DomainError } from "../core/errors.ts";
import type { Role } from "../core/evaluation.ts";
import type { Pool, Queryable } from "./db/pool.ts";
import { findEvaluation, findRole, type EvaluationRow } from "../modules/evaluations/queries.ts";
import { findParticipantByUser, type ParticipantRow } from "../modules/participation/queries.ts";

export interface Services {
  readonly pool: Pool;
  /** the clock the services read (deadlines, ballots, demands); default the system clock. Tests inject one. */
  readonly now?: () => Date;
}

/** The services' current time. */
export function nowOf(s: Services): Date {
  return s.now ? s.now() : new Date();
}

/** Who is asking: a signed-in account (possibly an anonymous participant account) or nobody. */
export interface Actor {
  readonly userId: string | null;
  readonly isAnonymous: boolean;
}

export const NOBODY: Actor = { userId: null, isAnonymous: true };

export function newToken(bytes = 18): string {
  return randomBytes(bytes).toString("base64url");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export async function requireEvaluation(db: Queryable, idOrSlug: string): Promise<EvaluationRow> {
  const evaluation = await findEvaluation(db, idOrSlug);
  if (!evaluation) throw new DomainError("not_found", `no evaluation ${idOrSlug}`, "evaluation");
  return evaluation;
}

export function requireSignedIn(actor: Actor): string {
  if (!actor.userId) throw new DomainError("unauthenticated", "sign in or join through an invitation first");
  return actor.userId;
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
    throw new DomainError("forbidden", `this needs the role ${roles.join(" or ")} in this evaluation`);
  }
  return role;
}

export async function requireParticipant(db: Queryable, evaluationId: string, actor: Actor): Promise<ParticipantRow> {
  const userId = requireSignedIn(actor);
  const participant = await findParticipantByUser(db, evaluationId, userId);
  if (!participant) throw new DomainError("forbidden", "only participants of this evaluation can do this; join through an invitation");
  return participant;
}
