/**
 * Bradley–Terry as Chatbot Arena computes it: maximum likelihood, no penalty, on the logistic loss of
 * ln10·(r_a − r_b), ties half a win to each side. Newton's method with a backtracking line search;
 * the Hessian's null direction (adding a constant) is closed by adding c·11ᵀ, which keeps Σr = 0.
 */
import { choleskyInPlace, choleskySolve } from "./linalg.ts";

const LN10 = Math.LN10;

/** One connected problem: local subject indices 0..n-1, one entry per pair row. */
export interface BtProblem {
  readonly n: number;
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly winsA: Float64Array;
  readonly winsB: Float64Array;
}

export interface BtFit {
  /** strengths in log10 units, mean 0; R = 400·r + 1000 */
  readonly r: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface BtFitOptions {
  readonly start?: Float64Array;
  readonly tolerance?: number;
  readonly maxIterations?: number;
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** The negative log-likelihood at r. */
export function btLoss(problem: BtProblem, r: Float64Array): number {
  let loss = 0;
  for (let k = 0; k < problem.a.length; k++) {
    const z = LN10 * ((r[problem.a[k] ?? 0] ?? 0) - (r[problem.b[k] ?? 0] ?? 0));
    loss += (problem.winsA[k] ?? 0) * softplus(-z) + (problem.winsB[k] ?? 0) * softplus(z);
  }
  return loss;
}

/** Gradient of the loss into `gradient`; with `hessian`, also the Hessian plus c·11ᵀ (row-major n×n). */
export function btDerivatives(problem: BtProblem, r: Float64Array, gradient: Float64Array, hessian?: Float64Array): void {
  const n = problem.n;
  gradient.fill(0);
  if (hessian) hessian.fill(0);
  for (let k = 0; k < problem.a.length; k++) {
    const i = problem.a[k] ?? 0;
    const j = problem.b[k] ?? 0;
    const winsA = problem.winsA[k] ?? 0;
    const total = winsA + (problem.winsB[k] ?? 0);
    const p = 1 / (1 + Math.exp(-LN10 * ((r[i] ?? 0) - (r[j] ?? 0))));
    const g = -LN10 * (winsA - total * p);
    gradient[i] = (gradient[i] ?? 0) + g;
    gradient[j] = (gradient[j] ?? 0) - g;
    if (hessian) {
      const w = LN10 * LN10 * total * p * (1 - p);
      hessian[i * n + i] = (hessian[i * n + i] ?? 0) + w;
      hessian[j * n + j] = (hessian[j * n + j] ?? 0) + w;
      hessian[i * n + j] = (hessian[i * n + j] ?? 0) - w;
      hessian[j * n + i] = (hessian[j * n + i] ?? 0) - w;
    }
  }
  if (hessian) closeNullDirection(hessian, n);
}

function closeNullDirection(hessian: Float64Array, n: number): void {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += hessian[i * n + i] ?? 0;
  const shift = Math.max(trace / (n * n), 1e-12);
  for (let k = 0; k < n * n; k++) hessian[k] = (hessian[k] ?? 0) + shift;
}

/** Re-centres strengths to mean 0. */
export function centre(r: Float64Array): Float64Array {
  let mean = 0;
  for (const value of r) mean += value;
  mean /= r.length || 1;
  for (let i = 0; i < r.length; i++) r[i] = (r[i] ?? 0) - mean;
  return r;
}

/** The maximum-likelihood strengths of one connected problem. */
export function fitBradleyTerry(problem: BtProblem, options: BtFitOptions = {}): BtFit {
  const n = problem.n;
  const tolerance = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 100;
  const r = centre(options.start ? Float64Array.from(options.start) : new Float64Array(n));
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  let loss = btLoss(problem, r);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    btDerivatives(problem, r, gradient, hessian);
    if (!choleskyInPlace(hessian, n)) return { r, iterations: iteration, converged: false };
    choleskySolve(hessian, n, gradient, step);
    let scale = 1;
    let trialLoss = Infinity;
    for (let halving = 0; halving < 40; halving++, scale /= 2) {
      for (let i = 0; i < n; i++) trial[i] = (r[i] ?? 0) - scale * (step[i] ?? 0);
      trialLoss = btLoss(problem, trial);
      if (trialLoss <= loss + 1e-12 * Math.abs(loss)) break;
    }
    r.set(trial);
    loss = trialLoss;
    if (maxAbs(step) * scale < tolerance) return { r: centre(r), iterations: iteration, converged: true };
  }
  return { r: centre(r), iterations: maxIterations, converged: false };
}

/**
 * Refits a resampled problem from a nearby solution with a fixed, pre-factored Hessian (a chord
 * method: cheap iterations, linear convergence). Returns false when it does not converge.
 */
export function refitWithFixedHessian(problem: BtProblem, factor: Float64Array, r: Float64Array, tolerance: number, maxIterations: number): boolean {
  const n = problem.n;
  const gradient = new Float64Array(n);
  const step = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    btDerivatives(problem, r, gradient);
    choleskySolve(factor, n, gradient, step);
    for (let i = 0; i < n; i++) r[i] = (r[i] ?? 0) - (step[i] ?? 0);
    const size = maxAbs(step);
    if (!Number.isFinite(size)) return false;
    if (size < tolerance) return true;
  }
  return false;
}

/** The factored (Hessian + c·11ᵀ) at r, for refitWithFixedHessian; null when not positive definite. */
export function factoredHessian(problem: BtProblem, r: Float64Array): Float64Array | null {
  const hessian = new Float64Array(problem.n * problem.n);
  btDerivatives(problem, r, new Float64Array(problem.n), hessian);
  return choleskyInPlace(hessian, problem.n) ? hessian : null;
}

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}

/** Arena's scale: R = 400·r + 1000. */
export function toRating(r: number): number {
  return 400 * r + 1000;
}

/** P(i beats j) under BT for ratings on Arena's scale, for every pair. */
export function predictedWinProbabilities(ratings: readonly number[]): number[][] {
  return ratings.map((ri) => ratings.map((rj) => 1 / (1 + Math.pow(10, (rj - ri) / 400))));
}
