import { parseCharter, type Charter, type CharterInput } from "../../core/charter.ts";
import { identityLeakOf } from "../../core/identity-leak.ts";
import { AppError } from "../../core/errors.ts";
import { assertSomethingToJudge, assertTextWithin, assertTransition, type EvaluationStatus, type Phase } from "../../core/evaluation.ts";
import { inTransaction, type Client } from "../../platform/db/pool.ts";
import { allCharters, grantRole, insertCharter, insertEvaluation, judgeableFacts, listEvaluationsWithCounts, updateEvaluationState } from "./queries.ts";
import { findEvaluation, latestCharter, lockEvaluation, type EvaluationRow } from "../../platform/records.ts";
import { findResponseText, insertItem, insertResponse, itemAuthorScopes, listAnswered, listItems, type ItemRow } from "./item-queries.ts";
import { mayUse, PUBLIC_VIEW_USE } from "../../core/consent.ts";
import { insertInvitation, insertInvitations, listInvitations, revokeInvitation, type InvitationRow } from "../participation/queries.ts";
import { checkInvitation, DEFAULT_MAX_USES, invitationKind, MAX_BATCH_LINKS, usesLeft } from "../../core/invitation.ts";
import { circuitsOf } from "../judging/live-queries.ts";
import { withCircuit } from "../judging/live-status.ts";
import { insertSubject, listSubjects, type NewSubject, type SubjectRow } from "./subject-queries.ts";
import { assertCharterPay } from "../labour/pay-floor.ts";
import { nowOf, type Services } from "../../platform/context.ts";
import { canonicalJson } from "../../core/canonical-json.ts";
import { newToken, sha256 } from "../../platform/crypto.ts";
import { recordAudit } from "./audit.ts";
import { requireEvaluation, requireReader, requireRole, requireSignedIn, type Actor } from "../../platform/guards.ts";

export function charterHash(content: Charter): string {
  return sha256(canonicalJson(content));
}

export async function createEvaluation(
  s: Services,
  actor: Actor,
  input: { slug: string; title: string; question?: string; charter: CharterInput },
): Promise<{ evaluation: EvaluationRow; charter: Charter }> {
  const userId = requireSignedIn(actor);
  if (actor.isAnonymous) throw new AppError("forbidden", "an organiser needs a full account, not an anonymous one");
  const charter = parseCharter(input.charter);
  assertCharterPay(charter);
  return inTransaction(s.pool, async (db) => {
    if (await findEvaluation(db, input.slug)) throw new AppError("conflict", `the slug ${input.slug} is taken`, "slug");
    const evaluation = await insertEvaluation(db, { slug: input.slug, title: input.title, question: input.question ?? "", createdBy: userId });
    await insertCharter(db, evaluation.id, 1, charter, charterHash(charter));
    await grantRole(db, evaluation.id, userId, "organiser");
    await recordAudit(db, evaluation.id, actor, "evaluation.created", evaluation.id, { slug: evaluation.slug, charterVersion: 1 });
    return { evaluation, charter };
  });
}

export async function listEvaluations(s: Services, actor: Actor) {
  return listEvaluationsWithCounts(s.pool, actor.userId);
}

export async function getEvaluation(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation, role } = await requireReader(s.pool, idOrSlug, actor);
  const charters = await allCharters(s.pool, evaluation.id);
  return { evaluation, role, charters };
}

export async function changeState(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  change: { status?: EvaluationStatus; phase?: Phase },
): Promise<EvaluationRow> {
  return inTransaction(s.pool, async (db) => {
    const found = await requireEvaluation(db, idOrSlug);
    await requireRole(db, found.id, actor, ["organiser"]);
    const evaluation = (await lockEvaluation(db, found.id)) as EvaluationRow;
    if (change.status && change.status !== evaluation.status) {
      assertTransition(evaluation.status, change.status);
      if (change.status === "open") assertSomethingToJudge(await judgeableFacts(db, evaluation.id));
    }
    await updateEvaluationState(db, evaluation.id, change);
    await recordAudit(db, evaluation.id, actor, "evaluation.state_changed", evaluation.id, {
      fromStatus: evaluation.status,
      toStatus: change.status ?? evaluation.status,
      fromPhase: evaluation.phase,
      toPhase: change.phase ?? evaluation.phase,
    });
    return { ...evaluation, ...change };
  });
}

