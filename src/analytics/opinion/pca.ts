/**
 * Polis-style PCA on the sparse vote matrix, never densified.
 *
 * Polis imputes each missing vote with its column mean and centres the columns, so a missing cell is
 * exactly 0 after centring: the centred matrix X has non-zeros only where votes were cast. The
 * principal components are the top eigenvectors of XᵀX, found by block power (subspace) iteration
 * with Rayleigh–Ritz; each iteration is one pass over the votes (cost ∝ number of votes × block size), or,
 * when there are few statements and many votes, one product with XᵀX formed once.
 * Polis itself runs 100 plain power iterations per component; this iterates until
 * ‖XᵀXv − λv‖ ≤ 1e-10·λ₁ for both components.
 *
 * Warm start (as Polis's `wrapped-pca` with `:start-vectors`): the previous update's components, with 0
 * for statements new since, start the block; the iteration then needs far fewer passes, and each
 * component keeps the previous one's orientation (sign) so that the map does not flip between updates.
 */
import { symmetricEigen } from "./eigen.ts";
import { columnMeans, type VoteMatrix } from "./matrix.ts";
import { seededRandom } from "./prng.ts";

export interface PcaResult {
  readonly center: Float64Array;
  readonly components: readonly [Float64Array, Float64Array];
  readonly eigenvalues: readonly [number, number];
  readonly iterations: number;
}

const BLOCK = 4;
const MAX_ITERATIONS = 3000;
const TOLERANCE = 1e-10;

/** centred value of each stored vote; votes on moderated-out statements are 0 (Polis zeroes the column) */
function centredValues(matrix: VoteMatrix, center: Float64Array): Float64Array {
  const out = new Float64Array(matrix.value.length);
  for (let k = 0; k < out.length; k++) {
    const j = matrix.column[k]!;
    out[k] = matrix.moderatedOut[j] ? 0 : matrix.value[k]! - center[j]!;
  }
  return out;
}

/** W = XᵀX V for a block V of `b` vectors stored one after another; one pass over the votes */
function applyGram(matrix: VoteMatrix, centred: Float64Array, v: Float64Array, b: number): Float64Array {
  const nCols = matrix.statementIds.length;
  const w = new Float64Array(b * nCols);
  const u = new Float64Array(b);
  const nRows = matrix.participantIds.length;
  for (let i = 0; i < nRows; i++) {
    const start = matrix.rowStart[i]!;
    const end = matrix.rowStart[i + 1]!;
    u.fill(0);
    for (let k = start; k < end; k++) {
      const j = matrix.column[k]!;
      const x = centred[k]!;
      for (let r = 0; r < b; r++) u[r]! += x * v[r * nCols + j]!;
    }
    for (let k = start; k < end; k++) {
      const j = matrix.column[k]!;
      const x = centred[k]!;
      for (let r = 0; r < b; r++) w[r * nCols + j]! += u[r]! * x;
    }
  }
  return w;
}

/** XᵀX as a dense n×n matrix: one pass over the votes, each participant's row adding its outer product */
function denseGram(matrix: VoteMatrix, centred: Float64Array): Float64Array {
  const n = matrix.statementIds.length;
  const g = new Float64Array(n * n);
  for (let i = 0; i < matrix.participantIds.length; i++) {
    const start = matrix.rowStart[i]!;
    const end = matrix.rowStart[i + 1]!;
    for (let k = start; k < end; k++) {
      const row = matrix.column[k]! * n;
      const x = centred[k]!;
      for (let l = start; l < end; l++) g[row + matrix.column[l]!]! += x * centred[l]!;
    }
  }
  return g;
}

/** W = G V with G = XᵀX formed once (dense) */
function applyDense(g: Float64Array, v: Float64Array, b: number, n: number): Float64Array {
  const w = new Float64Array(b * n);
  for (let r = 0; r < b; r++) {
    const offset = r * n;
    for (let j = 0; j < n; j++) {
      const row = j * n;
      let sum = 0;
      for (let l = 0; l < n; l++) sum += g[row + l]! * v[offset + l]!;
      w[offset + j] = sum;
    }
  }
  return w;
}

/**
 * Whether forming XᵀX once beats a pass over the votes per iteration, over ten iterations (a cold start takes
 * more, a warm one fewer): few statements and many votes, as on a large evaluation's judgments.
 */
function gramPays(matrix: VoteMatrix, b: number): boolean {
  const n = matrix.statementIds.length;
  let outer = 0;
  for (let i = 0; i < matrix.participantIds.length; i++) outer += (matrix.rowStart[i + 1]! - matrix.rowStart[i]!) ** 2;
  return outer + 10 * n * n * b < 10 * 2 * matrix.value.length * b;
}

