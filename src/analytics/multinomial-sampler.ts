/**
 * Repeated multinomial draws with fixed probabilities (the bootstrap's resampling of count cells), exact,
 * with all per-cell work done once rather than once per draw:
 *
 * 1. each cell k gets an independent Poisson(λ·p_k) draw S_k, with λ = N − √N a little below the total N.
 *    Since the means never change, each cell's Poisson is drawn by inversion of its cumulative distribution,
 *    tabulated once over mean ± 4.5 standard deviations as 32-bit integer thresholds with a guide table
 *    (Chen & Asau), so a draw is one uniform, one table read and about one integer comparison; the tails
 *    beyond the table are inverted term by term. Draws are made a batch of rounds at a time, cell by cell, so each cell's table
 *    is read from memory once per batch, and written out a group of cells at a time;
 * 2. given their sum s, independent Poissons are Multinomial(s, p) whatever λ is; so when s < N (λ below N
 *    makes that the usual case, about 84 %), N − s more categorical draws (Walker's alias table) make a
 *    Multinomial(N, p), and when s > N, removing s − N of the s items uniformly without replacement (a
 *    Fenwick tree over the counts) leaves a uniform N-subset of i.i.d. categorical draws, again Multinomial(N, p).
 *
 * Uniforms have 32 bits, as rng.ts's. Conditional binomials (rng.ts `multinomial`) give the same distribution
 * but need a fresh BTRD set-up (a square root and several divisions) for every cell of every draw.
 */
import type { Rng } from "./rng.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/**
 * λ = N − SLACK·√N: the Poissons' sum falls short of N by about 1.08·√N on average (that many categorical
 * draws) and exceeds it (the dearer fix-up, by 0.08·√N on average) in about 16 % of draws; with 2·√N, 2.0·√N
 * categorical draws and 2 % — the fix-up's draws, not the Poissons, were the largest cost.
 */
const SLACK = 1;
/** The tabulated range: mean ± this many standard deviations (plus a few counts). */
const TABLE_DEVIATIONS = 4.5;
/** Rounds drawn together (cell by cell), at most, and at most this many counts held at once. */
const BATCH_ROUNDS = 128;
const BATCH_COUNTS = 1 << 21;
/**
 * Cells drawn together, batch round by batch round, before being written to the (round by round) output: writing
 * each count at its round's row directly would touch a distant memory page with every draw.
 */
const GROUP_CELLS = 32;
/** Guide table entries per tabulated value, at least (rounded up to a power of two). */
const GUIDE_PER_VALUE = 1;

/** Per cell with a positive mean: its tabulated range lo..lo+length−1, where its tables start, and its tails. */
interface InversionTables {
  readonly cell: Int32Array;
  readonly mean: Float64Array;
  readonly lo: Int32Array;
  readonly length: Int32Array;
  readonly offset: Int32Array;
  /** P(X < lo) */
  readonly below: Float64Array;
  /** P(X ≤ lo + length − 1) */
  readonly upTo: Float64Array;
  /** P(X = lo) and P(X = lo + length − 1), where the tails' term-by-term inversion starts */
  readonly pmfLo: Float64Array;
  readonly pmfHi: Float64Array;
  /** the table serves 32-bit uniforms x with lowest ≤ x − 2³¹ ≤ highest: ⌈P(X < lo)·2³²⌉ − 2³¹ and min(⌈P(X ≤ hi)·2³²⌉, 2³² − 1) − 1 − 2³¹ */
  readonly lowest: Int32Array;
  readonly highest: Int32Array;
  /**
   * per cell, at offset + j: ⌈P(X ≤ lo + j)·2³²⌉ − 2³¹, as a signed 32-bit integer. A uniform u = x/2³² with
   * 32-bit x passes P(X ≤ k) ≤ u exactly when ⌈P(X ≤ k)·2³²⌉ ≤ x, so comparing x − 2³¹ with these inverts
   * exactly as comparing u with the doubles would, with integer compares and half the memory (clamped
   * to 2³² − 1, which is exact for every x the table serves, all below 2³² − 1)
   */
  readonly threshold: Int32Array;
  /** per cell: its guide table's size is 2^(32 − shift), a power of two at least twice its length */
  readonly shift: Int32Array;
  readonly guideOffset: Int32Array;
  /** per cell, at guideOffset + g: the least j whose threshold exceeds g·2^shift (the bucket's least uniform) */
  readonly guide: Int32Array;
}

