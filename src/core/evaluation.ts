import { AppError } from "./errors.ts";

export const EVALUATION_STATUSES = ["draft", "open", "closed", "published"] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];
export const PHASES = ["judge", "deliberate", "revise"] as const;
export type Phase = (typeof PHASES)[number];
export const SUBJECT_KINDS = ["model", "product", "application", "use_case"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const ROLES = ["organiser", "observer", "participant"] as const;
export type Role = (typeof ROLES)[number];

const TRANSITIONS: Readonly<Record<EvaluationStatus, readonly EvaluationStatus[]>> = {
  draft: ["open"],
  open: ["closed"],
  closed: ["open", "published"],
  published: [],
};

export function assertTransition(from: EvaluationStatus, to: EvaluationStatus): void {
  if (!TRANSITIONS[from].includes(to)) {
    throw new AppError("invalid_transition", `an evaluation cannot go from ${from} to ${to}`, "status");
  }
}

/** Contributions are accepted only while the evaluation is open (the phase rules are separate: judging pauses while deliberating, revisions only in the revise phase). */
export function assertAcceptsJudgments(status: EvaluationStatus): void {
  if (status !== "open") throw new AppError("evaluation_not_open", `the evaluation is ${status}, not open`, "evaluation");
}

/**
 * Votes count as cast before the reveal (as Arena counts them). Changing one is a separate, later act, made
 * after deliberation: only in the revise phase, where results show it on its own board.
 */
export function assertRevisionPhase(phase: Phase): void {
  if (phase !== "revise") throw new AppError("wrong_phase", `judgments can be revised only in the revise phase, not the ${phase} phase`, "phase");
}

export function assertTextWithin(field: string, text: string | undefined | null, limit: number): void {
  if (text != null && text.length > limit) {
    throw new AppError("text_too_long", `${field} has ${text.length} characters; the charter allows ${limit}`, field);
  }
}
