import { CONSENT_SCOPES, type ConsentScope } from "../domain/consent.ts";
import { DomainError } from "../domain/errors.ts";
import { inTransaction, type Queryable } from "../store/db.ts";
import { latestCharter } from "../store/evaluations.ts";
import {
  consentHistory,
  findConsent,
  findParticipantByUser,
  insertParticipant,
  lockInvitation,
  updateCommunities,
  useInvitation,
  writeConsent,
  type ParticipantRow,
} from "../store/participants.ts";
import { grantRole } from "../store/evaluations.ts";
import { newToken, requireEvaluation, requireParticipant, requireSignedIn, type Actor, type Services } from "./context.ts";

/** Joins through an invitation link. Joining twice returns the existing membership. */
export async function joinWithInvitation(
  s: Services,
  actor: Actor,
  token: string,
  communities: string[] = [],
): Promise<{ evaluationId: string; role: "participant" | "observer"; participant: ParticipantRow | null }> {
  const userId = requireSignedIn(actor);
  return inTransaction(s.pool, async (db) => {
    const invitation = await lockInvitation(db, token);
    const expired = invitation?.expires_at && invitation.expires_at.getTime() < Date.now();
    const exhausted = invitation?.max_uses != null && invitation.uses >= invitation.max_uses;
    if (!invitation || expired || exhausted) throw new DomainError("invitation_invalid", "this invitation is unknown, expired or used up", "token");
    if (invitation.role === "observer") {
      await grantRole(db, invitation.evaluation_id, userId, "observer");
      await useInvitation(db, token);
      return { evaluationId: invitation.evaluation_id, role: "observer", participant: null };
    }
    const existing = await findParticipantByUser(db, invitation.evaluation_id, userId);
    if (existing) return { evaluationId: invitation.evaluation_id, role: "participant", participant: existing };
    const participant = await insertParticipant(db, {
      evaluationId: invitation.evaluation_id,
      userId,
      pseudonym: `p-${newToken(6)}`,
      communities: normaliseCommunities(communities),
    });
    await useInvitation(db, token);
    return { evaluationId: invitation.evaluation_id, role: "participant", participant };
  });
}

export function normaliseCommunities(communities: readonly string[]): string[] {
  return [...new Set(communities.map((c) => c.trim().toLowerCase()).filter((c) => c.length > 0))].sort();
}

export async function setCommunities(s: Services, actor: Actor, idOrSlug: string, communities: string[]): Promise<string[]> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const clean = normaliseCommunities(communities);
  await updateCommunities(s.pool, participant.id, clean);
  return clean;
}

/**
 * Sets the participant's consent to exactly `scopes`, under the current charter version.
 * A scope the charter does not offer is refused; the change is kept as an event.
 */
export async function setConsent(s: Services, actor: Actor, idOrSlug: string, scopes: readonly ConsentScope[]) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const charter = await latestCharter(db, evaluation.id);
    if (!charter) throw new DomainError("not_found", "this evaluation has no charter");
    for (const scope of scopes) {
      if (!charter.content.scopes.includes(scope)) {
        throw new DomainError("scope_not_offered", `the charter (version ${charter.version}) does not offer the scope ${scope}`, "scopes");
      }
    }
    return applyConsent(db, participant, evaluation.id, charter.version, sortScopes(scopes));
  });
}

/** Revokes some scopes (or all, when none are named). Revoking a scope never granted is refused. */
export async function revokeConsent(s: Services, actor: Actor, idOrSlug: string, scopes?: readonly ConsentScope[]) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const participant = await requireParticipant(db, evaluation.id, actor);
    const current = await findConsent(db, participant.id);
    const granted = current?.scopes ?? [];
    const toRevoke = scopes ?? (granted as ConsentScope[]);
    const missing = toRevoke.filter((scope) => !granted.includes(scope));
    if (missing.length > 0 || toRevoke.length === 0) {
      throw new DomainError("scope_not_granted", `cannot revoke what was not granted: ${missing.join(", ") || "nothing is granted"}`, "scopes");
    }
    const remaining = granted.filter((scope) => !toRevoke.includes(scope as ConsentScope)) as ConsentScope[];
    return applyConsent(db, participant, evaluation.id, current?.charter_version ?? 1, remaining);
  });
}

function sortScopes(scopes: readonly ConsentScope[]): ConsentScope[] {
  return CONSENT_SCOPES.filter((scope) => scopes.includes(scope));
}

async function applyConsent(db: Queryable, participant: ParticipantRow, evaluationId: string, charterVersion: number, scopes: ConsentScope[]) {
  const before = (await findConsent(db, participant.id))?.scopes ?? [];
  const granted = scopes.filter((scope) => !before.includes(scope));
  const revoked = before.filter((scope) => !scopes.includes(scope as ConsentScope));
  const change = before.length === 0 ? "grant" : scopes.length === 0 ? "revoke" : revoked.length > 0 && granted.length === 0 ? "revoke" : "change";
  await writeConsent(db, { participantId: participant.id, evaluationId, charterVersion, scopes, change, granted, revoked });
  return { scopes, charterVersion, granted, revoked };
}

export async function myParticipation(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const consent = await findConsent(s.pool, participant.id);
  const history = await consentHistory(s.pool, participant.id);
  return { participant, consent: consent ?? null, history };
}
