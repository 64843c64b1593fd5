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
 * The hot loops (step 1's table draws, step 2's sum and categorical draws) are WebAssembly (wasm/sampler-kernel.ts)
 * over the kernel memory the bootstrap's refits read; the tails and the removals are here.
 *
 * Uniforms have 32 bits, as rng.ts's, and every probability is used as a whole number of 2³²-ths (rounded
 * once, at set-up). Conditional binomials (rng.ts `multinomial`) give the same distribution but need a fresh
 * BTRD set-up (a square root and several divisions) for every cell of every draw.
 */
import type { Rng } from "./rng.ts";
import { categoricalAlias, poissonTables, TWO_32, type PackedAlias, type PoissonTables } from "./poisson-tables.ts";
import { KernelHeap } from "./wasm/kernel-memory.ts";
import { samplerKernels, type PoissonArgs, type TopUpArgs } from "./wasm/sampler-kernel.ts";

/**
 * λ = N − SLACK·√N: the Poissons' sum falls short of N by about 1.53·√N on average (that many categorical
 * draws, one table read each) and exceeds it (the dearer fix-up: a Fenwick tree built over every cell, then a
 * search per removal, by 0.03·√N on average) in about 7 % of draws. With 1·√N, 1.08·√N categorical draws but
 * removals in 16 % of draws, which cost more than the extra draws save (about 10 % more time on Arena's cells).
 */
const SLACK = 1.5;
/**
 * Rounds drawn together (cell by cell), at most, and at most this many counts held at once. 32 rounds of Arena's
 * 10,380 cells (1.3 MB) stay in a 2 MB L2 cache until the refits read them; with 256 (10.6 MB, better when the
 * draws were JavaScript and the tables' reads dominated) the bootstrap's steady CPU time was about 15 % higher.
 */
const BATCH_ROUNDS = 32;
const BATCH_COUNTS = 1 << 22;
/** Tabled cells drawn (for every round of a batch) by one call of the kernel. */
const KERNEL_CELLS = 512;
/** Tail symbols drawn before their second uniforms are taken, at most. */
const TAIL_QUEUE = 1 << 12;

export interface MultinomialSampler {
  /** One Multinomial(total, weights/Σweights) draw into `out` (same length as the weights). */
  draw(rng: Rng, out: Int32Array): Int32Array;
  /** How many rounds `drawBatch` draws at once. */
  readonly batchRounds: number;
  /** where the draws are made (in kernel memory): `drawBatch` into it copies nothing */
  readonly batch: Int32Array;
  /**
   * `rounds` (≤ batchRounds) independent draws into `out`, round after round (round b at b·cells); 32-bit counts, half
   * the memory traffic of doubles. With `each`, each round is handed to it as soon as it is complete, while its counts
   * are still in the cache (the rounds' last step, the fix-up to the total, goes round by round).
   */
  drawBatch(rng: Rng, rounds: number, out: Int32Array, each?: (drawn: Int32Array, round: number) => void): Int32Array;
}

/** Totals the 32-bit counts and sums hold, with room for the Poissons' sum to overshoot. */
export const MAX_TOTAL = 2 ** 31 - 1 - 2 ** 20;

/** The tables for one set of means, kept for the next sampler over the same cells (the bootstrap's repeated runs). */
let lastTables: { total: number; weights: Float64Array; tables: PoissonTables; categorical: PackedAlias; empty: Int32Array } | null = null;

function tablesFor(total: number, weights: ArrayLike<number>): NonNullable<typeof lastTables> {
  const count = weights.length;
  if (lastTables && lastTables.total === total && lastTables.weights.length === count) {
    const kept = lastTables.weights;
    let same = true;
    for (let k = 0; k < count && same; k++) same = kept[k] === weights[k];
    if (same) return lastTables;
  }
  let mass = 0;
  for (let k = 0; k < count; k++) mass += weights[k] ?? 0;
  const lambda = Math.max(0, total - SLACK * Math.sqrt(total));
  const means = new Float64Array(count);
  if (mass > 0) for (let k = 0; k < count; k++) means[k] = (lambda * (weights[k] ?? 0)) / mass;
  const tables = poissonTables(means);
  const empty = Int32Array.from(means.keys()).filter((k) => !((means[k] as number) > 0));
  lastTables = { total, weights: Float64Array.from(weights), tables, categorical: categoricalAlias(weights, mass), empty };
  return lastTables;
}