/** modified Gram–Schmidt in place; a collapsed vector is replaced by a fresh random one */
function orthonormalise(v: Float64Array, b: number, n: number, random: () => number): void {
  for (let r = 0; r < b; r++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let q = 0; q < r; q++) {
        let dot = 0;
        for (let j = 0; j < n; j++) dot += v[r * n + j]! * v[q * n + j]!;
        for (let j = 0; j < n; j++) v[r * n + j]! -= dot * v[q * n + j]!;
      }
      let norm = 0;
      for (let j = 0; j < n; j++) norm += v[r * n + j]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-10) {
        for (let j = 0; j < n; j++) v[r * n + j]! /= norm;
        break;
      }
      for (let j = 0; j < n; j++) v[r * n + j] = random() - 0.5;
    }
  }
}

/** rotates block V and W = AV onto the Ritz basis; returns the Ritz values */
function rayleighRitz(v: Float64Array, w: Float64Array, b: number, n: number): number[] {
  const h: number[] = new Array<number>(b * b).fill(0);
  for (let p = 0; p < b; p++) {
    for (let q = 0; q < b; q++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += v[p * n + j]! * w[q * n + j]!;
      h[p * b + q] = dot;
    }
  }
  for (let p = 0; p < b; p++) for (let q = 0; q < p; q++) h[p * b + q] = h[q * b + p] = (h[p * b + q]! + h[q * b + p]!) / 2;
  const eig = symmetricEigen(h, b);
  for (const block of [v, w]) {
    const copy = block.slice();
    block.fill(0);
    for (let r = 0; r < b; r++) {
      for (let p = 0; p < b; p++) {
        const s = eig.vectors[r]![p]!;
        for (let j = 0; j < n; j++) block[r * n + j]! += s * copy[p * n + j]!;
      }
    }
  }
  return eig.values;
}

function residual(v: Float64Array, w: Float64Array, r: number, n: number, lambda: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += (w[r * n + j]! - lambda * v[r * n + j]!) ** 2;
  return Math.sqrt(sum);
}

/** flips a component so that its entry of largest magnitude is positive (first such entry on ties) */
export function canonicalSign(component: Float64Array): Float64Array {
  let best = 0;
  for (let j = 1; j < component.length; j++) if (Math.abs(component[j]!) > Math.abs(component[best]!) + 1e-12) best = j;
  if ((component[best] ?? 0) < 0) for (let j = 0; j < component.length; j++) component[j] = -component[j]!;
  return component;
}

/** flips `component` to point the way `previous` does (no change when they are orthogonal) */
function alignSign(component: Float64Array, previous: Float64Array): Float64Array {
  let dot = 0;
  for (let j = 0; j < component.length; j++) dot += component[j]! * (previous[j] ?? 0);
  if (dot < 0) for (let j = 0; j < component.length; j++) component[j] = -component[j]!;
  return dot === 0 ? canonicalSign(component) : component;
}

/** `start`: the previous components on this matrix's columns (0 for new statements), or none */
export function sparsePca(matrix: VoteMatrix, seed: number, start?: readonly [Float64Array, Float64Array]): PcaResult {
  const n = matrix.statementIds.length;
  const center = columnMeans(matrix);
  const centred = centredValues(matrix, center);
  const b = Math.min(BLOCK, n);
  const random = seededRandom(seed);
  const components: [Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n)];
  if (b === 0) return { center, components, eigenvalues: [0, 0], iterations: 0 };
  let v: Float64Array = Float64Array.from({ length: b * n }, () => random() - 0.5);
  if (start) {
    for (let r = 0; r < Math.min(2, b); r++) {
      if (start[r]!.some((x) => x !== 0)) v.set(start[r]!.subarray(0, n), r * n);
    }
  }
  orthonormalise(v, b, n, random);
  const gram = gramPays(matrix, b) ? denseGram(matrix, centred) : null;
  let values: number[] = [];
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const w = gram ? applyDense(gram, v, b, n) : applyGram(matrix, centred, v, b);
    values = rayleighRitz(v, w, b, n);
    const scale = Math.max(values[0] ?? 0, 1e-300);
    const wanted = Math.min(2, b);
    let converged = true;
    for (let r = 0; r < wanted; r++) if (residual(v, w, r, n, values[r]!) > TOLERANCE * scale) converged = false;
    if (converged || (values[0] ?? 0) <= 1e-300) break;
    v = w;
    orthonormalise(v, b, n, random);
  }
  for (let r = 0; r < Math.min(2, b); r++) {
    if ((values[r] ?? 0) > 1e-12 * Math.max(values[0] ?? 0, 1e-300)) {
      const component = v.slice(r * n, (r + 1) * n);
      components[r as 0 | 1] = start ? alignSign(component, start[r]!) : canonicalSign(component);
    }
  }
  return { center, components, eigenvalues: [Math.max(values[0] ?? 0, 0), Math.max(values[1] ?? 0, 0)], iterations };
}
