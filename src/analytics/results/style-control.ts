/**
 * Style control (Chatbot Arena's current method): Bradley–Terry with covariates. For each battle the
 * normalised differences (a − b)/(a + b + 1) of the two responses' length and Markdown counts, z-scored over
 * the battles, enter the logit beside the strengths:
 *
 *   P(a beats b) = σ(ln10·(r_a − r_b) + Σ_f β_f·x_f),   ties and both_bad half a win,
 *
 * fitted jointly by penalised maximum likelihood (L2, λ/2·‖(r, β)‖² with λ = 0.5, as Arena's code) with
 * Newton's method (exact Hessian, Cholesky, step halving when the loss would rise). Intervals are sandwich
 * (H⁻¹BH⁻¹, B the sum of per-battle score outer products), for the strengths and the coefficients alike.
 * The strengths are what a subject would score were both responses alike in style.
 */
import { choleskyInPlace, choleskySolve } from "./linalg.ts";
import { STYLE_FEATURES } from "./style-features.ts";
import type { StyleFeature } from "./style-features.ts";
import { ResultsError } from "./types.ts";
import type { ParameterValue, RuleResult, SubjectResult } from "./types.ts";

const LN10 = Math.LN10;
export const STYLE_PENALTY = 0.5;

/** Battles with the style counts of both responses; each row may stand for `weight` identical battles. */
export interface StyleBattles {
  readonly subjects: readonly string[];
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** a's score: 1 win, 0 loss, 0.5 tie or both_bad */
  readonly scoreA: Float64Array;
  /** identical battles per row; 1 each when absent */
  readonly weight?: Float64Array;
  /** per feature (STYLE_FEATURES order), the raw count of side a and of side b, one per row */
  readonly styleA: readonly Float64Array[];
  readonly styleB: readonly Float64Array[];
}

export interface StyleCoefficient {
  readonly feature: StyleFeature;
  readonly description: string;
  /** logit change per standard deviation of the normalised difference */
  readonly estimate: number;
  readonly standardError: number;
  readonly lower: number;
  readonly upper: number;
  /** the same on the rating scale: 400·β/ln10 points */
  readonly points: number;
}

export interface RankMove {
  readonly name: string;
  readonly rawPosition: number;
  readonly controlledPosition: number;
  readonly rawRank: number;
  readonly controlledRank: number;
}

export interface StyleControlResult {
  readonly rule: "bt-style-control";
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly assumption: string;
  readonly used: number;
  readonly warnings: readonly string[];
  readonly coefficients: readonly StyleCoefficient[];
  /** the controlled board, best first */
  readonly subjects: readonly SubjectResult[];
  /** the plain Bradley–Terry board of the same battles */
  readonly raw: RuleResult;
  /** subjects whose position by score differs between the two boards, largest move first */
  readonly moves: readonly RankMove[];
}

export const STYLE_CONTROL_ASSUMPTION =
  "Bradley–Terry's, plus: how much a judge prefers the longer or more formatted response is the same for every pair, and adds to the logit; the controlled board is the order were both responses alike in style.";

/** The design: per row, the z-scored normalised differences (row-major, m per row), and which features vary. */
export interface StyleDesign {
  readonly features: Float64Array;
  readonly m: number;
  readonly varies: readonly boolean[];
  readonly means: readonly number[];
  readonly deviations: readonly number[];
}

export function styleDesign(battles: StyleBattles): StyleDesign {
  const rows = battles.a.length;
  const m = STYLE_FEATURES.length;
  const features = new Float64Array(rows * m);
  const means: number[] = [];
  const deviations: number[] = [];
  const varies: boolean[] = [];
  let totalWeight = 0;
  for (let k = 0; k < rows; k++) totalWeight += battles.weight?.[k] ?? 1;
  for (let f = 0; f < m; f++) {
    const sideA = battles.styleA[f];
    const sideB = battles.styleB[f];
    if (!sideA || !sideB || sideA.length !== rows || sideB.length !== rows) throw new ResultsError("invalid_input", `style feature ${STYLE_FEATURES[f]} needs one count per battle for each side`);
    let sum = 0;
    for (let k = 0; k < rows; k++) {
      const x = sideA[k] as number;
      const y = sideB[k] as number;
      const d = (x - y) / (x + y + 1);
      features[k * m + f] = d;
      sum += (battles.weight?.[k] ?? 1) * d;
    }
    const mean = sum / totalWeight;
    let squares = 0;
    for (let k = 0; k < rows; k++) squares += (battles.weight?.[k] ?? 1) * ((features[k * m + f] as number) - mean) ** 2;
    const deviation = Math.sqrt(squares / totalWeight);
    const usable = deviation > 1e-12;
    for (let k = 0; k < rows; k++) features[k * m + f] = usable ? ((features[k * m + f] as number) - mean) / deviation : 0;
    means.push(mean);
    deviations.push(deviation);
    varies.push(usable);
  }
  return { features, m, varies, means, deviations };
}

