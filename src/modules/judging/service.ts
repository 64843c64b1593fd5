import { randomInt } from "node:crypto";
import { fisherYates } from "../../analytics/rng.ts";
import { type CandidateResponse } from "../../core/assignment.ts";
import { applicableRubric } from "../../core/charter.ts";
import { drawBattle, drawCell, responsesOnItem, seenKeys, type PoolIndex } from "../../core/draw.ts";
import { AppError } from "../../core/errors.ts";
import { assertAcceptsJudgments, assertJudgingPhase, assertRevisionPhase, assertTextWithin } from "../../core/evaluation.ts";
import type { JudgmentBody } from "../../core/judgment.ts";
import { inTransaction, type Client, type Pool, type Queryable } from "../../platform/db/pool.ts";
import { type EvaluationRow } from "../../platform/records.ts";
import { findItem, type ItemRow } from "../evaluations/item-queries.ts";
import { cachedCharter, holdsPoolIndex, notePairwiseJudgment, pairWeightsFor, poolIndexFor } from "./draw-cache.ts";
import { assignmentContext, insertJudgment, judgmentContext, lockJudgment, abandonOpenAssignments, seenCombinations, servedBefore, supersede, type JudgingContextRow, type SeenCombination } from "./queries.ts";
import { closeAndInsertJudgment, insertAssignmentWithView, type InsertedAssignment, type UnchangedSince } from "./task-writes.ts";
import { toBody, type SubmittedJudgment } from "./judgment-body.ts";
import { rememberContext, rememberedContext, rememberServedTask, takeServedTask, type ServedTask } from "./served-tasks.ts";
import { type Services } from "../../platform/context.ts";
import { newToken } from "../../platform/crypto.ts";
import { contributorFrom, evaluationFound, requireCharter, requireContributor, requireEvaluationForShare, type Actor } from "../../platform/guards.ts";
import { POSITION_KEYS, publicJudgment, useCaseOf, viewOf, type AssignmentMode, type AssignmentView } from "./presenter.ts";


export type { AssignmentMode, AssignmentView } from "./presenter.ts";

const RANKING_SIZE = 4;
const NOTHING_SEEN: readonly SeenCombination[] = [];
const NO_KEYS: ReadonlySet<number> = new Set();

function secureRandom(): number {
  return randomInt(0, 2 ** 47) / 2 ** 47;
}

/**
 * The next task for the caller. The common case (no open task) takes one statement and no transaction: the checks
 * run on the context this process read at the caller's previous task (remembered, see served-tasks.ts), and the
 * insert writes only if that context still holds in PostgreSQL and the caller holds no open task (the one-open-task
 * unique index makes that atomic). Without a remembered context, or when the insert wrote nothing, a fresh read of
 * the context comes first (two statements). A pairwise draw there does not read the participant's history: it
 * proposes a battle as if nothing were seen, and the insert itself refuses a battle the participant was already
 * served (see insertAssignmentWithView). When the caller holds an open task, a concurrent request of theirs inserted
 * one first, or the proposal was refused as seen, the transactional path below decides (return the open task, or
 * abandon it for another mode; draw with the history read). A refused proposal followed by an exact draw from the
 * unseen options is rejection sampling: the battle drawn has exactly the distribution of src/core/draw.ts
 * conditioned on "not seen".
 */
export async function nextAssignment(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode): Promise<AssignmentView> {
  const fast = (await assignOnRememberedContext(s, actor, idOrSlug, mode)) ?? (await assignWithoutTransaction(s, actor, idOrSlug, mode));
  return fast ?? assignInTransaction(s, actor, idOrSlug, mode);
}

async function assignOnRememberedContext(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode): Promise<AssignmentView | null> {
  const remembered = rememberedContext(actor.userId, idOrSlug);
  // A pool version other than the cached index's: the remembered context is stale (the insert would refuse it), so
  // loading the pool for it would only evict the current index; the fresh read decides.
  if (!remembered || !holdsPoolIndex(remembered.id, remembered.pool_version)) return null;
  try {
    return await assignOn(s, actor, idOrSlug, mode, { ...remembered, open: null }, true);
  } catch (error) {
    // A refusal on values read earlier: the fresh read decides (and refuses with what holds now).
    if (error instanceof AppError) return null;
    throw error;
  }
}

