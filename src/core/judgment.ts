/** Judgments are a tagged union; an outcome is never a bare number. */

export const PAIRWISE_OUTCOMES = ["a", "b", "tie", "both_bad"] as const;
export type PairwiseOutcome = (typeof PAIRWISE_OUTCOMES)[number];

export const CONTEST_TARGETS = ["item", "criteria", "framing"] as const;
export type ContestTarget = (typeof CONTEST_TARGETS)[number];

export const JUDGMENT_KINDS = ["pairwise", "rating", "ranking", "abstention", "contest"] as const;
export type JudgmentKind = (typeof JUDGMENT_KINDS)[number];

export interface PairwiseJudgment {
  readonly kind: "pairwise";
  readonly outcome: PairwiseOutcome;
}

export interface RatingJudgment {
  readonly kind: "rating";
  /** rubric dimension name → score on the charter's scale for that dimension */
  readonly scores: Readonly<Record<string, number>>;
}

export interface RankingJudgment {
  readonly kind: "ranking";
  /** best first; each inner array is a tie group of response ids */
  readonly order: readonly (readonly string[])[];
}

export interface AbstentionJudgment {
  readonly kind: "abstention";
  readonly reason: string;
}

export interface ContestJudgment {
  readonly kind: "contest";
  readonly target: ContestTarget;
  readonly reason: string;
}

export type JudgmentBody = PairwiseJudgment | RatingJudgment | RankingJudgment | AbstentionJudgment | ContestJudgment;

/** The share of a win that outcome gives to side A (ties and both_bad count half to each side, as Arena does). */
export function winShareOfA(outcome: PairwiseOutcome): number {
  switch (outcome) {
    case "a":
      return 1;
    case "b":
      return 0;
    case "tie":
    case "both_bad":
      return 0.5;
  }
}

/** Swaps sides, e.g. to store a pair in canonical (a < b) order. */
export function flipOutcome(outcome: PairwiseOutcome): PairwiseOutcome {
  return outcome === "a" ? "b" : outcome === "b" ? "a" : outcome;
}
