/**
 * Closed-form (sandwich) intervals for Bradley–Terry, the alternative to the bootstrap.
 *
 * V = H⁺ B H⁺, in log10 units of strength, where
 * - H is the observed information (Hessian of the negative log-likelihood) at the MLE:
 *   per row, ln10²·n·p·(1 − p) on ±(e_a − e_b)(e_a − e_b)ᵀ;
 * - B, the "meat", sums the outer products of the score of every single judgment, since the
 *   bootstrap resamples judgments (one multinomial over every outcome cell): a win for a scores
 *   y = 1, a win for b y = 0, a tie or both_bad y = ½, each contributing ln10²·(y − p)² on the same
 *   ±(e_a − e_b)(e_a − e_b)ᵀ pattern;
 * - the identifiability constraint is the sum-to-zero one: H has the null direction 1 (adding a
 *   constant to every strength), so H⁺ is taken as (H + c·11ᵀ)⁻¹, which on vectors summing to 0
 *   (every score of B and every contrast) is exactly the Moore–Penrose inverse. V is then the
 *   covariance of the mean-centred strengths, and any contrast cᵀr (Σc = 0) has variance cᵀVc.
 * Without ties, a model that fits the counts exactly (two subjects, one row) gives B = H, so the
 * sandwich equals the model-based variance H⁺.
 */
import { factoredHessian } from "./bt.ts";
import type { BtProblem } from "./bt.ts";
import { choleskyInverse } from "./linalg.ts";

const LN10 = Math.LN10;

/** The 97.5 % standard normal quantile: a 95 % interval is estimate ± Z_95 · SE. */
export const Z_95 = 1.959963984540054;

/** Per problem row, judgments by kind: wins of a, wins of b, and draws (tie or both_bad, half a win each side). */
export interface BtRowOutcomes {
  readonly winsA: Float64Array;
  readonly winsB: Float64Array;
  readonly draws: Float64Array;
}

/** The sandwich covariance H⁺BH⁺ (row-major n×n, log10 units) of the centred strengths at r; null when H is singular. */
export function sandwichCovariance(problem: BtProblem, outcomes: BtRowOutcomes, r: Float64Array): Float64Array | null {
  const n = problem.n;
  const factor = factoredHessian(problem, r);
  if (!factor) return null;
  const inverse = choleskyInverse(factor, n);
  const meat = judgmentScoreOuterProducts(problem, outcomes, r);
  return multiplySquare(multiplySquare(inverse, meat, n), inverse, n);
}

/**
 * Standard errors (log10 units) of each strength relative to what is reported: r_i − r_reference
 * when reference ≥ 0 (the reference's own is 0), else r_i − mean(r).
 */
export function contrastStandardErrors(covariance: Float64Array, n: number, reference: number): Float64Array {
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = covariance[i * n + i] ?? 0;
    const variance = reference < 0 ? own : own + (covariance[reference * n + reference] ?? 0) - 2 * (covariance[i * n + reference] ?? 0);
    errors[i] = Math.sqrt(Math.max(variance, 0));
  }
  return errors;
}

/**
 * contrastStandardErrors(sandwichCovariance(…)) without forming V: B is a sum of row patterns
 * w_k·(e_a − e_b)(e_a − e_b)ᵀ, so V = Σ_k w_k·(h_a − h_b)(h_a − h_b)ᵀ with h_x the columns of H⁺ (symmetric, so
 * its rows), and only V's diagonal and the reference's column are read: one pass over the rows, O(rows·n),
 * instead of two n×n products. Null when H is singular.
 */
