/**
 * A plain TypeScript statement of the bootstrap's chord refit (bt-bootstrap.ts, bt-chord-kernel.ts), as a test oracle
 * for the WebAssembly kernel: the rescaled chord iteration with the inverse Hessian at the MLE, in ordinary loops and
 * a row-by-row matrix-vector product.
 */
import { choleskyInverse } from "../../src/analytics/results/linalg.ts";
import { centre, factoredHessian, type BtProblem } from "../../src/analytics/results/bt.ts";

/** The chord refit of one resample (cells: wins of a, wins of b, draws per row), from the MLE; null when it fails. */
export function chordReference(problem: BtProblem, mle: Float64Array, cells: Float64Array, tolerance = 1e-6, maxSteps = 60): Float64Array | null {
  const { n, a, b } = problem;
  const rows = a.length;
  const factor = factoredHessian(problem, mle);
  if (!factor) return null;
  const inverse = choleskyInverse(factor, n);
  const p = (i: number, j: number, r: Float64Array): number => 1 / (1 + 10 ** ((r[j] as number) - (r[i] as number)));
  const wins = new Float64Array(n);
  const totals = new Float64Array(rows);
  const fullDiagonal = new Float64Array(n);
  const diagonal = new Float64Array(n);
  for (let k = 0; k < rows; k++) {
    const i = a[k] as number;
    const j = b[k] as number;
    const curvature = p(i, j, mle) * (1 - p(i, j, mle));
    const half = 0.5 * (cells[3 * k + 2] as number);
    totals[k] = (cells[3 * k] as number) + (cells[3 * k + 1] as number) + 2 * half;
    wins[i] = (wins[i] as number) + (cells[3 * k] as number) + half;
    wins[j] = (wins[j] as number) + (cells[3 * k + 1] as number) + half;
    const full = ((problem.winsA[k] as number) + (problem.winsB[k] as number)) * curvature;
    fullDiagonal[i] = (fullDiagonal[i] as number) + full;
    fullDiagonal[j] = (fullDiagonal[j] as number) + full;
    diagonal[i] = (diagonal[i] as number) + (totals[k] as number) * curvature;
    diagonal[j] = (diagonal[j] as number) + (totals[k] as number) * curvature;
  }
  const scale = fullDiagonal.map((full, i) => {
    const ratio = Math.sqrt(full / (diagonal[i] as number));
    return ratio > 0 && ratio < Infinity ? ratio : 1;
  });
  const r = Float64Array.from(mle);
  let previous = Infinity;
  for (let step = 0; step < maxSteps; step++) {
    const expected = new Float64Array(n);
    for (let k = 0; k < rows; k++) {
      const i = a[k] as number;
      const j = b[k] as number;
      const won = (totals[k] as number) * p(i, j, r);
      expected[i] = (expected[i] as number) + won;
      expected[j] = (expected[j] as number) + (totals[k] as number) - won;
    }
    const gradient = scale.map((s, i) => -Math.LN10 * s * ((wins[i] as number) - (expected[i] as number)));
    let largest = 0;
    for (let i = 0; i < n; i++) {
      let product = 0;
      for (let k = 0; k < n; k++) product += (inverse[i * n + k] as number) * (gradient[k] as number);
      const move = (scale[i] as number) * product;
      r[i] = (r[i] as number) - move;
      largest = Math.max(largest, Math.abs(move));
    }
    if (!(largest < Infinity)) return null;
    const ratio = previous < Infinity ? largest / previous : 1;
    if (ratio < 0.5 && (largest * ratio) / (1 - ratio) < tolerance) return centre(r);
    previous = largest;
  }
  return null;
}
