/** The shape of GET /api/evaluations/:id/results (see src/services/results.ts). */
export interface SubjectResult {
  name: string;
  score: number;
  lower: number | null;
  upper: number | null;
  rank: number;
}

export interface RuleResult {
  rule: string;
  parameters: Record<string, string | number | boolean | null>;
  assumption: string;
  used: number;
  excluded: { reason: string; count: number }[];
  components: string[][];
  warnings: string[];
  subjects: SubjectResult[];
}

export interface OrderComparison {
  tau: number | null;
  shared: number;
  /** the first flipped pairs (the server lists at most 25) */
  flipped: { first: string; second: string }[];
  /** how many pairs flip in all */
  flippedCount: number;
}

/** Why a figure is missing: never a count, only the threshold it did not reach. */
export interface Suppressed {
  reason: string;
  k: number;
}

/** A null figure is hidden (fewer than k people behind it, or hidden so that it cannot be recovered). */
export interface ShareRow {
  key: string;
  judgments: number | null;
  tie: number | null;
  both_bad: number | null;
  abstention: number | null;
  contest: number | null;
  suppressed?: Suppressed;
}

export interface Results {
  evaluation: { id: string; slug: string; title: string; status: string };
  consent: string;
  warnings: string[];
  kAnonymity: number;
  rules: RuleResult[];
  suppressedRules: { rule: string; suppressed: Suppressed }[];
  sensitivity: (OrderComparison & { rules: [string, string] })[];
  ratings: { subject: string; dimension: string; count: number; mean: number; median: number; lower: number | null; upper: number | null }[];
  agreement: { measure: string; units: number; alpha: number | null };
  dissent: { abstentions: number | null; contests: number | null; byItem: ShareRow[]; bySubject: ShareRow[]; suppressed?: Suppressed };
  excluded: { kind: string; reason: string; n: number | null; suppressed?: Suppressed }[];
  groups: {
    k: number;
    suppressedGroups: number;
    groups: { community: string; participants: number; rules: RuleResult[]; warnings: string[] }[];
    divergence: (OrderComparison & { group: string })[];
  } | null;
}
