/** One Bradley–Terry problem over every subject from collapsed pair rows, and its maximum-likelihood fit. */
import { fitBradleyTerry, refitWithFixedHessian, type BtProblem } from "./bt.ts";
import { comparisonComponents, rowWinShares } from "./pairs.ts";
import type { PairRow } from "./types.ts";

/**
 * The problem over all `subjectCount` subjects (ties half a win each side). `priorTies` adds that many virtual
 * ties to every row, which keeps the maximum-likelihood estimate finite when one side never wins a pair.
 */
export function problemFromRows(subjectCount: number, rows: readonly PairRow[], priorTies = 0): BtProblem {
  const prior = 0.5 * priorTies;
  return {
    n: subjectCount,
    a: Int32Array.from(rows, (row) => row.a),
    b: Int32Array.from(rows, (row) => row.b),
    winsA: Float64Array.from(rows, (row) => rowWinShares(row).a + prior),
    winsB: Float64Array.from(rows, (row) => rowWinShares(row).b + prior),
  };
}

/** Whether every subject is compared, directly or not, with every other (one connected comparison graph). */
export function isConnected(subjectCount: number, rows: readonly PairRow[]): boolean {
  const components = comparisonComponents(subjectCount, rows);
  return components.length === 1 && (components[0]?.length ?? 0) === subjectCount;
}

/** Strengths in log10 units (mean 0); null when Newton does not converge. */
export function fitStrengths(problem: BtProblem, start?: Float64Array): Float64Array | null {
  const fit = fitBradleyTerry(problem, start ? { start } : {});
  return fit.converged && fit.r.every(Number.isFinite) ? fit.r : null;
}

/**
 * The strengths of a problem near a known fit (a resample, or a few votes added): first by chord iterations with
 * that fit's factored Hessian (cheap, and most such problems stay near it), else by Newton from the fit. Both stop
 * at the same maximum.
 */
export function refitNear(problem: BtProblem, fit: Float64Array, factor: Float64Array | null): Float64Array | null {
  if (factor) {
    const r = Float64Array.from(fit);
    if (refitWithFixedHessian(problem, factor, r, 1e-12, 200)) return r;
  }
  return fitStrengths(problem, fit);
}
