/** Dense symmetric positive-definite solves on row-major Float64Arrays (n ≤ a few hundred). */

/** Cholesky factorisation in place (lower triangle holds L); false when the matrix is not positive definite. */
export function choleskyInPlace(matrix: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let diagonal = matrix[rowJ + j] ?? 0;
    for (let k = 0; k < j; k++) {
      const value = matrix[rowJ + k] ?? 0;
      diagonal -= value * value;
    }
    if (!(diagonal > 0)) return false;
    const pivot = Math.sqrt(diagonal);
    matrix[rowJ + j] = pivot;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let sum = matrix[rowI + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (matrix[rowI + k] ?? 0) * (matrix[rowJ + k] ?? 0);
      matrix[rowI + j] = sum / pivot;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = rhs for x, given the factor from choleskyInPlace. */
export function choleskySolve(factor: Float64Array, n: number, rhs: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let sum = rhs[i] ?? 0;
    const row = i * n;
    for (let k = 0; k < i; k++) sum -= (factor[row + k] ?? 0) * (out[k] ?? 0);
    out[i] = sum / (factor[row + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = out[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (factor[k * n + i] ?? 0) * (out[k] ?? 0);
    out[i] = sum / (factor[i * n + i] ?? 1);
  }
  return out;
}

/** A⁻¹ from A's factor (choleskyInPlace), one solve a column: for when many solves follow, each then one product. */
export function choleskyInverse(factor: Float64Array, n: number): Float64Array {
  const inverse = new Float64Array(n * n);
  const unit = new Float64Array(n);
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    unit.fill(0);
    unit[c] = 1;
    choleskySolve(factor, n, unit, column);
    for (let i = 0; i < n; i++) inverse[i * n + c] = column[i] as number;
  }
  return inverse;
}

/** out = M·x for an n×n row-major M, four rows at a time: each x[k] read once for four independent sums. */
export function multiplyInto(matrix: Float64Array, n: number, x: Float64Array, out: Float64Array): void {
  const quads = n - (n % 4);
  let i = 0;
  for (; i < quads; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < n; k++) {
      const xk = x[k] as number;
      s0 += (matrix[r0 + k] as number) * xk;
      s1 += (matrix[r1 + k] as number) * xk;
      s2 += (matrix[r2 + k] as number) * xk;
      s3 += (matrix[r3 + k] as number) * xk;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < n; i++) {
    const row = i * n;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += (matrix[row + k] as number) * (x[k] as number);
    out[i] = sum;
  }
}
