import { AppError } from "./errors.ts";

export const EVALUATION_STATUSES = ["draft", "open", "closed", "published"] as const;
export type EvaluationStatus = (typeof EVALUATION_STATUSES)[number];
export const PHASES = ["judge", "deliberate", "revise"] as const;
export type Phase = (typeof PHASES)[number];
export const SUBJECT_KINDS = ["model", "product", "application", "use_case"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export const ROLES = ["organiser", "observer", "participant"] as const;
export type Role = (typeof ROLES)[number];

/** The roles that run or audit an evaluation: they see its record in full (progress, audit log, figures below k that are theirs to account for). */
export const OVERSEERS: readonly Role[] = ["organiser", "observer"];

export function oversees(role: Role | null | undefined): boolean {
  return role !== null && role !== undefined && OVERSEERS.includes(role);
}

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

/** New judgments: while open, in the judge and revise phases; judging pauses while the evaluation deliberates. */
export function assertJudgingPhase(status: EvaluationStatus, phase: Phase): void {
  assertAcceptsJudgments(status);
  if (phase === "deliberate") throw new AppError("wrong_phase", "judging is paused while the evaluation deliberates", "phase");
}

/**
 * Votes count as cast before the reveal (as Arena counts them). Changing one is a separate, later act, made
 * after deliberation: only in the revise phase, where results show it on its own board.
 */
export function assertRevisionPhase(phase: Phase): void {
  if (phase !== "revise") throw new AppError("wrong_phase", `judgments can be revised only in the revise phase, not the ${phase} phase`, "phase");
}

/** What an evaluation holds that a participant could judge. */
export interface JudgeableFacts {
  /** accepted items with responses from at least two subjects (a pair to compare) */
  readonly itemsAnsweredTwice: number;
  /** subjects that answer live (an endpoint), so answers are drawn when a participant asks */
  readonly liveSubjects: number;
}

/**
 * Rule `something_to_judge`: an evaluation opens only when its first participant would find something to
 * judge: an item answered by two subjects, or two subjects that answer live. Otherwise the first participant
 * reads "nothing left to judge", and the organiser never learns why.
 */
export function assertSomethingToJudge(facts: JudgeableFacts): void {
  if (facts.itemsAnsweredTwice >= 1 || facts.liveSubjects >= 2) return;
  throw new AppError(
    "nothing_to_judge",
    "there is nothing to judge yet: add an item and the answers of at least two subjects to it (or connect two subjects live) before opening",
    "status",
    "something_to_judge",
  );
}

export function assertTextWithin(field: string, text: string | undefined | null, limit: number): void {
  if (text != null && text.length > limit) {
    throw new AppError("text_too_long", `${field} has ${text.length} characters; the charter allows ${limit}`, field);
  }
}