export function sandwichContrastErrors(problem: BtProblem, outcomes: BtRowOutcomes, r: Float64Array, reference: number): Float64Array | null {
  const n = problem.n;
  const factor = factoredHessian(problem, r);
  if (!factor) return null;
  const inverse = choleskyInverse(factor, n);
  const diagonal = new Float64Array(n);
  const withReference = new Float64Array(n);
  const difference = new Float64Array(n);
  for (let k = 0; k < problem.a.length; k++) {
    const a = problem.a[k] ?? 0;
    const b = problem.b[k] ?? 0;
    const w = LN10 * LN10 * rowSquaredResiduals(outcomes, k, (r[a] ?? 0) - (r[b] ?? 0));
    if (w === 0) continue;
    for (let i = 0; i < n; i++) {
      const d = (inverse[a * n + i] as number) - (inverse[b * n + i] as number);
      difference[i] = d;
      diagonal[i] = (diagonal[i] as number) + w * d * d;
    }
    if (reference < 0) continue;
    const atReference = w * (difference[reference] ?? 0);
    for (let i = 0; i < n; i++) withReference[i] = (withReference[i] as number) + atReference * (difference[i] as number);
  }
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = diagonal[i] ?? 0;
    const variance = reference < 0 ? own : own + (diagonal[reference] ?? 0) - 2 * (withReference[i] ?? 0);
    errors[i] = Math.sqrt(Math.max(variance, 0));
  }
  return errors;
}

/** Σ over the row's judgments of (y − p)², p = P(a beats b) at the strength difference `gap`. */
function rowSquaredResiduals(outcomes: BtRowOutcomes, k: number, gap: number): number {
  const p = 1 / (1 + Math.exp(-LN10 * gap));
  return (outcomes.winsA[k] ?? 0) * (1 - p) ** 2 + (outcomes.winsB[k] ?? 0) * p ** 2 + (outcomes.draws[k] ?? 0) * (0.5 - p) ** 2;
}

/** B = Σ over judgments of score·scoreᵀ, grouped by row and outcome kind. */
function judgmentScoreOuterProducts(problem: BtProblem, outcomes: BtRowOutcomes, r: Float64Array): Float64Array {
  const n = problem.n;
  const meat = new Float64Array(n * n);
  for (let k = 0; k < problem.a.length; k++) {
    const i = problem.a[k] ?? 0;
    const j = problem.b[k] ?? 0;
    addPairPattern(meat, n, i, j, LN10 * LN10 * rowSquaredResiduals(outcomes, k, (r[i] ?? 0) - (r[j] ?? 0)));
  }
  return meat;
}

/** Adds w·(e_i − e_j)(e_i − e_j)ᵀ. */
function addPairPattern(matrix: Float64Array, n: number, i: number, j: number, w: number): void {
  matrix[i * n + i] = (matrix[i * n + i] ?? 0) + w;
  matrix[j * n + j] = (matrix[j * n + j] ?? 0) + w;
  matrix[i * n + j] = (matrix[i * n + j] ?? 0) - w;
  matrix[j * n + i] = (matrix[j * n + i] ?? 0) - w;
}


function multiplySquare(left: Float64Array, right: Float64Array, n: number): Float64Array {
  const product = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const value = left[i * n + k] ?? 0;
      if (value === 0) continue;
      for (let j = 0; j < n; j++) product[i * n + j] = (product[i * n + j] ?? 0) + value * (right[k * n + j] ?? 0);
    }
  }
  return product;
}

/**
 * 95 % bounds on the reported scale for one component: ratings (already anchored) ± Z_95 · 400 · SE,
 * SE relative to the anchor's local index (≥ 0) or to the component mean (< 0); null when H is singular.
 */
export function sandwichBounds(problem: BtProblem, outcomes: BtRowOutcomes, r: Float64Array, anchorLocal: number, ratings: Float64Array): [number, number][] | null {
  const errors = sandwichContrastErrors(problem, outcomes, r, anchorLocal);
  if (!errors) return null;
  return Array.from(ratings, (rating, i) => {
    const halfWidth = Z_95 * 400 * (errors[i] ?? 0);
    return [rating - halfWidth, rating + halfWidth];
  });
}
