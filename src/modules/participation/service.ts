import { CONSENT_SCOPES, SCOPE_EXPLANATIONS, type ConsentScope } from "../../core/consent.ts";
import { AppError } from "../../core/errors.ts";
import { assertAcceptsJudgments } from "../../core/evaluation.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import { allCharters } from "../evaluations/queries.ts";
import { consentHistory, findInvitation, insertParticipant, lockInvitation, updateCommunities, useInvitation, writeConsent, type InvitationRow } from "./queries.ts";
import { findConsent, findParticipantByUser, findRole, type ParticipantRow } from "../../platform/records.ts";
import { checkInvitation, INVITATION_REFUSALS } from "../../core/invitation.ts";
import { joinAssurance } from "../../core/governance.ts";
import { grantRole } from "../evaluations/queries.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { canonicalJson } from "../../core/canonical-json.ts";
import { newToken, sha256 } from "../../platform/crypto.ts";
import { requireEvaluation, requireParticipant, requireSignedIn, type Actor, requireCharter } from "../../platform/guards.ts";

/** Refuses (410 invitation_invalid, naming why) a link that admits nobody: unknown, revoked, expired or used up. */
function refuseInvitation(invitation: InvitationRow | undefined, now: Date): asserts invitation is InvitationRow {
  const check = checkInvitation(invitation && { maxUses: invitation.max_uses, uses: invitation.uses, expiresAt: invitation.expires_at, revokedAt: invitation.revoked_at }, now);
  if (!check.ok) throw new AppError("invitation_invalid", `${INVITATION_REFUSALS[check.reason]} (${check.reason})`, "token");
}

/**
 * Checks a link before anything is created for the person following it (no anonymous account, no session, no
 * participant for a link that admits nobody). The join itself checks again under a row lock.
 */
export async function assertInvitationUsable(s: Services, token: string): Promise<void> {
  refuseInvitation(await findInvitation(s.pool, token), nowOf(s));
}

/** A link checked before its pitch is shown: the evaluation it opens and the role it gives, or 410 naming why not. */
export async function previewInvitation(s: Services, token: string) {
  const invitation = await findInvitation(s.pool, token);
  refuseInvitation(invitation, nowOf(s));
  const evaluation = await requireEvaluation(s.pool, invitation.evaluation_id);
  return { evaluation: { id: evaluation.id, slug: evaluation.slug, title: evaluation.title }, role: invitation.role === "observer" ? ("observer" as const) : ("participant" as const) };
}

/**
 * Joins through an invitation link. Joining twice returns the existing membership (and uses nothing); a
 * member following any link of the evaluation keeps their standing (an organiser stays organiser, a participant
 * participant, an observer observer) and nothing is written. A participant records how they joined
 * (core joinAssurance): a personal (single-use) link, an open link, or a full account.
 */
export async function joinWithInvitation(
  s: Services,
  actor: Actor,
  token: string,
  communities: string[] = [],
): Promise<{ evaluationId: string; role: "participant" | "observer" | "organiser"; participant: ParticipantRow | null }> {
  const userId = requireSignedIn(actor);
  const now = nowOf(s);
  return inTransaction(s.pool, async (db) => {
    const invitation = await lockInvitation(db, token);
    refuseInvitation(invitation, now);
    const evaluationId = invitation.evaluation_id;
    // One standing per person and evaluation: a member who follows any link of it keeps theirs and uses nothing
    // (an observer added to a participant, or a participant to an observer, would hold two roles that the
    // guards read differently: roleOf says observer, requireParticipant finds a participant).
    const role = await findRole(db, evaluationId, userId);
    if (role) return { evaluationId, role, participant: null };
    const existing = await findParticipantByUser(db, evaluationId, userId);
    if (existing) return { evaluationId, role: "participant", participant: existing };
    await takeUse(db, token, now);
    if (invitation.role === "observer") {
      await grantRole(db, evaluationId, userId, "observer");
      return { evaluationId, role: "observer", participant: null };
    }
    const assurance = joinAssurance({ fullAccount: !actor.isAnonymous, invitationMaxUses: invitation.max_uses });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const participant = await insertParticipant(db, { evaluationId, userId, pseudonym: `p-${newToken(6)}`, communities: normaliseCommunities(communities), assurance, invitationToken: token });
      if (participant) return { evaluationId, role: "participant", participant };
    }
    throw new AppError("conflict", "could not draw a free pseudonym; try again", "token");
  }, { lockKey: joinLockKey(userId) });
}

