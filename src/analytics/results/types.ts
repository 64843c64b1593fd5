/** Input and output shapes of the results kernels, and their one error class. */
import { AppError } from "../../core/errors.ts";
import type { PairwiseOutcome } from "../../core/judgment.ts";

/** One unordered pair of subjects with its collapsed outcome counts (a, b index `subjects`). */
export interface PairRow {
  readonly a: number;
  readonly b: number;
  readonly winsA: number;
  readonly winsB: number;
  readonly ties: number;
  readonly bothBad: number;
}

export interface PairCounts {
  readonly subjects: readonly string[];
  readonly rows: readonly PairRow[];
}

/** One individual pairwise judgment, in the order it was made. */
export interface Comparison {
  readonly a: number;
  readonly b: number;
  readonly outcome: PairwiseOutcome;
  readonly participant?: string;
}

/** A ranking judgment over subject indices: best first, each inner array a tie group. */
export interface RankingBallot {
  readonly groups: readonly (readonly number[])[];
  readonly participant?: string;
}

export interface ResultsInput {
  readonly subjects: readonly string[];
  /** collapsed pair counts; derived from `comparisons` or `rankings` when empty */
  readonly pairs: readonly PairRow[];
  /** individual comparisons in judgment order (Elo needs an order) */
  readonly comparisons?: readonly Comparison[];
  /**
   * the same ordered comparisons as parallel typed arrays (a's score: 1 win, 0 loss, 0.5 tie or both_bad),
   * as read compactly from the database; Elo uses it instead of `comparisons` when given
   */
  readonly sequence?: { readonly a: Int32Array; readonly b: Int32Array; readonly scoreA: Float64Array };
  readonly rankings?: readonly RankingBallot[];
}

export const RULE_NAMES = ["bt", "elo", "borda", "ranked-pairs", "win-rate", "counting"] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** How Bradley–Terry gets its 95 % intervals: bootstrap percentiles, or closed-form sandwich standard errors. */
export const BT_INTERVAL_METHODS = ["bootstrap", "sandwich"] as const;
export type BtIntervalMethod = (typeof BT_INTERVAL_METHODS)[number];

export type ParameterValue = string | number | boolean | null;

export interface Exclusion {
  readonly reason: string;
  readonly count: number;
}

export interface SubjectResult {
  readonly name: string;
  readonly score: number;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly rank: number;
}

export interface RuleResult {
  readonly rule: RuleName;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly assumption: string;
  /** judgments the rule used (pairwise comparisons, or ranking ballots for ranking rules) */
  readonly used: number;
  readonly excluded: readonly Exclusion[];
  /** groups of subjects the rule could compare with each other */
  readonly components: readonly (readonly string[])[];
  readonly warnings: readonly string[];
  /** best first */
  readonly subjects: readonly SubjectResult[];
}

export const RESULTS_ERROR_CODES = [
  "unknown_anchor",
  "no_judgments",
  "single_subject",
  "invalid_input",
  "unknown_rule",
] as const;
export type ResultsErrorCode = (typeof RESULTS_ERROR_CODES)[number];

/** The only error the results kernels throw; `code` is stable, `message` is for people. */
export class ResultsError extends AppError<ResultsErrorCode> {}
