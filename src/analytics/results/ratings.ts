/** Ratings per subject and rubric dimension: mean, median and a bootstrap interval of the mean. */
import { createRng, randomInt } from "../rng.ts";
import type { Rng } from "../rng.ts";
import { mean, median, quantileSorted } from "./quantile.ts";
import { ResultsError } from "./types.ts";

export interface RatingRecord {
  readonly subject: string;
  readonly dimension: string;
  readonly score: number;
}

export interface RatingSummary {
  readonly subject: string;
  readonly dimension: string;
  readonly count: number;
  readonly mean: number;
  readonly median: number;
  /** 2.5/97.5 percentiles of the bootstrap mean; null with a single rating */
  readonly lower: number | null;
  readonly upper: number | null;
}

export function summariseRatings(records: readonly RatingRecord[], options: { readonly rounds: number; readonly seed: number }): RatingSummary[] {
  if (records.length === 0) throw new ResultsError("no_judgments", "there are no ratings to summarise");
  const cells = new Map<string, { subject: string; dimension: string; scores: number[] }>();
  for (const { subject, dimension, score } of records) {
    if (!Number.isFinite(score)) throw new ResultsError("invalid_input", `rating scores must be finite; got ${score}`);
    const key = JSON.stringify([subject, dimension]);
    const cell = cells.get(key) ?? { subject, dimension, scores: [] };
    cell.scores.push(score);
    cells.set(key, cell);
  }
  const rng = createRng(options.seed);
  return [...cells.values()]
    .sort((x, y) => (x.subject === y.subject ? compare(x.dimension, y.dimension) : compare(x.subject, y.subject)))
    .map(({ subject, dimension, scores }) => {
      const interval = scores.length > 1 ? bootstrapMeanInterval(rng, scores, options.rounds) : null;
      return { subject, dimension, count: scores.length, mean: mean(scores), median: median(scores), lower: interval?.[0] ?? null, upper: interval?.[1] ?? null };
    });
}

function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function bootstrapMeanInterval(rng: Rng, scores: readonly number[], rounds: number): [number, number] | null {
  if (rounds < 1) return null;
  const means = new Float64Array(rounds);
  for (let round = 0; round < rounds; round++) {
    let sum = 0;
    for (let k = 0; k < scores.length; k++) sum += scores[randomInt(rng, scores.length)] ?? 0;
    means[round] = sum / scores.length;
  }
  means.sort();
  return [quantileSorted(means, 0.025), quantileSorted(means, 0.975)];
}