async function assignWithoutTransaction(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode): Promise<AssignmentView | null> {
  return assignOn(s, actor, idOrSlug, mode, await assignmentContext(s.pool, idOrSlug, actor.userId), false);
}

/** The checks on `context` and the insert; `remembered`: the context was read earlier, so the insert requires it unchanged. */
async function assignOn(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode, context: AssignmentContext, remembered: boolean): Promise<AssignmentView | null> {
  const evaluation = evaluationFound(context && evaluationOf(context), idOrSlug);
  assertJudgingPhase(evaluation.status, evaluation.phase);
  const { participant, consent } = contributorFrom(evaluation, actor, context?.participant_id ?? undefined, consentOf(context));
  if (!context || context.open) return null;
  // A pairwise proposal ignores the history (nothing seen); the insert refuses it if it was seen.
  const chosen = await chooseResponses(s, s.pool, evaluation.id, participant, context.pool_version, mode, NOTHING_SEEN);
  if (!chosen) throw new AppError("nothing_to_assign", "there is nothing left for you to judge here", "mode");
  const [left, right] = chosen.responses;
  const unlessSeen = mode === "pairwise" && left && right ? { subjectA: left.subjectId, subjectB: right.subjectId } : undefined;
  const unchanged = remembered
    ? { userId: actor.userId ?? "", slug: evaluation.slug, status: evaluation.status, phase: evaluation.phase, consentVersion: consent.charter_version, consentScopes: consent.scopes, charterVersion: context.charter_version, poolVersion: context.pool_version }
    : undefined;
  const inserted = await insertAssignmentWithView(s.pool, newAssignment(evaluation.id, participant, mode, chosen), { unlessOpen: true, ...(unlessSeen ? { unlessSeen } : {}), ...(unchanged ? { unchanged } : {}) });
  if (!inserted) return null;
  if (actor.userId) {
    const { open: _open, ...read } = context;
    if (!remembered) rememberContext(actor.userId, idOrSlug, read);
    rememberServedTask(inserted.token, servedTask(actor.userId, read, inserted));
  }
  return assignmentView(s.pool, inserted, evaluation.id, context.charter_version);
}

type AssignmentContext = Awaited<ReturnType<typeof assignmentContext>>;

function servedTask(userId: string, read: JudgingContextRow, inserted: InsertedAssignment): ServedTask {
  const assignment = { token: inserted.token, evaluation_id: inserted.evaluation_id, participant_id: inserted.participant_id, item_id: inserted.item_id, mode: inserted.mode, response_ids: inserted.response_ids, served_at: inserted.served_at, judged_at: null };
  return { userId, context: read, assignment: { ...assignment, abandoned: false, scenario: inserted.scenario, responses: (inserted.responses ?? []).map(({ text: _text, ...r }) => r) } };
}

async function assignInTransaction(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode): Promise<AssignmentView> {
  return judgingTransaction(s.pool, actor, async (db) => {
    const context = await assignmentContext(db, idOrSlug, actor.userId);
    const evaluation = evaluationFound(context && evaluationOf(context), idOrSlug);
    assertJudgingPhase(evaluation.status, evaluation.phase);
    const { participant } = contributorFrom(evaluation, actor, context?.participant_id ?? undefined, consentOf(context));
    const open = context?.open;
    if (open && open.mode === mode) return viewOf(db, open);
    if (open) await abandonOpenAssignments(db, participant);
    const chosen = await chooseResponses(s, db, evaluation.id, participant, context?.pool_version ?? null, mode);
    if (!chosen) throw new AppError("nothing_to_assign", "there is nothing left for you to judge here", "mode");
    const inserted = await insertAssignmentWithView(db, newAssignment(evaluation.id, participant, mode, chosen));
    if (!inserted) throw new Error("the assignment insert returned no row");
    return assignmentView(db, inserted, evaluation.id, context?.charter_version ?? null);
  });
}

function newAssignment(evaluationId: string, participantId: string, mode: AssignmentMode, chosen: { itemId: string; responses: CandidateResponse[] }) {
  return { token: newToken(), evaluation_id: evaluationId, participant_id: participantId, item_id: chosen.itemId, mode, response_ids: chosen.responses.map((r) => r.responseId) };
}