export interface MultinomialSampler {
  /** One Multinomial(total, weights/Σweights) draw into `out` (same length as the weights). */
  draw(rng: Rng, out: Int32Array): Int32Array;
  /** How many rounds `drawBatch` draws at once. */
  readonly batchRounds: number;
  /** `rounds` (≤ batchRounds) independent draws into `out`, round after round (round b at b·cells); 32-bit counts, half the memory traffic of doubles. */
  drawBatch(rng: Rng, rounds: number, out: Int32Array): Int32Array;
}

export function multinomialSampler(total: number, weights: ArrayLike<number>): MultinomialSampler {
  const count = weights.length;
  let mass = 0;
  for (let k = 0; k < count; k++) mass += weights[k] ?? 0;
  const lambda = Math.max(0, total - SLACK * Math.sqrt(total));
  const means = Float64Array.from({ length: count }, (_, k) => (mass > 0 ? (lambda * (weights[k] ?? 0)) / mass : 0));
  const tables = inversionTables(means);
  const alias = aliasTable(weights, mass);
  const tree = new Float64Array(count + 1);
  const batchRounds = Math.max(1, Math.min(BATCH_ROUNDS, Math.floor(BATCH_COUNTS / Math.max(count, 1))));
  const sums = new Float64Array(batchRounds);
  const staged = new Int32Array(GROUP_CELLS * batchRounds);
  // one uniform stream for the sampler's whole life: seeding each batch afresh let batches' streams overlap
  let stream: number | null = null;
  const drawBatch = (rng: Rng, rounds: number, out: Int32Array): Int32Array => {
    if (rounds > batchRounds) throw new RangeError(`at most ${batchRounds} rounds a batch`);
    out.fill(0, 0, rounds * count);
    sums.fill(0);
    let state = stream ?? seedState(rng);
    const { cell, lo, offset, lowest, highest, threshold, shift, guideOffset, guide } = tables;
    for (let group = 0; group < cell.length; group += GROUP_CELLS) {
      const groupEnd = Math.min(cell.length, group + GROUP_CELLS);
      for (let c = group; c < groupEnd; c++) {
        const from = offset[c] as number;
        const first = lo[c] as number;
        const low = lowest[c] as number;
        const high = highest[c] as number;
        const bits = shift[c] as number;
        const guideFrom = guideOffset[c] as number;
        const stagedFrom = (c - group) * rounds;
        for (let round = 0; round < rounds; round++) {
          state = (state + GOLDEN) >>> 0;
          const x = mixBits(state);
          const biased = x ^ SIGN;
          let k: number;
          if (biased >= low && biased <= high) {
            let j = guide[guideFrom + (x >>> bits)] as number;
            while ((threshold[from + j] as number) <= biased) j++;
            k = first + j;
          } else k = tailInversion(tables, c, x >>> 0);
          staged[stagedFrom + round] = k;
        }
      }
      // the group's counts, round by round: each round's cells are neighbours in `out`
      for (let round = 0; round < rounds; round++) {
        const row = round * count;
        let sum = sums[round] as number;
        for (let c = group, at = round; c < groupEnd; c++, at += rounds) {
          const k = staged[at] as number;
          out[row + (cell[c] as number)] = k;
          sum += k;
        }
        sums[round] = sum;
      }
    }
    for (let round = 0; round < rounds; round++) {
      const sum = sums[round] as number;
      const drawn = out.subarray(round * count, (round + 1) * count);
      state = (state + GOLDEN) >>> 0;
      if (sum < total) state = addCategorical(alias, total - sum, drawn, state);
      else if (sum > total) state = removeUniformly(tree, sum - total, sum, drawn, state);
    }
    stream = state;
    return out;
  };
  return { batchRounds, drawBatch, draw: (rng, out) => drawBatch(rng, 1, out) };
}

/**
 * The sampler's uniforms: mulberry32 (as rng.ts) seeded by one draw of the caller's generator at its first
 * batch and carried on from batch to batch (one period of 2³² draws, of which a run of 5,000 rounds over 20,000
 * cells uses 2.5%), so the same caller state and the same calls always give the same counts. The state is a local of the draw
 * and `mix` a pure function, which the engine inlines into the loops.
 */
const GOLDEN = 0x6d2b79f5;

function seedState(rng: Rng): number {
  return Math.floor(rng.next() * 4294967296) >>> 0;
}

/** mulberry32's output for an (already advanced) state, in [0, 1). */
function mix(state: number): number {
  return (mixBits(state) >>> 0) / 4294967296;
}

/** mulberry32's 32 output bits for an (already advanced) state, as a signed 32-bit integer. */
function mixBits(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return t ^ (t >>> 14);
}

/** x ^ SIGN maps 32-bit unsigned order onto signed order (x − 2³¹). */
const SIGN = -2147483648;
const TWO_32 = 4294967296;

