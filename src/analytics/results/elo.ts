/** Online Elo in judgment order, and how much the order matters (seeded random permutations). */
import { createRng, shuffleInPlace, shuffleInt32InPlace } from "../rng.ts";
import { quantileSorted } from "./quantile.ts";

export interface EloParameters {
  readonly k: number;
  readonly base: number;
  readonly scale: number;
  readonly initial: number;
}

export const ELO_DEFAULTS: EloParameters = { k: 4, base: 10, scale: 400, initial: 1000 };

/** Comparisons as parallel arrays: side a, side b, and a's score (1 win, 0 loss, 0.5 tie or both_bad). */
export interface ComparisonSequence {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly scoreA: Float64Array;
}

/** Elo ratings after playing the comparisons in `order` (default: as given). */
export function onlineElo(subjectCount: number, sequence: ComparisonSequence, parameters: EloParameters = ELO_DEFAULTS, order?: Uint32Array): Float64Array {
  const ratings = new Float64Array(subjectCount).fill(parameters.initial);
  const rate = expectationRate(parameters);
  const count = sequence.a.length;
  for (let step = 0; step < count; step++) {
    const k = order ? (order[step] ?? 0) : step;
    const a = sequence.a[k] ?? 0;
    const b = sequence.b[k] ?? 0;
    const ra = ratings[a] ?? 0;
    const rb = ratings[b] ?? 0;
    const expectedA = 1 / (1 + Math.exp((rb - ra) * rate));
    const scoreA = sequence.scoreA[k] ?? 0;
    ratings[a] = ra + parameters.k * (scoreA - expectedA);
    ratings[b] = rb + parameters.k * (1 - scoreA - (1 - expectedA));
  }
  return ratings;
}

/**
 * base^(d / scale) = exp(d · rate): the expected score through Math.exp, about three times faster than
 * Math.pow over the million-judgment replays; the two differ in the last bits (ratings by ~1e-13).
 */
function expectationRate(parameters: EloParameters): number {
  return Math.log(parameters.base) / parameters.scale;
}

const PACKED_SCORES = [1, 0, 0.5] as const;
const PACKED_INDEX_LIMIT = 1 << 14;

/** Judgments packed one per word (a · 2^16 + b · 4 + score code): 1 win for a, 0 loss, 0.5 tie. */
export interface PackedJudgments {
  readonly words: Int32Array;
}

/** The packed word of one judgment, or null when the score or an index does not fit. */
export function packJudgment(a: number, b: number, scoreA: number): number | null {
  const code = PACKED_SCORES.indexOf(scoreA as 1 | 0 | 0.5);
  if (code < 0 || a < 0 || b < 0 || a >= PACKED_INDEX_LIMIT || b >= PACKED_INDEX_LIMIT) return null;
  return (a << 16) | (b << 2) | code;
}

/** Each judgment in one word, or null when a score or index does not fit. */
function packSequence(sequence: ComparisonSequence): Int32Array | null {
  const count = sequence.a.length;
  const packed = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const word = packJudgment(sequence.a[k] ?? -1, sequence.b[k] ?? -1, sequence.scoreA[k] ?? -1);
    if (word === null) return null;
    packed[k] = word;
  }
  return packed;
}

/** onlineElo over packed judgments in their stored order: the same arithmetic, step for step. */
export function packedElo(subjectCount: number, packed: Int32Array, parameters: EloParameters = ELO_DEFAULTS): Float64Array {
  const ratings = new Float64Array(subjectCount).fill(parameters.initial);
  const rate = expectationRate(parameters);
  for (let k = 0; k < packed.length; k++) {
    const word = packed[k] ?? 0;
    const a = word >>> 16;
    const b = (word >>> 2) & 0x3fff;
    const ra = ratings[a] ?? 0;
    const rb = ratings[b] ?? 0;
    const expectedA = 1 / (1 + Math.exp((rb - ra) * rate));
    const scoreA = PACKED_SCORES[word & 3] ?? 0.5;
    ratings[a] = ra + parameters.k * (scoreA - expectedA);
    ratings[b] = rb + parameters.k * (1 - scoreA - (1 - expectedA));
  }
  return ratings;
}

export interface OrderSpread {
  /** per subject: standard deviation over the permutations */
  readonly sd: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** per subject: 2.5th and 97.5th percentile over the permutations */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Elo's order dependence: the spread of each rating over `permutations` seeded random orders. */
export function eloOrderSpread(
  subjectCount: number,
  judgments: ComparisonSequence | PackedJudgments,
  options: {
    readonly permutations: number;
    readonly seed: number;
    readonly parameters?: EloParameters;
    /** applied to each run's ratings, e.g. an anchor shift */
    readonly adjust?: (ratings: Float64Array) => Float64Array;
  },
): OrderSpread {
  const rng = createRng(options.seed);
  const parameters = options.parameters ?? ELO_DEFAULTS;
  const sequence = "words" in judgments ? null : judgments;
  // A copy: each order continues from the last by shuffling the packed judgments themselves, so each
  // replay reads memory in order instead of three random reads a step.
  const packed = sequence ? (options.permutations > 0 ? packSequence(sequence) : null) : (judgments as PackedJudgments).words.slice();
  const order = packed || !sequence ? null : Uint32Array.from({ length: sequence.a.length }, (_, i) => i);
  const runs: Float64Array[] = [];
  for (let p = 0; p < options.permutations; p++) {
    // The same permutations either way: each shuffle continues from the last, with the same draws.
    let ratings: Float64Array;
    if (packed) {
      shuffleInt32InPlace(rng, packed);
      ratings = packedElo(subjectCount, packed, parameters);
    } else {
      shuffleInPlace(rng, order as Uint32Array);
      ratings = onlineElo(subjectCount, sequence as ComparisonSequence, parameters, order as Uint32Array);
    }
    runs.push(options.adjust ? options.adjust(ratings) : ratings);
  }
  return summarizeRuns(subjectCount, runs);
}

function summarizeRuns(subjectCount: number, runs: readonly Float64Array[]): OrderSpread {
  const spread = { sd: new Float64Array(subjectCount), min: new Float64Array(subjectCount), max: new Float64Array(subjectCount), lower: new Float64Array(subjectCount), upper: new Float64Array(subjectCount) };
  for (let i = 0; i < subjectCount; i++) {
    const values = Float64Array.from(runs, (run) => run[i] ?? 0).sort();
    const average = values.reduce((sum, value) => sum + value, 0) / (values.length || 1);
    const variance = values.reduce((sum, value) => sum + (value - average) ** 2, 0) / Math.max(values.length - 1, 1);
    spread.sd[i] = Math.sqrt(variance);
    spread.min[i] = values[0] ?? 0;
    spread.max[i] = values[values.length - 1] ?? 0;
    spread.lower[i] = quantileSorted(values, 0.025);
    spread.upper[i] = quantileSorted(values, 0.975);
  }
  return spread;
}