async function assignmentView(db: Queryable, inserted: InsertedAssignment, evaluationId: string, charterVersion: number | null): Promise<AssignmentView> {
  const charter = inserted.mode === "rating" && charterVersion ? await cachedCharter(db, evaluationId, charterVersion) : undefined;
  const useCase = useCaseOf({ scenario: inserted.scenario } as ItemRow);
  return {
    token: inserted.token,
    mode: inserted.mode,
    item: { id: inserted.item_id, title: inserted.title ?? "", prompt: inserted.prompt ?? "", scenario: inserted.scenario ?? null },
    responses: (inserted.responses ?? []).map((r, i) => ({ key: POSITION_KEYS[i] ?? String(i), text: r.text })),
    rubric: charter ? applicableRubric(charter.content.rubric, useCase) : null,
    servedAt: inserted.served_at,
  };
}

/**
 * One transaction for a judging request. Its first statement also takes a per-account advisory lock, so two
 * concurrent assignment requests of one participant run one after the other (the second sees the first's
 * open assignment) instead of both drawing; it costs no extra round trip.
 */
function judgingTransaction<T>(pool: Pool, actor: Actor, work: (client: Client) => Promise<T>): Promise<T> {
  return inTransaction(pool, work, actor.userId ? { lockKey: `assign:${actor.userId}` } : {});
}

function evaluationOf(context: JudgingContextRow): EvaluationRow {
  return { id: context.id, slug: context.slug, title: context.title, question: context.question, status: context.status, phase: context.phase, created_at: context.created_at };
}

function consentOf(context: JudgingContextRow | undefined): { charter_version: number; scopes: string[] } | undefined {
  return context && context.consent_scopes && context.consent_version !== null ? { charter_version: context.consent_version, scopes: context.consent_scopes } : undefined;
}

/** The draw (src/core/draw.ts states its distribution): the pool index and weights are cached; the participant's history is given (NOTHING_SEEN: checked by the insert instead) or read here. */
async function chooseResponses(
  s: Services,
  db: Queryable,
  evaluationId: string,
  participantId: string,
  poolVersion: number | null,
  mode: AssignmentMode,
  seen?: readonly SeenCombination[],
): Promise<{ itemId: string; responses: CandidateResponse[] } | null> {
  // One after the other: they may share the transaction's connection.
  const index = await poolIndexFor(db, evaluationId, poolVersion);
  if (mode !== "pairwise") return drawSingle(index, mode, await servedBefore(db, participantId, mode));
  const weights = await pairWeightsFor(db, evaluationId, index);
  const seenRows = seen ?? (await seenCombinations(db, participantId));
  const battle = drawBattle(index, weights, seenRows.length === 0 ? NO_KEYS : seenKeys(index, seenRows), secureRandom);
  return battle && { itemId: battle.itemId, responses: [battle.left, battle.right] };
}

/**
 * A rating task: a response the participant has never been served for rating, uniformly. A ranking task:
 * an item they have never been served for ranking (chosen with probability proportional to its responses),
 * with up to RANKING_SIZE of its responses in random order.
 */
function drawSingle(index: PoolIndex, mode: "rating" | "ranking", served: ReadonlySet<string>): { itemId: string; responses: CandidateResponse[] } | null {
  const cell = drawCell(index, (response, itemId) => (mode === "rating" ? !served.has(response) : !served.has(itemId) && responsesOnItem(index, itemId).length >= 2), secureRandom);
  if (!cell) return null;
  if (mode === "rating") return { itemId: cell.itemId, responses: [cell.response] };
  return { itemId: cell.itemId, responses: shuffled(responsesOnItem(index, cell.itemId)).slice(0, RANKING_SIZE) };
}

function shuffled<T>(list: readonly T[]): T[] {
  return fisherYates([...list], (n) => randomInt(0, n));
}

const ACCEPTED_KINDS: Readonly<Record<AssignmentMode, readonly JudgmentBody["kind"][]>> = {
  pairwise: ["pairwise", "abstention", "contest"],
  rating: ["rating", "abstention", "contest"],
  ranking: ["ranking", "abstention", "contest"],
};

