/** Shared pieces of every rule's result: unjudged subjects, components, ordering. */
import { checkedPairs, comparisonComponents, judgedSubjects } from "./pairs.ts";
import type { CheckedPairs } from "./pairs.ts";
import { ranksFromScores } from "./quantile.ts";
import type { ResultsInput, RuleResult, SubjectResult } from "./types.ts";

export interface RuleContext extends CheckedPairs {
  readonly input: ResultsInput;
  readonly judged: readonly boolean[];
  readonly components: readonly (readonly string[])[];
  readonly warnings: readonly string[];
}

export function ruleContext(input: ResultsInput): RuleContext {
  const checked = checkedPairs(input);
  const judged = judgedSubjects(input.subjects.length, checked.rows);
  const components = comparisonComponents(input.subjects.length, checked.rows).map((c) => c.map((i) => input.subjects[i] ?? ""));
  const warnings: string[] = [];
  const unjudged = input.subjects.filter((_, i) => !judged[i]);
  if (unjudged.length > 0) warnings.push(`left out, no judgments: ${unjudged.join(", ")}`);
  if (components.length > 1) {
    warnings.push(`the comparison graph is disconnected (${components.length} components); scores in different components are not comparable`);
  }
  return { ...checked, input, judged, components, warnings };
}

/** Results for judged subjects from plain scores (no bounds), ranked by score, best first. */
export function scoredSubjects(context: RuleContext, scores: ArrayLike<number | null>, bounds?: { lower: ArrayLike<number>; upper: ArrayLike<number> }): SubjectResult[] {
  const kept = context.input.subjects.flatMap((name, i) => {
    const score = scores[i];
    return context.judged[i] && score !== null && score !== undefined ? [{ name, i, score }] : [];
  });
  const ranks = ranksFromScores(kept.map((entry) => entry.score));
  return kept
    .map(({ name, i, score }, k) => ({
      name,
      score,
      lower: bounds ? (bounds.lower[i] ?? null) : null,
      upper: bounds ? (bounds.upper[i] ?? null) : null,
      rank: ranks[k] ?? 1,
    }))
    .sort((x, y) => x.rank - y.rank || (x.name < y.name ? -1 : 1));
}

export function baseResult(context: RuleContext): Pick<RuleResult, "used" | "excluded" | "components" | "warnings"> {
  return { used: context.judgments, excluded: context.excluded, components: context.components, warnings: context.warnings };
}