function batchRoundsFor(count: number): number {
  return Math.max(1, Math.min(BATCH_ROUNDS, Math.floor(BATCH_COUNTS / Math.max(count, 1))));
}

/** Kernel memory a sampler over these cells takes (its tables, its batch of draws, the tail queue). */
export function multinomialSamplerBytes(total: number, weights: ArrayLike<number>): number {
  const { tables, categorical, empty } = tablesFor(total, weights);
  return kernelTablesBytes(tables, categorical, empty) + KernelHeap.bytes(4 * batchRoundsFor(weights.length) * weights.length);
}

function kernelTablesBytes(tables: PoissonTables, categorical: PackedAlias, empty: Int32Array): number {
  const cells = tables.cell.length;
  return KernelHeap.bytes(4 * empty.length, 4 * cells, 4 * cells, 4 * cells, 4 * cells, 4 * cells, 4 * tables.entry.length, 4 * categorical.entry.length, 4 * TAIL_QUEUE, 4 * TAIL_QUEUE, 16);
}

/** The tables copied into kernel memory, the tail queue and the status words (uniform state, queued tails, where to resume). */
function kernelTables(heap: KernelHeap, tables: PoissonTables, categorical: PackedAlias, empty: Int32Array) {
  const copy = (values: Int32Array): Int32Array => {
    const view = heap.i32(values.length);
    view.set(values);
    return view;
  };
  return {
    cell: copy(tables.cell),
    lo: copy(tables.lo),
    length: copy(tables.length),
    bits: copy(tables.bits),
    offset: copy(tables.offset),
    entry: copy(tables.entry),
    categorical: copy(categorical.entry),
    empty: copy(empty),
    queueAt: heap.i32(TAIL_QUEUE),
    queueCell: heap.i32(TAIL_QUEUE),
    status: heap.i32(4),
  };
}

/**
 * A sampler for Multinomial(total, weights/Σweights); its draws are made in `heap`'s kernel memory when given (which
 * must have multinomialSamplerBytes to spare), else in its own.
 */
export function multinomialSampler(total: number, weights: ArrayLike<number>, heap?: KernelHeap): MultinomialSampler {
  if (!(total >= 0 && total <= MAX_TOTAL)) throw new RangeError(`the total must be from 0 to ${MAX_TOTAL}`);
  const count = weights.length;
  const { tables, categorical, empty } = tablesFor(total, weights);
  const memory = heap ?? new KernelHeap(multinomialSamplerBytes(total, weights));
  const kernels = samplerKernels(memory.memory);
  const batchRounds = batchRoundsFor(count);
  const own = kernelTables(memory, tables, categorical, empty);
  const batch = memory.i32(batchRounds * count);
  const tails: TailQueue = { at: own.queueAt, cell: own.queueCell, waiting: 0 };
  const tree = new Int32Array(count + 1);
  const poissonArgs = poissonArgsOf(own, { cells: tables.cell.length, rounds: 0, rowBytes: 4 * count, out: batch });
  // the cells without a table (mean 0) are zeroed round by round before the top-up; every other count is written by the draws
  const topUpArgs: TopUpArgs = { empty: own.empty.byteOffset, empties: empty.length, entry: own.categorical.byteOffset, bits: categorical.bits, drawn: 0, count, total, status: own.status.byteOffset };
  const status = own.status;
  const tabled = tables.cell.length;
  status.fill(0);
  // one uniform stream for the sampler's whole life: seeding each batch afresh let batches' streams overlap
  let seeded = false;
  const drawBatch = (rng: Rng, rounds: number, out: Int32Array, each?: (drawn: Int32Array, round: number) => void): Int32Array => {
    if (rounds > batchRounds) throw new RangeError(`at most ${batchRounds} rounds a batch`);
    if (!seeded) status[0] = seedState(rng);
    seeded = true;
    poissonArgs.rounds = rounds;
    status[2] = 0;
    status[3] = 0;
    // a few hundred cells a call: the engine's optimised code, compiled in the background, serves the next call
    for (let end = Math.min(KERNEL_CELLS, tabled); ; end = Math.min(end + KERNEL_CELLS, tabled)) {
      poissonArgs.cells = end;
      while (kernels.poisson(poissonArgs) === 0) resolveKernelTails(tables, tails, batch, status);
      if (end === tabled) break;
    }
    resolveKernelTails(tables, tails, batch, status);
    for (let round = 0; round < rounds; round++) {
      topUpArgs.drawn = batch.byteOffset + 4 * round * count;
      const sum = kernels.topUp(topUpArgs);
      const drawn = batch.subarray(round * count, (round + 1) * count);
      if (sum > total) status[0] = removeUniformly(tree, sum - total, sum, drawn, status[0] as number);
      each?.(drawn, round);
    }
    if (out !== batch) out.set(batch.subarray(0, Math.min(out.length, rounds * count)));
    return out;
  };
  return { batchRounds, batch, drawBatch, draw: (rng, out) => drawBatch(rng, 1, out) };
}

