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

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/**
 * λ = N − SLACK·√N: the Poissons' sum falls short of N by about 1.53·√N on average (that many categorical
 * draws, one table read each) and exceeds it (the dearer fix-up: a Fenwick tree built over every cell, then a
 * search per removal, by 0.03·√N on average) in about 7 % of draws. With 1·√N, 1.08·√N categorical draws but
 * removals in 16 % of draws, which cost more than the extra draws save (about 10 % more time on Arena's cells).
 */
const SLACK = 1.5;
/** The tabulated range: at least mean ± this many standard deviations (plus a few counts), widened to fill its buckets. */
const TABLE_DEVIATIONS = 3;
/** Rounds drawn together (cell by cell), at most, and at most this many counts held at once (256: about 5 % faster than 128 on Arena's cells). */
const BATCH_ROUNDS = 256;
const BATCH_COUNTS = 1 << 22;
/** The set-up's table of 1/k covers k below this. */
const RECIPROCALS = 1 << 16;
/** Tail symbols drawn before their second uniforms are taken, at most. */
const TAIL_QUEUE = 1 << 12;

/** Per cell with a positive mean: its tabulated values lo..lo+length−1 (length = 2^bits − 2), its alias table, its tails. */
interface PoissonTables {
  readonly cell: Int32Array;
  readonly mean: Float64Array;
  readonly lo: Int32Array;
  readonly length: Int32Array;
  /** b: the cell has 2^b buckets, the last two symbols (length and length + 1) standing for the tails below lo and above hi */
  readonly bits: Int32Array;
  readonly offset: Int32Array;
  /** per cell, at offset + bucket: cut·2^b + alias (see packedAlias), as a signed 32-bit integer */
  readonly entry: Int32Array;
  /** P(X < lo) and P(X > lo + length − 1), for the tails' inversion */
  readonly below: Float64Array;
  readonly above: Float64Array;
  /** P(X = lo) and P(X = lo + length − 1), where the tails' term-by-term inversion starts */
  readonly pmfLo: Float64Array;
  readonly pmfHi: Float64Array;
}

/** An alias table over 2^bits buckets with its entries packed (see packedAlias). */
interface PackedAlias {
  readonly bits: number;
  readonly entry: Int32Array;
}

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

const TWO_32 = 4294967296;

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

function poissonTables(means: Float64Array): PoissonTables {
  let cells = 0;
  for (const mean of means) if (mean > 0) cells += 1;
  const cell = new Int32Array(cells);
  const mean = new Float64Array(cells);
  const lo = new Int32Array(cells);
  const length = new Int32Array(cells);
  const bits = new Int32Array(cells);
  const offset = new Int32Array(cells);
  let size = 0;
  let widest = 0;
  for (let k = 0, c = 0; k < means.length; k++) {
    const m = means[k] as number;
    if (!(m > 0)) continue;
    // at least mean ± TABLE_DEVIATIONS·√mean (plus a few counts), widened on both sides to fill 2^b − 2 values
    const spread = TABLE_DEVIATIONS * Math.sqrt(m);
    const least = Math.max(0, Math.floor(m - spread - 2));
    const most = Math.ceil(m + spread + 3);
    const b = Math.max(2, Math.ceil(Math.log2(most - least + 1 + 2)));
    const buckets = 2 ** b;
    cell[c] = k;
    mean[c] = m;
    lo[c] = Math.max(0, least - Math.floor((buckets - 2 - (most - least + 1)) / 2));
    length[c] = buckets - 2;
    bits[c] = b;
    offset[c] = size;
    size += buckets;
    widest = Math.max(widest, buckets);
    c += 1;
  }
  const tables: PoissonTables = {
    cell,
    mean,
    lo,
    length,
    bits,
    offset,
    entry: new Int32Array(size),
    below: new Float64Array(cells),
    above: new Float64Array(cells),
    pmfLo: new Float64Array(cells),
    pmfHi: new Float64Array(cells),
  };
  let highest = 0;
  for (let c = 0; c < cells; c++) highest = Math.max(highest, (lo[c] as number) + (length[c] as number));
  // 1/k up to each table's end and well into its upper tail, at most 2¹⁶ of them (beyond, the recurrences divide)
  const reciprocals = new Float64Array(Math.min(RECIPROCALS, Math.ceil(highest + 10 * Math.sqrt(highest) + 50)));
  for (let k = 1; k < reciprocals.length; k++) reciprocals[k] = 1 / k;
  const work: AliasWork = { reciprocals, pmf: new Float64Array(widest), counts: new Float64Array(widest), small: new Int32Array(widest), large: new Int32Array(widest) };
  for (let c = 0; c < cells; c++) fillCell(tables, c, work);
  return tables;
}

/** Scratch space for building alias tables of up to its length's buckets (and 1/k for the pmf's recurrences). */
interface AliasWork {
  readonly reciprocals: Float64Array;
  readonly pmf: Float64Array;
  readonly counts: Float64Array;
  readonly small: Int32Array;
  readonly large: Int32Array;
}

