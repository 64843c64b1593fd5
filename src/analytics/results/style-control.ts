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
import { choleskyInPlace, choleskyInverse, choleskySolve } from "./linalg.ts";
import { STYLE_FEATURES } from "./style-features.ts";
import type { StyleFeature } from "./style-features.ts";
import { accumulate, pairIndex, type PairIndex, type StyleBattles, type StyleDesign } from "./style-control-pass.ts";
import { ResultsError } from "./types.ts";
import type { ParameterValue, RuleResult, SubjectResult } from "./types.ts";

/** Within this distance (log10 units, 0.04 rating points) of the solution, the sandwich is taken where θ is: it moves the standard errors by about as little, relatively. */
const SANDWICH_REUSE = 1e-4;

export type { StyleBattles, StyleDesign };

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

export function styleDesign(battles: StyleBattles): StyleDesign {
  const rows = battles.a.length;
  const m = STYLE_FEATURES.length;
  const features = new Float64Array(rows * m);
  const means: number[] = [];
  const deviations: number[] = [];
  const varies: boolean[] = [];
  const weight = battles.weight;
  let totalWeight = rows;
  if (weight) {
    totalWeight = 0;
    for (let k = 0; k < rows; k++) totalWeight += weight[k] as number;
  }
  const sums = new Float64Array(m);
  const squares = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    const sideA = battles.styleA[f];
    const sideB = battles.styleB[f];
    if (!sideA || !sideB || sideA.length !== rows || sideB.length !== rows) throw new ResultsError("invalid_input", `style feature ${STYLE_FEATURES[f]} needs one count per battle for each side`);
    let sum = 0;
    let square = 0;
    for (let k = 0; k < rows; k++) {
      const x = sideA[k] as number;
      const y = sideB[k] as number;
      const d = (x - y) / (x + y + 1);
      features[k * m + f] = d;
      const w = weight ? (weight[k] as number) : 1;
      sum += w * d;
      square += w * d * d;
    }
    sums[f] = sum;
    squares[f] = square;
  }
  // |d| < 1, so Σd² − (Σd)²/W loses nothing that matters to the z-scores
  const shift = new Float64Array(m);
  const inverse = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    const mean = (sums[f] as number) / totalWeight;
    const deviation = Math.sqrt(Math.max(0, (squares[f] as number) / totalWeight - mean * mean));
    const usable = deviation > 1e-12;
    shift[f] = mean;
    inverse[f] = usable ? 1 / deviation : 0;
    means.push(mean);
    deviations.push(deviation);
    varies.push(usable);
  }
  for (let k = 0; k < rows * m; k += m) {
    for (let f = 0; f < m; f++) features[k + f] = ((features[k + f] as number) - (shift[f] as number)) * (inverse[f] as number);
  }
  return { features, m, varies, means, deviations };
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
  // Newton converges quadratically: after a step below 1e-7 the next would be of order 1e-14; the fit stops once θ is
  // estimated to be within the tolerance, which near the solution is one pass before the step itself falls below it
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
    // Newton's steps shrink quadratically near the solution, s′ ≈ C·s² with C ≈ s/s_prev²: after this step θ is about
    // s³/s_prev² from the solution (with s_prev the last full step)
    const left = lastStep < 1e-1 ? largest ** 3 / lastStep ** 2 : Infinity;
    if (largest < tolerance || (largest < SANDWICH_REUSE && left < tolerance && atTheta.meat)) {
      // the sandwich at θ (less than SANDWICH_REUSE from the solution) stands for the sandwich at the solution
      theta.forEach((value, q) => (theta[q] = value - (step[q] as number)));
      return { theta, iterations: iteration, converged: true, covariance: atTheta.meat ? sandwichFrom(atTheta.hessian, atTheta.meat, d) : sandwich(battles, design, pairs, theta) };
    }
    // the next step will likely be the last: the next pass also sums the sandwich's meat
    const nearlyDone = left < SANDWICH_REUSE;
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
    lastStep = scale === 1 ? largest : Infinity;
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
  const factor = Float64Array.from(bread);
  if (!choleskyInPlace(factor, d)) return null;
  const inverse = choleskyInverse(factor, d);
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