/**
 * Every join of one account runs one after the other (two tabs, a retry, an observer link and a participant
 * link followed at once): the second finds the standing the first gave, instead of adding a second one.
 */
function joinLockKey(userId: string): string {
  return `join:${userId}`;
}

/**
 * Joins without an invitation, where the charter says `openParticipation`: refused otherwise (403 naming the
 * rule `invitation_required`). An organiser or observer stays what they are; joining twice returns the membership.
 */
export async function assertOpenParticipation(s: Services, idOrSlug: string): Promise<void> {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const charter = await requireCharter(s.pool, evaluation.id);
  if (!charter.content.openParticipation) {
    throw new AppError("forbidden", "this evaluation admits participants by invitation only: ask its organiser for an invitation link", "token", "invitation_required");
  }
  assertAcceptsJudgments(evaluation.status);
}

export async function joinOpen(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  communities: string[] = [],
): Promise<{ evaluationId: string; role: "participant" | "observer" | "organiser"; participant: ParticipantRow | null }> {
  const userId = requireSignedIn(actor);
  await assertOpenParticipation(s, idOrSlug);
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const role = await findRole(db, evaluation.id, userId);
    if (role === "organiser" || role === "observer") return { evaluationId: evaluation.id, role, participant: null };
    const existing = await findParticipantByUser(db, evaluation.id, userId);
    if (existing) return { evaluationId: evaluation.id, role: "participant", participant: existing };
    const assurance = joinAssurance({ fullAccount: !actor.isAnonymous, invitationMaxUses: null });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const participant = await insertParticipant(db, { evaluationId: evaluation.id, userId, pseudonym: `p-${newToken(6)}`, communities: normaliseCommunities(communities), assurance, invitationToken: null });
      if (participant) return { evaluationId: evaluation.id, role: "participant", participant };
    }
    throw new AppError("conflict", "could not draw a free pseudonym; try again", "evaluation");
  }, { lockKey: joinLockKey(userId) });
}

async function takeUse(db: Queryable, token: string, now: Date): Promise<void> {
  if (!(await useInvitation(db, token, now))) throw new AppError("invitation_invalid", `${INVITATION_REFUSALS.used_up} (used_up)`, "token");
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
    const charter = await requireCharter(db, evaluation.id);
    for (const scope of scopes) {
      if (!charter.content.scopes.includes(scope)) {
        throw new AppError("scope_not_offered", `the charter (version ${charter.version}) does not offer the scope ${scope}`, "scopes");
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
      throw new AppError("scope_not_granted", `cannot revoke what was not granted: ${missing.join(", ") || "nothing is granted"}`, "scopes");
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

/**
 * A consent receipt the participant can download and keep: the evaluation, the charter version the current
 * consent was given under with its content hash, the scopes granted (with what each means), and every consent
 * event, each with the hash of the charter version it was made under. `receiptHash` is SHA-256 over the
 * canonical JSON of everything else, so a kept copy can be checked against a later one.
 */
export async function consentReceipt(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  const participant = await requireParticipant(s.pool, evaluation.id, actor);
  const consent = await findConsent(s.pool, participant.id);
  const charters = new Map((await allCharters(s.pool, evaluation.id)).map((c) => [c.version, c]));
  const hashOf = (version: number) => charters.get(version)?.content_hash ?? null;
  const scopes = (consent?.scopes ?? []) as ConsentScope[];
  const receipt = {
    kind: "counterpublic.consent-receipt",
    version: 1,
    issuedAt: nowOf(s).toISOString(),
    evaluation: { id: evaluation.id, slug: evaluation.slug, title: evaluation.title },
    participant: participant.pseudonym,
    charter: consent ? { version: consent.charter_version, contentHash: hashOf(consent.charter_version) } : null,
    scopes: scopes.map((scope) => ({ scope, meaning: SCOPE_EXPLANATIONS[scope] })),
    events: (await consentHistory(s.pool, participant.id)).map((event) => ({
      change: event.change,
      scopes: event.scopes,
      granted: event.granted,
      revoked: event.revoked,
      charterVersion: event.charter_version,
      charterContentHash: hashOf(event.charter_version),
      at: event.at.toISOString(),
    })),
  };
  return { ...receipt, receiptHash: sha256(canonicalJson(receipt)) };
}
