import { randomInt } from "node:crypto";
import { fisherYates } from "../../analytics/rng.ts";
import { chooseBattle, pairKey, type CandidateItem, type CandidateResponse } from "../../core/assignment.ts";
import { applicableRubric, type Charter, type RubricDimension } from "../../core/charter.ts";
import { AppError } from "../../core/errors.ts";
import { assertAcceptsJudgments, assertTextWithin } from "../../core/evaluation.ts";
import type { JudgmentBody } from "../../core/judgment.ts";
import { inTransaction, type Queryable } from "../../platform/db/pool.ts";
import { type EvaluationRow } from "../../platform/records.ts";
import { assignableResponses, findItem, responsesByIds } from "../evaluations/item-queries.ts";
import {
  closeAssignment,
  insertAssignment,
  insertJudgment,
  judgedCombinations,
  lockAssignment,
  lockJudgment,
  openAssignment,
  pairComparisonCounts,
  supersede,
} from "./queries.ts";
import { type ParticipantRow } from "../../platform/records.ts";
import { type Services } from "../../platform/context.ts";
import { newToken } from "../../platform/crypto.ts";
import { requireCharter, requireContributor, requireEvaluation, type Actor } from "../../platform/guards.ts";
import { POSITION_KEYS, publicJudgment, reveal, useCaseOf, viewOf, type AssignmentMode, type AssignmentView } from "./presenter.ts";

export type { AssignmentMode, AssignmentView } from "./presenter.ts";

const RANKING_SIZE = 4;

function secureRandom(): number {
  return randomInt(0, 2 ** 47) / 2 ** 47;
}

export function assertJudgingPhase(evaluation: EvaluationRow): void {
  assertAcceptsJudgments(evaluation.status);
  if (evaluation.phase === "deliberate") {
    throw new AppError("wrong_phase", "judging is paused while the evaluation deliberates", "phase");
  }
}

export async function nextAssignment(s: Services, actor: Actor, idOrSlug: string, mode: AssignmentMode): Promise<AssignmentView> {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    assertJudgingPhase(evaluation);
    const { participant } = await requireContributor(db, evaluation, actor);
    const open = await openAssignment(db, participant.id);
    if (open && open.mode === mode) return viewOf(db, open);
    const chosen = await chooseResponses(db, evaluation.id, participant, mode);
    if (!chosen) throw new AppError("nothing_to_assign", "there is nothing left for you to judge here", "mode");
    const assignment = await insertAssignment(db, {
      token: newToken(),
      evaluation_id: evaluation.id,
      participant_id: participant.id,
      item_id: chosen.itemId,
      mode,
      response_ids: chosen.responses.map((r) => r.responseId),
    });
    return viewOf(db, assignment);
  });
}

async function chooseResponses(db: Queryable, evaluationId: string, participant: ParticipantRow, mode: AssignmentMode): Promise<{ itemId: string; responses: CandidateResponse[] } | null> {
  const pool = await assignableResponses(db, evaluationId);
  const byItem = new Map<string, CandidateResponse[]>();
  for (const row of pool) {
    const list = byItem.get(row.item_id) ?? [];
    list.push({ responseId: row.response_id, subjectId: row.subject_id });
    byItem.set(row.item_id, list);
  }
  const items: CandidateItem[] = [...byItem].map(([itemId, responses]) => ({ itemId, responses }));
  const counts = new Map((await pairComparisonCounts(db, evaluationId)).map((row) => [pairKey(row.x, row.y), row.n]));
  const seen = new Set((await judgedCombinations(db, participant.id)).map((row) => `${row.item_id}|${pairKey(row.x, row.y)}`));
  const battle = chooseBattle(items, counts, seen, secureRandom);
  if (!battle) return null;
  if (mode === "pairwise") return { itemId: battle.itemId, responses: [battle.left, battle.right] };
  if (mode === "rating") return { itemId: battle.itemId, responses: [battle.left] };
  const others = (byItem.get(battle.itemId) ?? []).filter((r) => r.subjectId !== battle.left.subjectId && r.subjectId !== battle.right.subjectId);
  const extra = shuffled(others).slice(0, RANKING_SIZE - 2);
  return { itemId: battle.itemId, responses: shuffled([battle.left, battle.right, ...extra]) };
}

function shuffled<T>(list: readonly T[]): T[] {
  return fisherYates([...list], (n) => randomInt(0, n));
}

/** The judgment a participant submits for a token; ranking orders and rating targets use position keys. */
export type SubmittedJudgment =
  | { kind: "pairwise"; outcome: "a" | "b" | "tie" | "both_bad" }
  | { kind: "rating"; scores: Record<string, number> }
  | { kind: "ranking"; order: string[][] }
  | { kind: "abstention"; reason: string }
  | { kind: "contest"; target: "item" | "criteria" | "framing"; reason: string };