/**
 * Inversion for the 32-bit uniforms x the table does not serve: below or above it, term by term (u = x/2³² <
 * P(X < lo) or u ≥ P(X ≤ hi)), and x = 2³² − 1 inside it (the least j whose threshold, clamped, is 2³² − 1).
 */
function tailInversion(tables: InversionTables, c: number, x: number): number {
  const u = x / TWO_32;
  const mean = tables.mean[c] as number;
  const lo = tables.lo[c] as number;
  if (u < (tables.below[c] as number)) {
    // F(k − 1) = F(k) − P(k): step down from lo until F(k − 1) ≤ u
    let k = lo;
    let cumulative = tables.below[c] as number;
    let p = ((tables.pmfLo[c] as number) * lo) / mean;
    while (k > 0) {
      const previous = cumulative - p;
      if (previous <= u) return k - 1;
      cumulative = previous;
      k -= 1;
      p = (p * k) / mean;
    }
    return 0;
  }
  let k = lo + (tables.length[c] as number) - 1;
  let cumulative = tables.upTo[c] as number;
  if (cumulative > u) {
    let j = 0;
    while ((tables.threshold[(tables.offset[c] as number) + j] as number) < 2147483647) j++;
    return lo + j;
  }
  let p = tables.pmfHi[c] as number;
  for (let steps = 0; steps < 100_000 && p > 0; steps++) {
    k += 1;
    p = (p * mean) / k;
    cumulative += p;
    if (cumulative > u) return k;
  }
  return k;
}

function inversionTables(means: Float64Array): InversionTables {
  const cells: number[] = [];
  means.forEach((mean, k) => {
    if (mean > 0) cells.push(k);
  });
  const cell = Int32Array.from(cells);
  const mean = Float64Array.from(cells, (k) => means[k] as number);
  const lo = mean.map((m) => Math.max(0, Math.floor(m - TABLE_DEVIATIONS * Math.sqrt(m) - 2)));
  const hi = mean.map((m) => Math.ceil(m + TABLE_DEVIATIONS * Math.sqrt(m) + 3));
  const length = Int32Array.from(mean, (_, c) => (hi[c] as number) - (lo[c] as number) + 1);
  const offset = new Int32Array(cell.length);
  let size = 0;
  length.forEach((l, c) => {
    offset[c] = size;
    size += l;
  });
  const shift = Int32Array.from(length, (l) => 32 - Math.min(30, Math.ceil(Math.log2(GUIDE_PER_VALUE * l))));
  const guideOffset = new Int32Array(cell.length);
  let guideSize = 0;
  shift.forEach((bits, c) => {
    guideOffset[c] = guideSize;
    guideSize += 2 ** (32 - bits);
  });
  const tables: InversionTables = {
    cell,
    mean,
    lo: Int32Array.from(lo),
    length,
    offset,
    below: new Float64Array(cell.length),
    upTo: new Float64Array(cell.length),
    pmfLo: new Float64Array(cell.length),
    pmfHi: new Float64Array(cell.length),
    lowest: new Int32Array(cell.length),
    highest: new Int32Array(cell.length),
    threshold: new Int32Array(size),
    shift,
    guideOffset,
    guide: new Int32Array(guideSize),
  };
  let longest = 0;
  for (const l of length) longest = Math.max(longest, l);
  const pmf = new Float64Array(longest);
  for (let c = 0; c < cell.length; c++) fillCell(tables, c, pmf);
  return tables;
}

/** Cell c's pmf over its range from the mode outwards, the mass below it, its cdf and guide table. */
function fillCell(tables: InversionTables, c: number, pmf: Float64Array): void {
  const mean = tables.mean[c] as number;
  const lo = tables.lo[c] as number;
  const size = tables.length[c] as number;
  const from = tables.offset[c] as number;
  const mode = Math.min(lo + size - 1, Math.max(lo, Math.floor(mean)));
  pmf[mode - lo] = Math.exp(-mean + mode * Math.log(mean) - logFactorial(mode));
  for (let k = mode + 1; k < lo + size; k++) pmf[k - lo] = ((pmf[k - lo - 1] as number) * mean) / k;
  for (let k = mode - 1; k >= lo; k--) pmf[k - lo] = ((pmf[k - lo + 1] as number) * (k + 1)) / mean;
  let below = 0;
  let term = pmf[0] as number;
  for (let k = lo; k > 0; k--) {
    term = (term * k) / mean;
    below += term;
    if (term < 1e-20 * below) break;
  }
  let cumulative = below;
  const thresholds = tables.threshold;
  for (let j = 0; j < size; j++) {
    cumulative += pmf[j] as number;
    thresholds[from + j] = biasedThreshold(cumulative);
  }
  tables.below[c] = below;
  tables.upTo[c] = cumulative;
  tables.pmfLo[c] = pmf[0] as number;
  tables.pmfHi[c] = pmf[size - 1] as number;
  tables.lowest[c] = biasedThreshold(below);
  tables.highest[c] = biasedThreshold(cumulative) - 1;
  const bits = tables.shift[c] as number;
  const guideFrom = tables.guideOffset[c] as number;
  const buckets = 1 << (32 - bits);
  // guide[g] = the least j whose threshold exceeds the bucket's least uniform g·2^bits: j for every bucket
  // from the previous j's end up to (threshold − 1) >> bits
  const guide = tables.guide;
  let j = 0;
  for (let g = 0; g < buckets; g++) {
    // the bucket's least uniform g·2^bits, biased as the thresholds (all in 32-bit integers)
    const least = (g << bits) ^ SIGN;
    while (j < size - 1 && (thresholds[from + j] as number) <= least) j++;
    guide[guideFrom + g] = j;
  }
}