interface Pass {
  loss: number;
  gradient: Float64Array;
  hessian: Float64Array;
  meat: Float64Array | null;
}

/** Per row, the index of its unordered pair (low subject first), and the pairs; so the strength block is summed per pair. */
interface PairIndex {
  readonly rowPair: Int32Array;
  readonly low: Int32Array;
  readonly high: Int32Array;
}

function pairIndex(battles: StyleBattles): PairIndex {
  const n = battles.subjects.length;
  const seen = n <= 2048 ? denseLookup(n) : new Map<number, number>();
  const rowPair = new Int32Array(battles.a.length);
  const low: number[] = [];
  const high: number[] = [];
  for (let k = 0; k < battles.a.length; k++) {
    const i = battles.a[k] as number;
    const j = battles.b[k] as number;
    const key = Math.min(i, j) * n + Math.max(i, j);
    let index = seen.get(key);
    if (index === undefined) {
      index = low.length;
      seen.set(key, index);
      low.push(Math.min(i, j));
      high.push(Math.max(i, j));
    }
    rowPair[k] = index;
  }
  return { rowPair, low: Int32Array.from(low), high: Int32Array.from(high) };
}

/** A Map-like n×n table of pair indices (−1 for none): one array read a battle instead of a hash lookup. */
function denseLookup(n: number): { get(key: number): number | undefined; set(key: number, value: number): void } {
  const table = new Int32Array(n * n).fill(-1);
  return {
    get: (key) => {
      const value = table[key] as number;
      return value < 0 ? undefined : value;
    },
    set: (key, value) => {
      table[key] = value;
    },
  };
}

/** Second-derivative-shaped sums over the battles: per pair, per (subject, feature), per (feature, feature). */
class Blocks {
  readonly pair: Float64Array;
  readonly cross: Float64Array;
  readonly features: Float64Array;

  constructor(pairs: number, n: number, m: number) {
    this.pair = new Float64Array(pairs);
    this.cross = new Float64Array(n * m);
    this.features = new Float64Array(m * m);
  }

  /** The symmetric (n + m)² matrix Σ weight·u·uᵀ, u = (ln10·(e_a − e_b), x). */
  matrix(pairs: PairIndex, n: number, m: number): Float64Array {
    const d = n + m;
    const out = new Float64Array(d * d);
    for (let q = 0; q < pairs.low.length; q++) {
      const i = pairs.low[q] as number;
      const j = pairs.high[q] as number;
      const w = LN10 * LN10 * (this.pair[q] as number);
      out[i * d + i] = (out[i * d + i] as number) + w;
      out[j * d + j] = (out[j * d + j] as number) + w;
      out[i * d + j] = (out[i * d + j] as number) - w;
      out[j * d + i] = (out[j * d + i] as number) - w;
    }
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < m; f++) {
        const value = LN10 * (this.cross[i * m + f] as number);
        out[i * d + n + f] = value;
        out[(n + f) * d + i] = value;
      }
    }
    for (let f = 0; f < m; f++) for (let g = 0; g < m; g++) out[(n + f) * d + n + g] = this.features[f * m + g] as number;
    return out;
  }
}

/**
 * One pass over the battles: penalised loss, gradient, Hessian and (optionally) the sandwich's meat at
 * θ = (r, β). Written out for the four style features: this loop is the fit's whole cost (7 passes over
 * 1.67 M battles for Arena's data).
 */
