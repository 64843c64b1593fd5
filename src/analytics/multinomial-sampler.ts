/**
 * Repeated multinomial draws with fixed probabilities (the bootstrap's resampling of count cells), exact
 * and with per-cell set-up done once rather than once per draw:
 *
 * 1. each cell k gets an independent Poisson(N·p_k) draw S_k (inversion for small means, Hörmann's PTRS
 *    for large ones; every constant precomputed per cell);
 * 2. given their sum s, independent Poissons are Multinomial(s, p); so when s < N, N − s more categorical
 *    draws (Walker's alias table) make a Multinomial(N, p), and when s > N, removing s − N of the s items
 *    uniformly without replacement (a Fenwick tree over the counts) leaves a uniform N-subset of i.i.d.
 *    categorical draws, again Multinomial(N, p).
 *
 * Conditional binomials (rng.ts `multinomial`) give the same distribution but need a fresh BTRD set-up
 * (a square root and several divisions) for every cell of every draw.
 */
import type { Rng } from "./rng.ts";

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Below this mean a Poisson is drawn by inversion (expected mean + 1 steps), above it by PTRS. */
const INVERSION_BELOW = 10;

/** Per cell, structure of arrays: the mean, e^(−mean) for inversion, and PTRS's set-up constants. */
interface PoissonCells {
  readonly mean: Float64Array;
  readonly expNegMean: Float64Array;
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
  const cells = poissonCells(Float64Array.from({ length: count }, (_, k) => (mass > 0 ? (total * (weights[k] ?? 0)) / mass : 0)));
  const alias = aliasTable(weights, mass);
  const tree = new Float64Array(count + 1);
  return {
    draw(rng: Rng, out: Float64Array): Float64Array {
      seedUniforms(rng);
      let sum = 0;
      for (let k = 0; k < count; k++) {
        const mean = cells.mean[k] as number;
        const drawn = mean <= 0 ? 0 : mean < INVERSION_BELOW ? poissonInversion(mean, cells.expNegMean[k] as number) : poissonPtrs(cells, k);
        out[k] = drawn;
        sum += drawn;
      }
      if (sum < total) addCategorical(alias, total - sum, out);
      else if (sum > total) removeUniformly(tree, sum - total, sum, out);
      return out;
    },
  };
}

/**
 * The sampler's uniforms: mulberry32 (as rng.ts) seeded by one draw of the caller's generator at the start
 * of each multinomial draw, so the same caller state always gives the same counts. The state lives in this
 * module (draws never interleave: each runs to its end synchronously) so that `uniform` is a plain
 * function the engine inlines into the Poisson loops.
 */
let uniformState = 0;

function seedUniforms(rng: Rng): void {
  uniformState = Math.floor(rng.next() * 4294967296) >>> 0;
}

function uniform(): number {
  uniformState = (uniformState + 0x6d2b79f5) >>> 0;
  let t = uniformState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function poissonCells(means: Float64Array): PoissonCells {
  const b = means.map((mean) => 0.931 + 2.53 * Math.sqrt(mean));
  return {
    mean: means,
    expNegMean: means.map((mean) => Math.exp(-mean)),
    a: b.map((value) => -0.059 + 0.02483 * value),
    b,
    logInvAlpha: b.map((value) => Math.log(1.1239 + 1.1328 / (value - 3.4))),
    vr: b.map((value) => 0.9277 - 3.6224 / (value - 2)),
    logMean: means.map((mean) => Math.log(mean)),
  };
}

function poissonInversion(mean: number, expNegMean: number): number {
  let u = uniform();
  let k = 0;
  let p = expNegMean;
  while (u > p && k < 1000) {
    u -= p;
    k += 1;
    p *= mean / k;
  }
  return k;
}

/** Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
function poissonPtrs(cells: PoissonCells, cell: number): number {
  const a = cells.a[cell] as number;
  const b = cells.b[cell] as number;
  const vr = cells.vr[cell] as number;
  const mean = cells.mean[cell] as number;
  for (;;) {
    const u = uniform() - 0.5;
    const v = uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + (cells.logInvAlpha[cell] as number) - Math.log(a / (us * us) + b) <= -mean + k * (cells.logMean[cell] as number) - logFactorial(k)) return k;
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

function addCategorical(table: AliasTable, draws: number, out: Float64Array): void {
  const count = table.probability.length;
  for (let d = 0; d < draws; d++) {
    const x = uniform() * count;
    const k = Math.floor(x);
    const cell = x - k < (table.probability[k] as number) ? k : (table.alias[k] as number);
    out[cell] = (out[cell] as number) + 1;
  }
}

/** Removes `removals` of the `present` items uniformly without replacement, through a Fenwick tree of the counts. */
function removeUniformly(tree: Float64Array, removals: number, present: number, out: Float64Array): void {
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
    let target = Math.floor(uniform() * remaining);
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