/** The Poisson kernel's arguments: the tables' addresses in kernel memory, and where and how many to draw. */
function poissonArgsOf(own: ReturnType<typeof kernelTables>, draw: { cells: number; rounds: number; rowBytes: number; out: Int32Array }): PoissonArgs {
  return {
    cell: own.cell.byteOffset,
    lo: own.lo.byteOffset,
    length: own.length.byteOffset,
    bits: own.bits.byteOffset,
    offset: own.offset.byteOffset,
    entry: own.entry.byteOffset,
    cells: draw.cells,
    rounds: draw.rounds,
    rowBytes: draw.rowBytes,
    out: draw.out.byteOffset,
    queueAt: own.queueAt.byteOffset,
    queueCell: own.queueCell.byteOffset,
    queueCapacity: TAIL_QUEUE,
    status: own.status.byteOffset,
  };
}

/** `draws` independent Poisson(mean) counts by the sampler's table and tails (step 1 alone), for testing it against the pmf. */
export function poissonCounts(mean: number, draws: number, rng: Rng): Int32Array {
  const out = new Int32Array(draws);
  if (!(mean > 0)) return out;
  const tables = poissonTables(Float64Array.of(mean));
  const categorical = categoricalAlias([1], 1);
  const heap = new KernelHeap(kernelTablesBytes(tables, categorical, new Int32Array(0)) + KernelHeap.bytes(4 * draws));
  const own = kernelTables(heap, tables, categorical, new Int32Array(0));
  const drawn = heap.i32(draws);
  const tails: TailQueue = { at: own.queueAt, cell: own.queueCell, waiting: 0 };
  const kernels = samplerKernels(heap.memory);
  const args = poissonArgsOf(own, { cells: 1, rounds: draws, rowBytes: 4, out: drawn });
  own.status.fill(0);
  own.status[0] = seedState(rng);
  while (kernels.poisson(args) === 0) resolveKernelTails(tables, tails, drawn, own.status);
  resolveKernelTails(tables, tails, drawn, own.status);
  out.set(drawn);
  return out;
}

/** The kernel's queued tail symbols resolved (status words: the uniform state, then how many are queued). */
function resolveKernelTails(tables: PoissonTables, tails: TailQueue, out: Int32Array, status: Int32Array): void {
  tails.waiting = status[1] as number;
  status[0] = resolveTails(tables, tails, out, status[0] as number);
  status[1] = 0;
}

/**
 * The sampler's uniforms: mulberry32 (as rng.ts) seeded by one draw of the caller's generator at its first
 * batch and carried on from batch to batch (one period of 2³² draws, of which a run of 5,000 rounds over 20,000
 * cells uses 2.5%), so the same caller state and the same calls always give the same counts. The kernels draw
 * the same stream (sampler-kernel.ts).
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
