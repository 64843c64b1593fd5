/**
 * Repeated multinomial draws with fixed probabilities (the bootstrap's resampling of count cells), exact,
 * with all per-cell work done once rather than once per draw:
 *
 * 1. each cell k gets an independent Poisson(λ·p_k) draw S_k, with λ = N − 1.5·√N a little below the total N.
 *    Since the means never change, each cell's Poisson is tabulated once: over a central range (at least
 *    mean ± 3 standard deviations) each value's probability as an integer count of 32-bit uniforms,
 *    c_j = ⌈F(lo + j)·2³²⌉ − ⌈F(lo + j − 1)·2³²⌉ (F the cumulative distribution), with the two tails beyond
 *    the range as two more symbols holding the rest (⌈F(lo − 1)·2³²⌉ and 2³² − ⌈F(hi)·2³²⌉), and these 2³²
 *    uniforms dealt out to 2^b equal buckets by Walker's alias method in integer arithmetic (Vose's
 *    construction, exact since every count is an integer and the buckets hold 2^(32−b) each). A 32-bit uniform
 *    then picks its bucket by its top b bits and the bucket's value or its alias by comparing its low bits
 *    with the bucket's cut: each value k comes out for exactly c_k of the 2³² uniforms, as with inversion by
 *    32-bit integer thresholds, but with one table read and no data-dependent branch. A tail symbol (below
 *    about 0.3 % of draws) is resolved by a second uniform, inverting the tail's own distribution term by term,
 *    after the batch's other draws. Draws are made a batch of rounds at a time, cell by cell, so each cell's
 *    table is read from memory once per batch;
 * 2. given their sum s, independent Poissons are Multinomial(s, p) whatever λ is; so when s < N (λ below N
 *    makes that the usual case, about 93 %), N − s more categorical draws (an alias table over the cells, built
 *    the same way from the cells' probabilities as counts of 2³²) make a Multinomial(N, p), and when s > N,
 *    removing s − N of the s items uniformly without replacement (a Fenwick tree over the counts) leaves a
 *    uniform N-subset of i.i.d. categorical draws, again Multinomial(N, p).
 *
 * Uniforms have 32 bits, as rng.ts's, and every probability is used as a whole number of 2³²-ths (rounded
 * once, at set-up). Conditional binomials (rng.ts `multinomial`) give the same distribution but need a fresh
 * BTRD set-up (a square root and several divisions) for every cell of every draw.
 */
import type { Rng } from "./rng.ts";
import { categoricalAlias, poissonTables, TWO_32, type PackedAlias, type PoissonTables } from "./poisson-tables.ts";

/**
 * λ = N − SLACK·√N: the Poissons' sum falls short of N by about 1.53·√N on average (that many categorical
 * draws, one table read each) and exceeds it (the dearer fix-up: a Fenwick tree built over every cell, then a
 * search per removal, by 0.03·√N on average) in about 7 % of draws. With 1·√N, 1.08·√N categorical draws but
 * removals in 16 % of draws, which cost more than the extra draws save (about 10 % more time on Arena's cells).
 */
const SLACK = 1.5;
/** Rounds drawn together (cell by cell), at most, and at most this many counts held at once (256: about 5 % faster than 128 on Arena's cells). */
const BATCH_ROUNDS = 256;
const BATCH_COUNTS = 1 << 22;
/** Tail symbols drawn before their second uniforms are taken, at most. */
const TAIL_QUEUE = 1 << 12;

export interface MultinomialSampler {
  /** One Multinomial(total, weights/Σweights) draw into `out` (same length as the weights). */
  draw(rng: Rng, out: Int32Array): Int32Array;
  /** How many rounds `drawBatch` draws at once. */
  readonly batchRounds: number;
  /**
   * `rounds` (≤ batchRounds) independent draws into `out`, round after round (round b at b·cells); 32-bit counts, half
   * the memory traffic of doubles. With `each`, each round is handed to it as soon as it is complete, while its counts
   * are still in the cache (the rounds' last step, the fix-up to the total, goes round by round).
   */
  drawBatch(rng: Rng, rounds: number, out: Int32Array, each?: (drawn: Int32Array, round: number) => void): Int32Array;
}

/** Totals the 32-bit counts and sums hold, with room for the Poissons' sum to overshoot. */
export const MAX_TOTAL = 2 ** 31 - 1 - 2 ** 20;