function accumulate(battles: StyleBattles, design: StyleDesign, pairs: PairIndex, theta: Float64Array, withMeat: boolean): Pass {
  const n = battles.subjects.length;
  const { m, features: x } = design;
  if (m !== 4) throw new ResultsError("invalid_input", `style control has four features; got ${m}`);
  const d = n + m;
  const gradient = new Float64Array(d);
  const hessian = new Blocks(pairs.low.length, n, m);
  const meat = withMeat ? new Blocks(pairs.low.length, n, m) : null;
  const { a, b, scoreA, weight } = battles;
  const { rowPair } = pairs;
  const [b0, b1, b2, b3] = [theta[n] as number, theta[n + 1] as number, theta[n + 2] as number, theta[n + 3] as number];
  let loss = 0;
  let g0 = 0;
  let g1 = 0;
  let g2 = 0;
  let g3 = 0;
  for (let k = 0; k < a.length; k++) {
    const i = a[k] as number;
    const j = b[k] as number;
    const w = weight ? (weight[k] as number) : 1;
    const y = scoreA[k] as number;
    const x0 = x[4 * k] as number;
    const x1 = x[4 * k + 1] as number;
    const x2 = x[4 * k + 2] as number;
    const x3 = x[4 * k + 3] as number;
    const z = LN10 * ((theta[i] as number) - (theta[j] as number)) + x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
    const e = Math.exp(-Math.abs(z));
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    loss += w * ((z > 0 ? z : 0) + Math.log1p(e) - y * z);
    const residual = y - p;
    const g = -w * residual;
    gradient[i] = (gradient[i] as number) + LN10 * g;
    gradient[j] = (gradient[j] as number) - LN10 * g;
    g0 += g * x0;
    g1 += g * x1;
    g2 += g * x2;
    g3 += g * x3;
    const q = rowPair[k] as number;
    addBattle(hessian, q, i, j, x0, x1, x2, x3, w * p * (1 - p));
    // w identical battles: w outer products of the same score
    if (meat) addBattle(meat, q, i, j, x0, x1, x2, x3, w * residual * residual);
  }
  gradient.set([g0, g1, g2, g3], n);
  const matrix = symmetricFeatures(hessian, m).matrix(pairs, n, m);
  let penalty = 0;
  for (let q = 0; q < d; q++) {
    penalty += (theta[q] as number) ** 2;
    gradient[q] = (gradient[q] as number) + STYLE_PENALTY * (theta[q] as number);
    matrix[q * d + q] = (matrix[q * d + q] as number) + STYLE_PENALTY;
  }
  return { loss: loss + 0.5 * STYLE_PENALTY * penalty, gradient, hessian: matrix, meat: meat ? symmetricFeatures(meat, m).matrix(pairs, n, m) : null };
}

/** Adds weight·u·uᵀ-shaped terms of one battle (pair q, subjects i and j, features x0..x3), on and above the feature diagonal. */
function addBattle(blocks: Blocks, q: number, i: number, j: number, x0: number, x1: number, x2: number, x3: number, weight: number): void {
  const { pair, cross, features } = blocks;
  pair[q] = (pair[q] as number) + weight;
  const c0 = weight * x0;
  const c1 = weight * x1;
  const c2 = weight * x2;
  const c3 = weight * x3;
  cross[4 * i] = (cross[4 * i] as number) + c0;
  cross[4 * i + 1] = (cross[4 * i + 1] as number) + c1;
  cross[4 * i + 2] = (cross[4 * i + 2] as number) + c2;
  cross[4 * i + 3] = (cross[4 * i + 3] as number) + c3;
  cross[4 * j] = (cross[4 * j] as number) - c0;
  cross[4 * j + 1] = (cross[4 * j + 1] as number) - c1;
  cross[4 * j + 2] = (cross[4 * j + 2] as number) - c2;
  cross[4 * j + 3] = (cross[4 * j + 3] as number) - c3;
  features[0] = (features[0] as number) + c0 * x0;
  features[1] = (features[1] as number) + c0 * x1;
  features[2] = (features[2] as number) + c0 * x2;
  features[3] = (features[3] as number) + c0 * x3;
  features[5] = (features[5] as number) + c1 * x1;
  features[6] = (features[6] as number) + c1 * x2;
  features[7] = (features[7] as number) + c1 * x3;
  features[10] = (features[10] as number) + c2 * x2;
  features[11] = (features[11] as number) + c2 * x3;
  features[15] = (features[15] as number) + c3 * x3;
}

