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