/** Cell c's pmf over its range from the mode outwards, the mass of both tails, and its alias table. */
function fillCell(tables: PoissonTables, c: number, work: AliasWork): void {
  const mean = tables.mean[c] as number;
  const lo = tables.lo[c] as number;
  const size = tables.length[c] as number;
  const hi = lo + size - 1;
  const { pmf, counts } = work;
  const mode = Math.min(hi, Math.max(lo, Math.floor(mean)));
  // multiplications by 1/mean and by a table of 1/k rather than divisions: the set-up's recurrences are its cost
  const inverseMean = 1 / mean;
  const inverse = work.reciprocals;
  pmf[mode - lo] = Math.exp(-mean + mode * Math.log(mean) - logFactorial(mode));
  for (let k = mode + 1; k <= hi; k++) pmf[k - lo] = k < inverse.length ? (pmf[k - lo - 1] as number) * mean * (inverse[k] as number) : ((pmf[k - lo - 1] as number) * mean) / k;
  for (let k = mode - 1; k >= lo; k--) pmf[k - lo] = (pmf[k - lo + 1] as number) * (k + 1) * inverseMean;
  // the tails' masses, to double precision (terms below 1e-17 of the sum so far change nothing)
  let below = 0;
  let term = pmf[0] as number;
  for (let k = lo; k > 0; k--) {
    term = term * k * inverseMean;
    below += term;
    if (term < 1e-17 * below) break;
  }
  let above = 0;
  term = pmf[size - 1] as number;
  for (let k = hi + 1; term > 0; k++) {
    term = k < inverse.length ? term * mean * (inverse[k] as number) : (term * mean) / k;
    above += term;
    if (term < 1e-17 * above) break;
  }
  // each value's share of the 2³² uniforms: differences of the rounded-up cumulative distribution
  let cumulative = below;
  let previous = scaledUp(below);
  counts[size] = previous;
  for (let j = 0; j < size; j++) {
    cumulative += pmf[j] as number;
    const next = scaledUp(cumulative);
    counts[j] = next - previous;
    previous = next;
  }
  counts[size + 1] = TWO_32 - previous;
  const b = tables.bits[c] as number;
  packedAlias(counts, b, tables.entry, tables.offset[c] as number, work);
  tables.below[c] = below;
  tables.above[c] = above;
  tables.pmfLo[c] = pmf[0] as number;
  tables.pmfHi[c] = pmf[size - 1] as number;
}

/** ⌈p·2³²⌉, at most 2³². */
function scaledUp(p: number): number {
  return Math.min(Math.ceil(p * TWO_32), TWO_32);
}

/**
 * Walker's alias table (Vose's construction) for 2^b symbols with whole-number weights `counts` summing to 2³²,
 * into `entry` from `from`: bucket s holds its own symbol for the 32-bit uniforms whose low 32 − b bits are
 * below its cut, and its alias for the rest, packed as cut·2^b + alias (the cut is below 2^(32−b): a bucket its
 * own symbol fills entirely has itself as alias and cut 0). All integer arithmetic in doubles, hence exact:
 * each symbol gets exactly its count of uniforms. `counts` is overwritten.
 */
function packedAlias(counts: Float64Array, b: number, entry: Int32Array, from: number, work: AliasWork): void {
  const buckets = 2 ** b;
  const capacity = 2 ** (32 - b);
  const { small, large } = work;
  let smalls = 0;
  let larges = 0;
  for (let s = 0; s < buckets; s++) {
    if ((counts[s] as number) < capacity) small[smalls++] = s;
    else large[larges++] = s;
  }
  while (smalls > 0 && larges > 0) {
    const less = small[--smalls] as number;
    const more = large[--larges] as number;
    const kept = counts[less] as number;
    entry[from + less] = (kept * buckets + more) | 0;
    const left = (counts[more] as number) - (capacity - kept);
    counts[more] = left;
    if (left < capacity) small[smalls++] = more;
    else large[larges++] = more;
  }
  // what is left fills its bucket exactly (the counts sum to 2³²)
  while (smalls > 0) {
    const s = small[--smalls] as number;
    entry[from + s] = s;
  }
  while (larges > 0) {
    const s = large[--larges] as number;
    entry[from + s] = s;
  }
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

/** The categorical draw over the cells: their probabilities as whole numbers of 2³²-ths (rounded cumulative sums), in a packed alias table. */
function categoricalAlias(weights: ArrayLike<number>, mass: number): PackedAlias {
  const count = weights.length;
  const bits = Math.max(1, Math.ceil(Math.log2(Math.max(count, 2))));
  const buckets = 2 ** bits;
  const counts = new Float64Array(buckets);
  let cumulative = 0;
  let previous = 0;
  for (let k = 0; k < count; k++) {
    cumulative += mass > 0 ? (weights[k] ?? 0) : 1;
    const next = k === count - 1 ? TWO_32 : Math.round((cumulative / (mass > 0 ? mass : count)) * TWO_32);
    counts[k] = next - previous;
    previous = next;
  }
  const entry = new Int32Array(buckets);
  packedAlias(counts, bits, entry, 0, { reciprocals: counts, pmf: counts, counts, small: new Int32Array(buckets), large: new Int32Array(buckets) });
  return { bits, entry };
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