/**
 * Records the judgment for a token. The common case is one statement: the task was served by this process, whose
 * context read then is checked again here, and the statement closes the task and inserts the judgment only if that
 * context is unchanged in PostgreSQL (see served-tasks.ts). Otherwise, two statements and no transaction: a read of
 * the context, then one statement that closes the task only if it is still open and inserts the judgment (atomic on
 * its own). If that statement finds the task no longer open (a concurrent judgment or mode switch won), the
 * transactional path re-reads with the task locked and gives the precise refusal.
 */
export async function castJudgment(s: Services, actor: Actor, idOrSlug: string, token: string, submitted: SubmittedJudgment, rationale?: string) {
  const result =
    (await judgeServedTask(s, actor, idOrSlug, token, submitted, rationale)) ??
    (await judgeToken(s, s.pool, actor, idOrSlug, token, submitted, rationale, false)) ??
    (await inTransaction(s.pool, (db) => judgeToken(s, db, actor, idOrSlug, token, submitted, rationale, true)));
  if (!result) throw new AppError("conflict", "this task is no longer open", "token");
  notePairwiseJudgment(result.evaluationId, result.subjectA, result.subjectB);
  return result.view;
}

/** The judgment on the context remembered when this process served the task; null (nothing written) defers to the fresh read. */
async function judgeServedTask(s: Services, actor: Actor, idOrSlug: string, token: string, submitted: SubmittedJudgment, rationale: string | undefined) {
  const served = takeServedTask(token, actor.userId);
  if (!served || (idOrSlug !== served.context.id && idOrSlug !== served.context.slug)) return null;
  const { context, assignment } = served;
  try {
    return await judgeInContext(s.pool, actor, idOrSlug, token, submitted, rationale, { ...context, assignment }, { userId: served.userId, slug: context.slug, charterVersion: context.charter_version, poolVersion: context.pool_version });
  } catch (error) {
    // A refusal on values read when the task was served: the fresh read decides (and refuses with what holds now).
    if (error instanceof AppError) return null;
    throw error;
  }
}

async function judgeToken(s: Services, db: Queryable, actor: Actor, idOrSlug: string, token: string, submitted: SubmittedJudgment, rationale: string | undefined, lock: boolean) {
  const context = await judgmentContext(db, idOrSlug, actor.userId, token, { lock });
  return judgeInContext(db, actor, idOrSlug, token, submitted, rationale, context);
}

type JudgmentContext = Awaited<ReturnType<typeof judgmentContext>>;

/** The judgment's checks on `context`, then the statement that closes the task and records it (null: the task was no longer open, or `unchanged` no longer held). */
async function judgeInContext(
  db: Queryable,
  actor: Actor,
  idOrSlug: string,
  token: string,
  submitted: SubmittedJudgment,
  rationale: string | undefined,
  context: JudgmentContext,
  unchanged?: UnchangedSince,
) {
  const evaluation = evaluationFound(context && evaluationOf(context), idOrSlug);
  const { participant, consent } = contributorFrom(evaluation, actor, context?.participant_id ?? undefined, consentOf(context));
  const assignment = context?.assignment;
  if (!assignment || assignment.evaluation_id !== evaluation.id || assignment.participant_id !== participant) {
    throw new AppError("not_found", "no such assignment for you in this evaluation", "token");
  }
  if (assignment.judged_at) throw new AppError("already_judged", "this assignment has been judged already", "token");
  if (assignment.abandoned) throw new AppError("conflict", "this task was replaced when you asked for another kind of task; judge the open one", "token");
  assertJudgingPhase(evaluation.status, evaluation.phase);
  if (!ACCEPTED_KINDS[assignment.mode].includes(submitted.kind)) {
    throw new AppError("validation_failed", `a ${assignment.mode} assignment takes ${ACCEPTED_KINDS[assignment.mode].join(", ")}`, "kind");
  }
  const charter = context.charter_version ? await cachedCharter(db, evaluation.id, context.charter_version) : await requireCharter(db, evaluation.id);
  const body = toBody(submitted, assignment.response_ids, charter.content, useCaseOf({ scenario: assignment.scenario } as ItemRow));
  assertTextWithin("rationale", rationale, charter.content.textLimits.rationale);
  const responses = assignment.responses;
  const subjectA = body.kind === "pairwise" ? responses[0]?.subject_id ?? null : null;
  const subjectB = body.kind === "pairwise" ? responses[1]?.subject_id ?? null : null;
  const judgment = await closeAndInsertJudgment(db, {
    evaluationId: evaluation.id,
    participantId: participant,
    itemId: assignment.item_id,
    assignmentToken: token,
    body,
    subjectA,
    subjectB,
    responseIds: assignment.response_ids,
    rationale: rationale ?? null,
    phase: evaluation.phase,
    readStatus: evaluation.status,
    charterVersion: consent.charter_version,
    consentScopes: consent.scopes,
    // As Arena does: a response that named its subject broke anonymity, so the vote is kept but not counted.
    excludedReason: responses.some((r) => (r.identity_leak?.length ?? 0) > 0) ? "identity_leak" : null,
    ...(unchanged ? { unchanged } : {}),
  });
  if (!judgment) return null;
  const revealed = responses.map((r, i) => ({ key: POSITION_KEYS[i] ?? String(i), subject: { id: r.subject_id, name: r.name, kind: r.kind, organisation: r.organisation } }));
  return { evaluationId: evaluation.id, subjectA, subjectB, view: { judgment: publicJudgment(judgment), revealed } };
}

