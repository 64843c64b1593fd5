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
  const state = eloState(subjectCount, parameters);
  const count = sequence.a.length;
  for (let start = 0; start < count; start += RESYNC_STEPS) {
    resync(state);
    const end = Math.min(start + RESYNC_STEPS, count);
    for (let step = start; step < end; step++) {
      const k = order ? (order[step] ?? 0) : step;
      play(state.ratings, state.powers, state.rate, parameters.k, sequence.a[k] ?? 0, sequence.b[k] ?? 0, sequence.scoreA[k] ?? 0);
    }
  }
  return state.ratings;
}

/** Steps between exact recomputations of the powers 10^(R/scale) (100 exponentials, against drift). */
const RESYNC_STEPS = 4096;
/** Below this |ln-change| of a power, its 7th-degree Taylor factor is exact to ~2e-18 (K = 4 moves it by ≤ 0.023). */
const SMALL_STEP = 0.025;

/**
 * The ratings and, per subject, its power P = base^((R − c) / scale), c the top rating at the last resync, so that
 * the expected score of a over b, 1 / (1 + base^((R_b − R_a) / scale)), is P_a / (P_a + P_b): a division a step
 * instead of an exponential.
 * A step moves R by at most K, so P is updated by the factor exp(ΔR · ln(base) / scale) through its Taylor
 * polynomial (exact to rounding at K = 4; Math.exp for larger steps), and recomputed exactly every
 * RESYNC_STEPS steps. Ratings are computed as before (R_a + K·(s − E)); they differ from FastChat's power form
 * in the last bits (by ~1e-12 over a million judgments).
 */
interface EloState {
  readonly ratings: Float64Array;
  readonly powers: Float64Array;
  /** ln(base) / scale */
  readonly rate: number;
}

function eloState(subjectCount: number, parameters: EloParameters): EloState {
  return { ratings: new Float64Array(subjectCount).fill(parameters.initial), powers: new Float64Array(subjectCount), rate: Math.log(parameters.base) / parameters.scale };
}

/** Powers from the ratings, relative to the highest (so none overflows: at worst a far-behind subject's is 0). */
function resync(state: EloState): void {
  let top = -Infinity;
  for (const rating of state.ratings) top = Math.max(top, rating);
  for (let i = 0; i < state.ratings.length; i++) state.powers[i] = Math.exp(((state.ratings[i] as number) - top) * state.rate);
}

/** One judgment's update, on the ratings and their powers (arrays passed in, so that the replay loops keep them in locals). */
function play(ratings: Float64Array, powers: Float64Array, rate: number, k: number, a: number, b: number, scoreA: number): void {
  const ra = ratings[a] as number;
  const rb = ratings[b] as number;
  const pa = powers[a] as number;
  const pb = powers[b] as number;
  const expectedA = pa / (pa + pb);
  const na = ra + k * (scoreA - expectedA);
  const nb = rb + k * (1 - scoreA - (1 - expectedA));
  ratings[a] = na;
  ratings[b] = nb;
  powers[a] = pa * growth((na - ra) * rate);
  powers[b] = pb * growth((nb - rb) * rate);
}

/** exp(x): a Taylor polynomial for the small steps Elo takes, else Math.exp. */
function growth(x: number): number {
  if (!(Math.abs(x) < SMALL_STEP)) return Math.exp(x);
  return 1 + x * (1 + x * (1 / 2 + x * (1 / 6 + x * (1 / 24 + x * (1 / 120 + x * (1 / 720 + x / 5040))))));
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
export function packSequence(sequence: ComparisonSequence): Int32Array | null {
  const count = sequence.a.length;
  const packed = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    const a = sequence.a[k] ?? -1;
    const b = sequence.b[k] ?? -1;
    const score = sequence.scoreA[k];
    const code = score === 1 ? 0 : score === 0 ? 1 : score === 0.5 ? 2 : -1;
    if (code < 0 || a < 0 || b < 0 || a >= PACKED_INDEX_LIMIT || b >= PACKED_INDEX_LIMIT) return null;
    packed[k] = (a << 16) | (b << 2) | code;
  }
  return packed;
}

/** onlineElo over packed judgments in their stored order: the same arithmetic, step for step. */
export function packedElo(subjectCount: number, packed: Int32Array, parameters: EloParameters = ELO_DEFAULTS): Float64Array {
  const state = eloState(subjectCount, parameters);
  const { ratings, powers, rate } = state;
  const k = parameters.k;
  for (let start = 0; start < packed.length; start += RESYNC_STEPS) {
    resync(state);
    const end = Math.min(start + RESYNC_STEPS, packed.length);
    for (let step = start; step < end; step++) {
      const word = packed[step] as number;
      play(ratings, powers, rate, k, word >>> 16, (word >>> 2) & 0x3fff, SCORE_OF_CODE[word & 3] as number);
    }
  }
  return ratings;
}

/** PACKED_SCORES as a typed array (the fourth code never occurs in a packed word; 0.5 as before) */
const SCORE_OF_CODE = Float64Array.of(1, 0, 0.5, 0.5);

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
