/** Sensitivity: how much the order depends on the rule, and how groups diverge from the overall order. */
import { ASSUMPTIONS } from "./simple-rules.ts";
import { BT_ASSUMPTION } from "./bt-rule.ts";
import { ELO_ASSUMPTION } from "./elo-rule.ts";
import type { RuleName, RuleResult } from "./types.ts";

/** The assumption each rule makes, in plain language. */
export const RULE_ASSUMPTIONS: Readonly<Record<RuleName | "mean-rating", string>> = {
  bt: BT_ASSUMPTION,
  elo: ELO_ASSUMPTION,
  borda: ASSUMPTIONS.borda,
  "ranked-pairs": ASSUMPTIONS.rankedPairs,
  "win-rate": ASSUMPTIONS.winRate,
  counting: ASSUMPTIONS.counting,
  "mean-rating": "People's rating scales are comparable: one person's 4 means what another's 4 means, and steps are equal.",
};

export interface FlippedPair {
  /** above in the first order, below in the second */
  readonly first: string;
  readonly second: string;
}

export interface OrderComparison {
  /** Kendall's τ-b over the subjects both orders share; null when it is undefined (fewer than 2, or no variation) */
  readonly tau: number | null;
  readonly shared: number;
  readonly flipped: readonly FlippedPair[];
}

/** Kendall's τ-b between two score maps over their shared subjects, and the pairs strictly ordered both ways. */
export function compareOrders(first: ReadonlyMap<string, number>, second: ReadonlyMap<string, number>): OrderComparison {
  const names = [...first.keys()].filter((name) => second.has(name)).sort();
  let concordant = 0;
  let discordant = 0;
  let tiedFirst = 0;
  let tiedSecond = 0;
  const flipped: FlippedPair[] = [];
  names.forEach((x, i) => {
    for (const y of names.slice(i + 1)) {
      const d1 = Math.sign((first.get(x) ?? 0) - (first.get(y) ?? 0));
      const d2 = Math.sign((second.get(x) ?? 0) - (second.get(y) ?? 0));
      if (d1 === 0) tiedFirst++;
      if (d2 === 0) tiedSecond++;
      if (d1 === 0 || d2 === 0) continue;
      if (d1 === d2) concordant++;
      else {
        discordant++;
        flipped.push(d1 > 0 ? { first: x, second: y } : { first: y, second: x });
      }
    }
  });
  const pairs = (names.length * (names.length - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedFirst) * (pairs - tiedSecond));
  return { tau: denominator > 0 ? (concordant - discordant) / denominator : null, shared: names.length, flipped };
}

function scoresOf(result: RuleResult): Map<string, number> {
  return new Map(result.subjects.map((subject) => [subject.name, subject.score]));
}

export interface RulePairSensitivity extends OrderComparison {
  readonly rules: readonly [RuleName, RuleName];
}

/** Kendall's τ-b and flipped pairs between every two rules' orders. */
export function ruleSensitivity(results: readonly RuleResult[]): RulePairSensitivity[] {
  return results.flatMap((x, i) => results.slice(i + 1).map((y) => ({ rules: [x.rule, y.rule] as const, ...compareOrders(scoresOf(x), scoresOf(y)) })));
}

export interface GroupDivergence extends OrderComparison {
  readonly group: string;
}

/** Each group's order against the overall order under the same rule. */
export function groupDivergence(overall: RuleResult, groups: readonly { readonly group: string; readonly result: RuleResult }[]): GroupDivergence[] {
  const reference = scoresOf(overall);
  return groups.map(({ group, result }) => ({ group, ...compareOrders(scoresOf(result), reference) }));
}
