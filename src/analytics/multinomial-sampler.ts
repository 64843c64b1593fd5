/**
 * Repeated multinomial draws with fixed probabilities (the bootstrap's resampling of count cells), exact
 * and with per-cell set-up done once rather than once per draw:
 *
 * 1. each cell k gets an independent Poisson(λ·p_k) draw S_k (inversion for small means, Hörmann's PTRS
 *    for large ones; every constant precomputed per cell), with λ = N − 2√N a little below the total N;
 * 2. given their sum s, independent Poissons are Multinomial(s, p) whatever λ is; so when s < N (λ below N
 *    makes that the usual case, about 98 %), N − s more categorical draws (Walker's alias table) make a
 *    Multinomial(N, p), and when s > N, removing s − N of the s items uniformly without replacement (a
 *    Fenwick tree over the counts) leaves a uniform N-subset of i.i.d. categorical draws, again Multinomial(N, p).
 *
 * Conditional binomials (rng.ts `multinomial`) give the same distribution but need a fresh BTRD set-up
 * (a square root and several divisions) for every cell of every draw.
 */
import type { Rng } from "./rng.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this mean a Poisson is drawn by inversion (expected mean + 1 steps), above it by PTRS. */
const INVERSION_BELOW = 10;
/** λ = N − SLACK·√N: the Poissons' sum exceeds N (the dearer fix-up) in about 2 % of draws. */
const SLACK = 2;
/** log k! is tabulated up to this k (or the largest a cell can plausibly draw, if less); Stirling's series above. */
const LOG_FACTORIAL_TABLE_LIMIT = 1 << 20;

/** Cells drawn by inversion: their positions, means and e^(−mean). */
interface InversionCells {
  readonly cell: Int32Array;
  readonly mean: Float64Array;
  readonly expNegMean: Float64Array;
}

/** Cells drawn by PTRS: their positions and, per cell, the set-up constants of Hörmann's method. */
interface PtrsCells {
  readonly cell: Int32Array;
  readonly mean: Float64Array;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly logInvAlpha: Float64Array;
  readonly vr: Float64Array;
  readonly logMean: Float64Array;
}

export interface MultinomialSampler {
  /** One Multinomial(total, weights/Σweights) draw into `out` (same length as the weights). */
  draw(rng: Rng, out: Float64Array): Float64Array;
}

export function multinomialSampler(total: number, weights: ArrayLike<number>): MultinomialSampler {
  const count = weights.length;
  let mass = 0;
  for (let k = 0; k < count; k++) mass += weights[k] ?? 0;
  const lambda = Math.max(0, total - SLACK * Math.sqrt(total));
  const means = Float64Array.from({ length: count }, (_, k) => (mass > 0 ? (lambda * (weights[k] ?? 0)) / mass : 0));
  const inversion = inversionCells(means);
  const ptrs = ptrsCells(means);
  const logFactorials = logFactorialTable(means);
  const alias = aliasTable(weights, mass);
  const tree = new Float64Array(count + 1);
  return {
    draw(rng: Rng, out: Float64Array): Float64Array {
      out.fill(0);
      let state = seedState(rng);
      let sum = 0;
      for (let c = 0; c < inversion.cell.length; c++) {
        const mean = inversion.mean[c] as number;
        state = (state + GOLDEN) >>> 0;
        let u = mix(state);
        let k = 0;
        let p = inversion.expNegMean[c] as number;
        while (u > p && k < 1000) {
          u -= p;
          k += 1;
          p *= mean / k;
        }
        out[inversion.cell[c] as number] = k;
        sum += k;
      }
      const { a: ptrsA, b: ptrsB, vr: ptrsVr, mean: ptrsMean } = ptrs;
      for (let c = 0; c < ptrs.cell.length; c++) {
        // Hörmann (1993), "The transformed rejection method for generating Poisson random variables"
        const a = ptrsA[c] as number;
        const b = ptrsB[c] as number;
        const vr = ptrsVr[c] as number;
        const mean = ptrsMean[c] as number;
        let k: number;
        for (;;) {
          state = (state + GOLDEN) >>> 0;
          const u = mix(state) - 0.5;
          state = (state + GOLDEN) >>> 0;
          const v = mix(state);
          const us = 0.5 - Math.abs(u);
          k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
          if (us >= 0.07 && v <= vr) break;
          if (k < 0 || (us < 0.013 && v > us)) continue;
          const logFactorialK = k < logFactorials.length ? (logFactorials[k] as number) : logFactorial(k);
          if (Math.log(v / (a / (us * us) + b)) + (ptrs.logInvAlpha[c] as number) <= -mean + k * (ptrs.logMean[c] as number) - logFactorialK) break;
        }
        out[ptrs.cell[c] as number] = k;
        sum += k;
      }
      if (sum < total) state = addCategorical(alias, total - sum, out, state);
      else if (sum > total) removeUniformly(tree, sum - total, sum, out, state);
      return out;
    },
  };
}

/**
 * The sampler's uniforms: mulberry32 (as rng.ts) seeded by one draw of the caller's generator at the start
 * of each multinomial draw, so the same caller state always gives the same counts. The state is a local of
 * the draw and `mix` a pure function, which the engine inlines into the loops.
 */
const GOLDEN = 0x6d2b79f5;

function seedState(rng: Rng): number {
  return Math.floor(rng.next() * 4294967296) >>> 0;
}

/** mulberry32's output for an (already advanced) state, in [0, 1). */
function mix(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function inversionCells(means: Float64Array): InversionCells {
  const cell = Int32Array.from(positions(means, (mean) => mean > 0 && mean < INVERSION_BELOW));
  const mean = Float64Array.from(cell, (k) => means[k] as number);
  return { cell, mean, expNegMean: mean.map((value) => Math.exp(-value)) };
}

function ptrsCells(means: Float64Array): PtrsCells {
  const cell = Int32Array.from(positions(means, (mean) => mean >= INVERSION_BELOW));
  const mean = Float64Array.from(cell, (k) => means[k] as number);
  const b = mean.map((value) => 0.931 + 2.53 * Math.sqrt(value));
  return {
    cell,
    mean,
    a: b.map((value) => -0.059 + 0.02483 * value),
    b,
    logInvAlpha: b.map((value) => Math.log(1.1239 + 1.1328 / (value - 3.4))),
    vr: b.map((value) => 0.9277 - 3.6224 / (value - 2)),
    logMean: mean.map((value) => Math.log(value)),
  };
}

function positions(means: Float64Array, keep: (mean: number) => boolean): number[] {
  const kept: number[] = [];
  means.forEach((mean, k) => {
    if (keep(mean)) kept.push(k);
  });
  return kept;
}

/** log k! for k up to the largest mean + 12 standard deviations (capped), summed exactly. */
function logFactorialTable(means: Float64Array): Float64Array {
  let largest = 0;
  for (const mean of means) largest = Math.max(largest, mean);
  const size = Math.min(LOG_FACTORIAL_TABLE_LIMIT, Math.ceil(largest + 12 * Math.sqrt(largest) + 64));
  const table = new Float64Array(size);
  for (let k = 1; k < size; k++) table[k] = k < SMALL_LOG_FACTORIALS.length ? (SMALL_LOG_FACTORIALS[k] as number) : logFactorial(k);
  return table;
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
function addCategorical(table: AliasTable, draws: number, out: Float64Array, start: number): number {
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
function removeUniformly(tree: Float64Array, removals: number, present: number, out: Float64Array, start: number): void {
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
}