async function asOrganiser<T>(s: Services, actor: Actor, idOrSlug: string, work: (evaluation: EvaluationRow, db: Client) => Promise<T>): Promise<T> {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    await requireRole(db, evaluation.id, actor, ["organiser"]);
    return work(evaluation, db);
  });
}

export async function addSubject(s: Services, actor: Actor, idOrSlug: string, subject: NewSubject): Promise<SubjectRow> {
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => {
    const row = await insertSubject(db, evaluation.id, subject);
    await recordAudit(db, evaluation.id, actor, "subject.added", row.id, { name: row.name, kind: row.kind });
    return row;
  });
}

export async function addItem(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  item: { title?: string; prompt: string; externalRef?: string; scenario?: Record<string, unknown> },
): Promise<ItemRow> {
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => {
    const charter = await latestCharter(db, evaluation.id);
    assertTextWithin("prompt", item.prompt, charter?.content.textLimits.prompt ?? Infinity);
    const row = await insertItem(db, evaluation.id, item);
    await recordAudit(db, evaluation.id, actor, "item.added", row.id, {});
    return row;
  });
}

export async function addResponse(s: Services, actor: Actor, idOrSlug: string, r: { itemId: string; subjectId: string; text: string }) {
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => {
    const items = await listItems(db, evaluation.id);
    if (!items.some((i) => i.id === r.itemId)) throw new AppError("not_found", "no such item in this evaluation", "itemId");
    const subject = (await listSubjects(db, evaluation.id)).find((x) => x.id === r.subjectId);
    if (!subject) throw new AppError("not_found", "no such subject in this evaluation", "subjectId");
    const existing = await findResponseText(db, r.itemId, r.subjectId);
    if (existing !== undefined && existing !== r.text) {
      // Judgments may already rest on the first answer: it is kept, never silently replaced.
      throw new AppError("conflict", `${subject.name} already answered this item; its answer is kept as it was given`, "text", "one_answer_per_item");
    }
    const row = await insertResponse(db, evaluation.id, { ...r, identityLeak: identityLeakOf(r.text, subject) });
    await recordAudit(db, evaluation.id, actor, "response.added", row.id, { itemId: r.itemId, subjectId: r.subjectId });
    return row;
  });
}

/** Which subject answered which item (organisers): the answer's first characters and its length. */
export async function listEvaluationAnswers(s: Services, actor: Actor, idOrSlug: string) {
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) =>
    (await listAnswered(db, evaluation.id, 280)).map((r) => ({ id: r.id, itemId: r.item_id, subjectId: r.subject_id, excerpt: r.excerpt, length: r.length })),
  );
}

function assertFutureExpiry(expiresAt: Date | null | undefined, now: Date): void {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new AppError("validation_failed", "an invitation's expiry must be in the future", "expiresAt");
}

/** A link with a finite number of uses (DEFAULT_MAX_USES unless the organiser names one) and an optional expiry. */
export async function createInvitation(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  inv: { role: InvitationRow["role"]; maxUses?: number | null; expiresAt?: Date | null },
): Promise<InvitationRow> {
  assertFutureExpiry(inv.expiresAt, nowOf(s));
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => {
    const row = await insertInvitation(db, { token: newToken(), evaluationId: evaluation.id, role: inv.role, maxUses: inv.maxUses ?? DEFAULT_MAX_USES, expiresAt: inv.expiresAt ?? null });
    // the token is a credential: never in the log
    await recordAudit(db, evaluation.id, actor, "invitation.created", null, { role: inv.role, maxUses: row.max_uses, expiresAt: inv.expiresAt?.toISOString() ?? null });
    return row;
  });
}