export function multinomialSampler(total: number, weights: ArrayLike<number>): MultinomialSampler {
  if (!(total >= 0 && total <= MAX_TOTAL)) throw new RangeError(`the total must be from 0 to ${MAX_TOTAL}`);
  const count = weights.length;
  let mass = 0;
  for (let k = 0; k < count; k++) mass += weights[k] ?? 0;
  const lambda = Math.max(0, total - SLACK * Math.sqrt(total));
  const means = new Float64Array(count);
  if (mass > 0) for (let k = 0; k < count; k++) means[k] = (lambda * (weights[k] ?? 0)) / mass;
  const tables = poissonTables(means);
  const empty = Int32Array.from(means.keys()).filter((k) => !((means[k] as number) > 0));
  const categorical = categoricalAlias(weights, mass);
  const tree = new Int32Array(count + 1);
  const batchRounds = Math.max(1, Math.min(BATCH_ROUNDS, Math.floor(BATCH_COUNTS / Math.max(count, 1))));
  const tails: TailQueue = { at: new Int32Array(TAIL_QUEUE), cell: new Int32Array(TAIL_QUEUE), waiting: 0 };
  // one uniform stream for the sampler's whole life: seeding each batch afresh let batches' streams overlap
  let stream: number | null = null;
  const drawBatch = (rng: Rng, rounds: number, out: Int32Array, each?: (drawn: Int32Array, round: number) => void): Int32Array => {
    if (rounds > batchRounds) throw new RangeError(`at most ${batchRounds} rounds a batch`);
    // the cells without a table (mean 0) are 0 before the fix-up; every other count is written by the draws
    for (let round = 0; round < rounds; round++) for (const k of empty) out[round * count + k] = 0;
    let state = poissonDraws(tables, tails, rounds, count, out, stream ?? seedState(rng));
    state = resolveTails(tables, tails, out, state);
    for (let round = 0; round < rounds; round++) {
      const drawn = out.subarray(round * count, (round + 1) * count);
      let sum = 0;
      for (let k = 0; k < count; k++) sum = (sum + (drawn[k] as number)) | 0;
      state = (state + GOLDEN) | 0;
      if (sum < total) state = addCategorical(categorical, total - sum, drawn, state);
      else if (sum > total) state = removeUniformly(tree, sum - total, sum, drawn, state);
      each?.(drawn, round);
    }
    stream = state;
    return out;
  };
  return { batchRounds, drawBatch, draw: (rng, out) => drawBatch(rng, 1, out) };
}

/** `draws` independent Poisson(mean) counts by the sampler's table and tails (step 1 alone), for testing it against the pmf. */
export function poissonCounts(mean: number, draws: number, rng: Rng): Int32Array {
  const tables = poissonTables(Float64Array.of(mean));
  const tails: TailQueue = { at: new Int32Array(TAIL_QUEUE), cell: new Int32Array(TAIL_QUEUE), waiting: 0 };
  const out = new Int32Array(draws);
  if (!(mean > 0)) return out;
  resolveTails(tables, tails, out, poissonDraws(tables, tails, draws, 1, out, seedState(rng)));
  return out;
}

/**
 * The sampler's uniforms: mulberry32 (as rng.ts) seeded by one draw of the caller's generator at its first
 * batch and carried on from batch to batch (one period of 2³² draws, of which a run of 5,000 rounds over 20,000
 * cells uses 2.5%), so the same caller state and the same calls always give the same counts. The state is a local of the draw
 * and `mix` a pure function, which the engine inlines into the loops.
 */
const GOLDEN = 0x6d2b79f5;

/**
 * The state is kept as a signed 32-bit integer (`| 0`), whose bits are mulberry32's unsigned state's: the engine
 * then keeps it in a register, where an unsigned one above 2³¹ would be a double.
 */
