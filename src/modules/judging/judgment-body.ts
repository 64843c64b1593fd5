/** What a participant submits as a judgment, checked against the task and the charter and turned into the stored body. */
import { applicableRubric, type Charter, type RubricDimension } from "../../core/charter.ts";
import { AppError } from "../../core/errors.ts";
import { assertTextWithin } from "../../core/evaluation.ts";
import type { JudgmentBody } from "../../core/judgment.ts";
import { POSITION_KEYS } from "./presenter.ts";

/** The judgment a participant submits for a token; ranking orders and rating targets use position keys. */
export type SubmittedJudgment =
  | { kind: "pairwise"; outcome: "a" | "b" | "tie" | "both_bad" }
  | { kind: "rating"; scores: Record<string, number> }
  | { kind: "ranking"; order: string[][] }
  | { kind: "abstention"; reason: string }
  | { kind: "contest"; target: "item" | "criteria" | "framing"; reason: string };

export function toBody(submitted: SubmittedJudgment, responseIds: readonly string[], charter: Charter, useCase: string | null = null): JudgmentBody {
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
