/** Online Elo in judgment order, and how much the order matters (seeded random permutations). */
import { createRng, shuffleInPlace } from "../rng.ts";
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
  const packed = order ? packedSequence(subjectCount, sequence) : null;
  if (order && packed) return onlinePackedElo(subjectCount, packed, parameters, order);
  const ratings = new Float64Array(subjectCount).fill(parameters.initial);
  const count = sequence.a.length;
  for (let step = 0; step < count; step++) {
    const k = order ? (order[step] ?? 0) : step;
    const a = sequence.a[k] ?? 0;
    const b = sequence.b[k] ?? 0;
    const ra = ratings[a] ?? 0;
    const rb = ratings[b] ?? 0;
    const expectedA = 1 / (1 + Math.pow(parameters.base, (rb - ra) / parameters.scale));
    const scoreA = sequence.scoreA[k] ?? 0;
    ratings[a] = ra + parameters.k * (scoreA - expectedA);
    ratings[b] = rb + parameters.k * (1 - scoreA - (1 - expectedA));
  }
  return ratings;
}

const PACKED_SCORES = [1, 0, 0.5];
const PACKED_SUBJECTS = 1 << 15;
const packedCache = new WeakMap<ComparisonSequence, Uint32Array | null>();

/**
 * The sequence as one 32-bit word a comparison (a·2¹⁷ + b·4 + score code), so that replaying it in a random
 * order reads one small array (it and the order fit in cache for Arena's 1.67 M battles) instead of three
 * large ones; null when the subjects or scores do not fit the code. Replayed with 10^(x/400) as
 * e^(x·ln10/400), which differs from Math.pow in the last bits (< 1e-12 rating points after 1.67 M
 * judgments) at a third of the cost.
 */
function packedSequence(subjectCount: number, sequence: ComparisonSequence): Uint32Array | null {
  const known = packedCache.get(sequence);
  if (known !== undefined) return known;
  let packed: Uint32Array | null = subjectCount <= PACKED_SUBJECTS ? new Uint32Array(sequence.a.length) : null;
  for (let k = 0; packed && k < sequence.a.length; k++) {
    const code = PACKED_SCORES.indexOf(sequence.scoreA[k] ?? -1);
    if (code < 0) packed = null;
    else packed[k] = (((sequence.a[k] ?? 0) << 17) | ((sequence.b[k] ?? 0) << 2) | code) >>> 0;
  }
  packedCache.set(sequence, packed);
  return packed;
}

function onlinePackedElo(subjectCount: number, packed: Uint32Array, parameters: EloParameters, order: Uint32Array): Float64Array {
  const ratings = new Float64Array(subjectCount).fill(parameters.initial);
  const { k: factor } = parameters;
  const rate = Math.log(parameters.base) / parameters.scale;
  for (let step = 0; step < packed.length; step++) {
    const word = packed[order[step] as number] as number;
    const a = word >>> 17;
    const b = (word >>> 2) & 0x7fff;
    const ra = ratings[a] as number;
    const rb = ratings[b] as number;
    const expectedA = 1 / (1 + Math.exp((rb - ra) * rate));
    const scoreA = PACKED_SCORES[word & 3] as number;
    ratings[a] = ra + factor * (scoreA - expectedA);
    ratings[b] = rb + factor * (1 - scoreA - (1 - expectedA));
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
  sequence: ComparisonSequence,
  options: {
    readonly permutations: number;
    readonly seed: number;
    readonly parameters?: EloParameters;
    /** applied to each run's ratings, e.g. an anchor shift */
    readonly adjust?: (ratings: Float64Array) => Float64Array;
  },
): OrderSpread {
  const rng = createRng(options.seed);
  const order = new Uint32Array(sequence.a.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const runs: Float64Array[] = [];
  for (let p = 0; p < options.permutations; p++) {
    shuffleInPlace(rng, order);
    const ratings = onlineElo(subjectCount, sequence, options.parameters ?? ELO_DEFAULTS, order);
    runs.push(options.adjust ? options.adjust(ratings) : ratings);
  }
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