/** ⌈p·2³²⌉ − 2³¹, clamped to 2³² − 1 − 2³¹ (see InversionTables.threshold). */
function biasedThreshold(p: number): number {
  return Math.min(Math.ceil(p * TWO_32), TWO_32 - 1) - 2147483648;
}

const SMALL_LOG_FACTORIALS = (() => {
  const table = new Float64Array(64);
  for (let k = 1; k < table.length; k++) table[k] = (table[k - 1] ?? 0) + Math.log(k);
  return table;
})();

/** log(k!): a table below 64, Stirling's series (error < 1e-14) above. */
export function logFactorial(k: number): number {
  if (k < SMALL_LOG_FACTORIALS.length) return SMALL_LOG_FACTORIALS[k] ?? 0;
  const k1 = k + 1;
  const inverse = 1 / k1;
  const inverse2 = inverse * inverse;
  return (k1 - 0.5) * Math.log(k1) - k1 + LOG_SQRT_2PI + inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 / 1260));
}

interface AliasTable {
  readonly probability: Float64Array;
  readonly alias: Int32Array;
}

/** Walker's alias method (Vose's construction): one uniform per categorical draw. */
function aliasTable(weights: ArrayLike<number>, mass: number): AliasTable {
  const count = weights.length;
  const probability = new Float64Array(count);
  const alias = new Int32Array(count);
  const scaled = Float64Array.from({ length: count }, (_, k) => (mass > 0 ? ((weights[k] ?? 0) * count) / mass : 1));
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((value, k) => (value < 1 ? small : large).push(k));
  while (small.length > 0 && large.length > 0) {
    const less = small.pop() as number;
    const more = large.pop() as number;
    probability[less] = scaled[less] ?? 0;
    alias[less] = more;
    scaled[more] = (scaled[more] ?? 0) + (scaled[less] ?? 0) - 1;
    ((scaled[more] ?? 0) < 1 ? small : large).push(more);
  }
  for (const k of [...small, ...large]) {
    probability[k] = 1;
    alias[k] = k;
  }
  return { probability, alias };
}

/** Adds `draws` categorical draws to `out`; returns the advanced uniform state. */
function addCategorical(table: AliasTable, draws: number, out: Int32Array, start: number): number {
  const count = table.probability.length;
  let state = start;
  for (let d = 0; d < draws; d++) {
    state = (state + GOLDEN) >>> 0;
    const x = mix(state) * count;
    const k = Math.floor(x);
    const cell = x - k < (table.probability[k] as number) ? k : (table.alias[k] as number);
    out[cell] = (out[cell] as number) + 1;
  }
  return state;
}

/** Removes `removals` of the `present` items uniformly without replacement, through a Fenwick tree of the counts. */
function removeUniformly(tree: Float64Array, removals: number, present: number, out: Int32Array, start: number): number {
  let state = start;
  const count = out.length;
  tree.fill(0);
  for (let k = 1; k <= count; k++) {
    tree[k] = (tree[k] as number) + (out[k - 1] as number);
    const parent = k + (k & -k);
    if (parent <= count) tree[parent] = (tree[parent] as number) + (tree[k] as number);
  }
  let top = 1;
  while (top * 2 <= count) top *= 2;
  let remaining = present;
  for (let d = 0; d < removals; d++) {
    state = (state + GOLDEN) >>> 0;
    let target = Math.floor(mix(state) * remaining);
    let position = 0;
    for (let step = top; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= count && (tree[next] as number) <= target) {
        position = next;
        target -= tree[next] as number;
      }
    }
    out[position] = (out[position] as number) - 1;
    for (let k = position + 1; k <= count; k += k & -k) tree[k] = (tree[k] as number) - 1;
    remaining -= 1;
  }
  return state;
}