/** The feature block was summed on and above its diagonal; copies it below. */
function symmetricFeatures(blocks: Blocks, m: number): Blocks {
  for (let f = 0; f < m; f++) for (let g = f + 1; g < m; g++) blocks.features[g * m + f] = blocks.features[f * m + g] as number;
  return blocks;
}

export interface StyleFit {
  /** strengths (log10 units, mean 0 by the penalty) then the coefficients */
  readonly theta: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** sandwich covariance of θ, row-major (n + m)²; null when the Hessian is not positive definite */
  readonly covariance: Float64Array | null;
}

export interface StyleFitOptions {
  /** starting strengths (e.g. the plain Bradley–Terry MLE), log10 units */
  readonly start?: Float64Array;
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

export function fitStyleControl(battles: StyleBattles, design: StyleDesign, options: StyleFitOptions = {}): StyleFit {
  const n = battles.subjects.length;
  const d = n + design.m;
  // Newton converges quadratically: after a step below 1e-7 the next would be of order 1e-14
  const tolerance = options.tolerance ?? 1e-7;
  const maxIterations = options.maxIterations ?? 50;
  const theta = new Float64Array(d);
  if (options.start) theta.set(options.start.subarray(0, n));
  const pairs = pairIndex(battles);
  let pass = accumulate(battles, design, pairs, theta, false);
  let lastStep = Infinity;
  const step = new Float64Array(d);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const atTheta = pass;
    const factor = Float64Array.from(pass.hessian);
    if (!choleskyInPlace(factor, d)) return { theta, iterations: iteration, converged: false, covariance: null };
    choleskySolve(factor, d, pass.gradient, step);
    let largest = 0;
    for (const value of step) largest = Math.max(largest, Math.abs(value));
    if (largest < tolerance) {
      // θ moves by less than the tolerance from here: the sandwich at θ is the sandwich at the solution
      theta.forEach((value, q) => (theta[q] = value - (step[q] as number)));
      return { theta, iterations: iteration, converged: true, covariance: atTheta.meat ? sandwichFrom(atTheta.hessian, atTheta.meat, d) : sandwich(battles, design, pairs, theta) };
    }
    // near the solution (Newton's steps shrink quadratically), the next pass also sums the sandwich's meat
    const nearlyDone = largest < 1e-3 && lastStep < 1e-1;
    let scale = 1;
    let trial = theta;
    let next = pass;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      trial = theta.map((value, q) => value - scale * (step[q] as number));
      next = accumulate(battles, design, pairs, trial, nearlyDone && halving === 0);
      if (next.loss <= pass.loss + 1e-12 * Math.abs(pass.loss)) break;
    }
    theta.set(trial);
    pass = next;
    lastStep = largest * scale;
  }
  return { theta, iterations: maxIterations, converged: false, covariance: sandwich(battles, design, pairs, theta) };
}

/** V = H⁻¹BH⁻¹ at θ. */
function sandwich(battles: StyleBattles, design: StyleDesign, pairs: PairIndex, theta: Float64Array): Float64Array | null {
  const d = battles.subjects.length + design.m;
  const { hessian, meat } = accumulate(battles, design, pairs, theta, true);
  return meat ? sandwichFrom(hessian, meat, d) : null;
}

function sandwichFrom(bread: Float64Array, meat: Float64Array, d: number): Float64Array | null {
  const hessian = Float64Array.from(bread);
  if (!choleskyInPlace(hessian, d)) return null;
  const inverse = new Float64Array(d * d);
  const unit = new Float64Array(d);
  const column = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    unit.fill(0);
    unit[c] = 1;
    choleskySolve(hessian, d, unit, column);
    for (let i = 0; i < d; i++) inverse[i * d + c] = column[i] as number;
  }
  return multiply(multiply(inverse, meat, d), inverse, d);
}

function multiply(left: Float64Array, right: Float64Array, d: number): Float64Array {
  const product = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const value = left[i * d + k] as number;
      if (value === 0) continue;
      for (let j = 0; j < d; j++) product[i * d + j] = (product[i * d + j] as number) + value * (right[k * d + j] as number);
    }
  }
  return product;
}