const ACCEPTED_KINDS: Readonly<Record<AssignmentMode, readonly JudgmentBody["kind"][]>> = {
  pairwise: ["pairwise", "abstention", "contest"],
  rating: ["rating", "abstention", "contest"],
  ranking: ["ranking", "abstention", "contest"],
};

export async function castJudgment(s: Services, actor: Actor, idOrSlug: string, token: string, submitted: SubmittedJudgment, rationale?: string) {
  return inTransaction(s.pool, async (db) => {
    const evaluation = await requireEvaluation(db, idOrSlug);
    const { participant, consent } = await requireContributor(db, evaluation, actor);
    const assignment = await lockAssignment(db, token);
    if (!assignment || assignment.evaluation_id !== evaluation.id || assignment.participant_id !== participant.id) {
      throw new AppError("not_found", "no such assignment for you in this evaluation", "token");
    }
    if (assignment.judged_at) throw new AppError("already_judged", "this assignment has been judged already", "token");
    assertJudgingPhase(evaluation);
    if (!ACCEPTED_KINDS[assignment.mode].includes(submitted.kind)) {
      throw new AppError("validation_failed", `a ${assignment.mode} assignment takes ${ACCEPTED_KINDS[assignment.mode].join(", ")}`, "kind");
    }
    const charter = await requireCharter(db, evaluation.id);
    const item = await findItem(db, evaluation.id, assignment.item_id);
    const body = toBody(submitted, assignment.response_ids, charter.content, useCaseOf(item));
    assertTextWithin("rationale", rationale, charter.content.textLimits.rationale);
    const responses = await responsesByIds(db, evaluation.id, assignment.response_ids);
    const timeOnTaskMs = await closeAssignment(db, token);
    const judgment = await insertJudgment(db, {
      evaluationId: evaluation.id,
      participantId: participant.id,
      itemId: assignment.item_id,
      assignmentToken: token,
      body,
      subjectA: body.kind === "pairwise" ? responses[0]?.subject_id ?? null : null,
      subjectB: body.kind === "pairwise" ? responses[1]?.subject_id ?? null : null,
      responseIds: assignment.response_ids,
      rationale: rationale ?? null,
      phase: evaluation.phase,
      charterVersion: consent.charter_version,
      consentScopes: consent.scopes,
      timeOnTaskMs,
      // As Arena does: a response that named its subject broke anonymity, so the vote is kept but not counted.
      excludedReason: responses.some((r) => (r.identity_leak?.length ?? 0) > 0) ? "identity_leak" : null,
    });
    return { judgment: publicJudgment(judgment), revealed: await reveal(db, responses) };
  });
}

function toBody(submitted: SubmittedJudgment, responseIds: readonly string[], charter: Charter, useCase: string | null = null): JudgmentBody {
  const limit = charter.textLimits.reason;
  switch (submitted.kind) {
    case "pairwise":
      return submitted;
    case "abstention":
    case "contest":
      assertTextWithin("reason", submitted.reason, limit);
      return submitted;
    case "rating":
      return { kind: "rating", scores: checkScores(submitted.scores, applicableRubric(charter.rubric, useCase)) };
    case "ranking":
      return { kind: "ranking", order: checkRanking(submitted.order, responseIds) };
  }
}

function checkScores(scores: Record<string, number>, rubric: readonly RubricDimension[]): Record<string, number> {
  const entries = Object.entries(scores);
  if (entries.length === 0) throw new AppError("validation_failed", "rate at least one rubric dimension", "scores");
  for (const [name, value] of entries) {
    const dimension = rubric.find((d) => d.name === name);
    if (!dimension) throw new AppError("validation_failed", `the charter's rubric has no dimension ${name} for this item`, `scores.${name}`);
    if (!Number.isInteger(value) || value < dimension.min || value > dimension.max) {
      throw new AppError("validation_failed", `${name} takes a whole number from ${dimension.min} to ${dimension.max}`, `scores.${name}`);
    }
  }
  return scores;
}

function checkRanking(order: string[][], responseIds: readonly string[]): string[][] {
  const keys = responseIds.map((_, i) => POSITION_KEYS[i] ?? String(i));
  const flat = order.flat();
  const complete = flat.length === keys.length && new Set(flat).size === flat.length && flat.every((k) => keys.includes(k));
  if (!complete || order.some((group) => group.length === 0)) {
    throw new AppError("validation_failed", `rank each of ${keys.join(", ")} exactly once (ties share a group)`, "order");
  }
  return order.map((group) => group.map((key) => responseIds[keys.indexOf(key)] as string));
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
    const evaluation = await requireEvaluation(db, idOrSlug);
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
    const evaluation = await requireEvaluation(db, idOrSlug);
    const { participant, consent } = await requireContributor(db, evaluation, actor);
    assertJudgingPhase(evaluation);
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
    });
    return publicJudgment(judgment);
  });
}

