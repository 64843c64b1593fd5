/** Feeds the plain-words summary (analytics/results/summary.ts) from the results already gated by k. */
import { summariseResults, type ResultsSummary } from "../../analytics/results/summary.ts";
import type { ResultsInput, RuleResult } from "../../analytics/results/types.ts";

interface GatedResults {
  kAnonymity: number;
  rules: readonly RuleResult[];
  suppressedRules: readonly { rule: string }[];
  sensitivity: readonly { rules: readonly [string, string]; tau: number | null; flippedCount: number }[];
  excluded: readonly { reason: string; n: number | null }[];
  groups: null | { suppressedGroups: number; groups: readonly { community: string; rules: readonly RuleResult[] }[] };
}

export function summaryOf(results: GatedResults, input: ResultsInput, people: ReadonlyMap<string, number>): ResultsSummary {
  return summariseResults({
    k: results.kAnonymity,
    rules: results.rules,
    suppressedRules: results.suppressedRules,
    people: { pairwise: people.get("pairwise") ?? 0, ranking: people.get("ranking") ?? 0, rating: people.get("rating") ?? 0 },
    pairwiseJudgments: input.pairs.reduce((sum, row) => sum + row.winsA + row.winsB + row.ties + row.bothBad, 0),
    sensitivity: results.sensitivity,
    excluded: results.excluded,
    communities: results.groups,
  });
}