/** `count` personal (single-use) links at once, for a closed group: one link per person. */
export async function createPersonalInvitations(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  batch: { count: number; role?: InvitationRow["role"]; expiresAt?: Date | null },
): Promise<InvitationRow[]> {
  if (!Number.isInteger(batch.count) || batch.count < 1 || batch.count > MAX_BATCH_LINKS) {
    throw new AppError("validation_failed", `ask for between 1 and ${MAX_BATCH_LINKS} links`, "count");
  }
  assertFutureExpiry(batch.expiresAt, nowOf(s));
  return asOrganiser(s, actor, idOrSlug, (evaluation, db) =>
    insertInvitations(db, {
      tokens: Array.from({ length: batch.count }, () => newToken()),
      evaluationId: evaluation.id,
      role: batch.role ?? "participant",
      maxUses: 1,
      expiresAt: batch.expiresAt ?? null,
    }),
  );
}

/** What organisers see of a link: its kind, uses and uses left, expiry, revocation and whether it still admits anyone. */
export function invitationView(inv: InvitationRow, now: Date) {
  const check = checkInvitation({ maxUses: inv.max_uses, uses: inv.uses, expiresAt: inv.expires_at, revokedAt: inv.revoked_at }, now);
  return {
    token: inv.token,
    path: `/join/${inv.token}`,
    role: inv.role,
    kind: invitationKind(inv.max_uses),
    maxUses: inv.max_uses,
    uses: inv.uses,
    usesLeft: usesLeft({ maxUses: inv.max_uses, uses: inv.uses }),
    expiresAt: inv.expires_at,
    revokedAt: inv.revoked_at,
    createdAt: inv.created_at,
    status: check.ok ? ("active" as const) : check.reason,
  };
}

export async function listEvaluationInvitations(s: Services, actor: Actor, idOrSlug: string) {
  const now = nowOf(s);
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => (await listInvitations(db, evaluation.id)).map((inv) => invitationView(inv, now)));
}

/** Revokes a link: nobody else joins through it; those who joined stay. Revoking twice keeps the first time. */
export async function revokeEvaluationInvitation(s: Services, actor: Actor, idOrSlug: string, token: string) {
  const now = nowOf(s);
  return asOrganiser(s, actor, idOrSlug, async (evaluation, db) => {
    const revoked = await revokeInvitation(db, evaluation.id, token, now);
    if (!revoked) throw new AppError("not_found", "no such invitation in this evaluation", "token");
    return invitationView(revoked, now);
  });
}

/** Live subjects whose circuit is open read as unavailable: a fixed phrase for everyone, the failure's kind and HTTP status for organisers. */
export async function listEvaluationSubjects(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation, role } = await getEvaluation(s, actor, idOrSlug);
  const [subjects, circuits] = await Promise.all([listSubjects(s.pool, evaluation.id), circuitsOf(s.pool, evaluation.id)]);
  const now = nowOf(s);
  return subjects.map((subject) => withCircuit(subject, circuits.get(subject.id), role === "organiser", now));
}

/** Accepted items; a participant-written one only while its author's current consent allows the view (`mayUse`). */
export async function listEvaluationItems(s: Services, actor: Actor, idOrSlug: string) {
  const { evaluation } = await getEvaluation(s, actor, idOrSlug);
  const scopes = await itemAuthorScopes(s.pool, evaluation.id);
  return (await listItems(s.pool, evaluation.id)).filter(
    (item) =>
      item.moderation === "accepted" &&
      mayUse({ author: item.author_participant_id ? "participant" : "organiser" }, item.author_participant_id ? (scopes.get(item.author_participant_id) ?? null) : null, PUBLIC_VIEW_USE),
  );
}