function seedState(rng: Rng): number {
  return Math.floor(rng.next() * 4294967296) | 0;
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

/** Counts whose tail symbol was drawn: where they are in the batch and their cell, awaiting a second uniform each. */
interface TailQueue {
  readonly at: Int32Array;
  readonly cell: Int32Array;
  waiting: number;
}

/**
 * Every cell's Poisson draws for `rounds` rounds into `out` (round r's cells at r·count), cell by cell, so a
 * cell's table is read from memory once a batch; a tail symbol leaves lo + its symbol in `out` and is queued.
 * Returns the advanced uniform state.
 */
function poissonDraws(tables: PoissonTables, tails: TailQueue, rounds: number, count: number, out: Int32Array, start: number): number {
  const { cell, lo, length, bits, offset, entry } = tables;
  let state = start;
  for (let c = 0; c < cell.length; c++) {
    const from = offset[c] as number;
    const first = lo[c] as number;
    const values = length[c] as number;
    const b = bits[c] as number;
    const index = 32 - b;
    const lowMask = 2 ** index - 1;
    const aliasMask = (1 << b) - 1;
    const target = cell[c] as number;
    for (let round = 0; round < rounds; round++) {
      state = (state + GOLDEN) | 0;
      const x = mixBits(state);
      const bucket = x >>> index;
      const word = entry[from + bucket] as number;
      const alias = word & aliasMask;
      // the bucket's own symbol when the low bits fall below its cut (the sign of their difference), else its alias
      const j = alias ^ ((bucket ^ alias) & (((x & lowMask) - (word >>> b)) >> 31));
      const at = round * count + target;
      out[at] = first + j;
      if (j >= values) {
        tails.at[tails.waiting] = at;
        tails.cell[tails.waiting] = c;
        tails.waiting += 1;
        if (tails.waiting === TAIL_QUEUE) state = resolveTails(tables, tails, out, state);
      }
    }
  }
  return state;
}

/** Each queued tail symbol's count, by a second uniform; empties the queue and returns the advanced state. */
function resolveTails(tables: PoissonTables, tails: TailQueue, out: Int32Array, start: number): number {
  let state = start;
  for (let w = 0; w < tails.waiting; w++) {
    const at = tails.at[w] as number;
    const c = tails.cell[w] as number;
    state = (state + GOLDEN) | 0;
    const lower = (out[at] as number) - (tables.lo[c] as number) === (tables.length[c] as number);
    out[at] = tailDraw(tables, c, lower, mix(state));
  }
  tails.waiting = 0;
  return state;
}

/**
 * A draw from cell c's Poisson restricted to its tail below lo (`lower`) or above hi, by inversion of the
 * uniform u term by term outwards from the table's edge: the least k (going outwards) whose tail mass up to k
 * exceeds u·(the tail's mass).
 */
function tailDraw(tables: PoissonTables, c: number, lower: boolean, u: number): number {
  const mean = tables.mean[c] as number;
  const lo = tables.lo[c] as number;
  if (lower) {
    const target = u * (tables.below[c] as number);
    let p = tables.pmfLo[c] as number;
    let cumulative = 0;
    for (let k = lo - 1; k > 0; k--) {
      p = (p * (k + 1)) / mean;
      cumulative += p;
      if (cumulative > target) return k;
    }
    return 0;
  }
  const target = u * (tables.above[c] as number);
  let k = lo + (tables.length[c] as number) - 1;
  let p = tables.pmfHi[c] as number;
  let cumulative = 0;
  for (let steps = 0; steps < 100_000 && p > 0; steps++) {
    k += 1;
    p = (p * mean) / k;
    cumulative += p;
    if (cumulative > target) return k;
  }
  return k;
}

/** Adds `draws` categorical draws to `out`; returns the advanced uniform state. */
function addCategorical(table: PackedAlias, draws: number, out: Int32Array, start: number): number {
  const { bits: b, entry } = table;
  const index = 32 - b;
  const lowMask = 2 ** index - 1;
  const aliasMask = 2 ** b - 1;
  let state = start;
  for (let d = 0; d < draws; d++) {
    state = (state + GOLDEN) | 0;
    const x = mixBits(state);
    const bucket = x >>> index;
    const word = entry[bucket] as number;
    const alias = word & aliasMask;
    const cell = alias ^ ((bucket ^ alias) & (((x & lowMask) - (word >>> b)) >> 31));
    out[cell] = (out[cell] as number) + 1;
  }
  return state;
}

/**
 * Removes `removals` of the `present` items uniformly without replacement, through a Fenwick tree of the counts
 * (built in place in linear time): each removal picks the item ⌊u·remaining⌋ in cell order.
 */
function removeUniformly(tree: Int32Array, removals: number, present: number, out: Int32Array, start: number): number {
  let state = start;
  const count = out.length;
  tree[0] = 0;
  for (let k = 1; k <= count; k++) tree[k] = out[k - 1] as number;
  for (let k = 1; k <= count; k++) {
    const parent = k + (k & -k);
    if (parent <= count) tree[parent] = (tree[parent] as number) + (tree[k] as number);
  }
  let top = 1;
  while (top * 2 <= count) top *= 2;
  let remaining = present;
  for (let d = 0; d < removals; d++) {
    state = (state + GOLDEN) | 0;
    let target = Math.floor(((mixBits(state) >>> 0) * remaining) / TWO_32);
    let position = 0;
    for (let step = top; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= count) {
        const below = tree[next] as number;
        if (below <= target) {
          position = next;
          target -= below;
        }
      }
    }
    out[position] = (out[position] as number) - 1;
    for (let k = position + 1; k <= count; k += k & -k) tree[k] = (tree[k] as number) - 1;
    remaining -= 1;
  }
  return state;
}
