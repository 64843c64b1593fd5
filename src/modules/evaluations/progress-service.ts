import { pairCoverage, progressCounts } from "./progress-queries.ts";
import { type Services } from "../../platform/context.ts";
import { requireEvaluation, requireRole, type Actor } from "../../platform/guards.ts";

/** What an organiser (or observer) watches while an evaluation runs. */
export async function evaluationProgress(s: Services, actor: Actor, idOrSlug: string) {
  const evaluation = await requireEvaluation(s.pool, idOrSlug);
  await requireRole(s.pool, evaluation.id, actor, ["organiser", "observer"]);
  const counts = await progressCounts(s.pool, evaluation.id);
  const coverage = await pairCoverage(s.pool, evaluation.id);
  const possiblePairs = (counts.subjects * (counts.subjects - 1)) / 2;
  return {
    evaluation: { id: evaluation.id, slug: evaluation.slug, status: evaluation.status, phase: evaluation.phase },
    counts,
    pairCoverage: {
      possiblePairs,
      comparedPairs: coverage.length,
      share: possiblePairs > 0 ? coverage.length / possiblePairs : 0,
      fewestComparisons: coverage.length < possiblePairs ? 0 : coverage[0] ?? 0,
      medianComparisons: coverage.length ? coverage[Math.floor(coverage.length / 2)] ?? 0 : 0,
      mostComparisons: coverage.at(-1) ?? 0,
    },
  };
}