/** Abstaining on or contesting an item directly, outside an assignment. */
export async function judgeItem(
  s: Services,
  actor: Actor,
  idOrSlug: string,
  itemId: string,
  submitted: Extract<SubmittedJudgment, { kind: "abstention" | "contest" }>,
  rationale?: string,
) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluationForShare(db, idOrSlug);
    const { participant, consent } = await requireContributor(db, evaluation, actor);
    assertAcceptsJudgments(evaluation.status);
    const item = await findItem(db, evaluation.id, itemId);
    if (!item) throw new AppError("not_found", "no such item in this evaluation", "itemId");
    const charter = await requireCharter(db, evaluation.id);
    const body = toBody(submitted, [], charter.content);
    assertTextWithin("rationale", rationale, charter.content.textLimits.rationale);
    const judgment = await insertJudgment(db, {
      evaluationId: evaluation.id,
      participantId: participant.id,
      itemId,
      assignmentToken: null,
      body,
      rationale: rationale ?? null,
      phase: evaluation.phase,
      charterVersion: consent.charter_version,
      consentScopes: consent.scopes,
    });
    return publicJudgment(judgment);
  });
}

/** A revision keeps the earlier judgment in history and makes the new one current. */
export async function reviseJudgment(s: Services, actor: Actor, idOrSlug: string, judgmentId: string, submitted: SubmittedJudgment, rationale?: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluationForShare(db, idOrSlug);
    const { participant, consent } = await requireContributor(db, evaluation, actor);
    assertRevisionPhase(evaluation.phase);
    const previous = await lockJudgment(db, evaluation.id, judgmentId);
    if (!previous || previous.participant_id !== participant.id) throw new AppError("not_found", "no such judgment of yours", "judgmentId");
    if (!previous.is_current) throw new AppError("conflict", "only the current version of a judgment can be revised", "judgmentId");
    const sameFamily = submitted.kind === previous.kind || submitted.kind === "abstention" || submitted.kind === "contest";
    if (!sameFamily) throw new AppError("validation_failed", `a ${previous.kind} judgment is revised as ${previous.kind}, abstention or contest`, "kind");
    const charter = await requireCharter(db, evaluation.id);
    const item = previous.item_id ? await findItem(db, evaluation.id, previous.item_id) : undefined;
    const body = toBody(submitted, previous.response_ids, charter.content, useCaseOf(item));
    assertTextWithin("rationale", rationale, charter.content.textLimits.rationale);
    await supersede(db, previous.id);
    const judgment = await insertJudgment(db, {
      evaluationId: evaluation.id,
      participantId: participant.id,
      itemId: previous.item_id,
      assignmentToken: null,
      body,
      subjectA: body.kind === "pairwise" ? previous.subject_a : null,
      subjectB: body.kind === "pairwise" ? previous.subject_b : null,
      responseIds: previous.response_ids,
      rationale: rationale ?? null,
      phase: evaluation.phase,
      charterVersion: consent.charter_version,
      consentScopes: consent.scopes,
      revises: previous.id,
      // a revision never clears an exclusion: a vote set aside (an identity leak) stays set aside
      excludedReason: previous.excluded_reason,
    });
    return publicJudgment(judgment);
  });
}

