/**
 * The little dense linear algebra the ARIMA fit needs: a linear solve (the autocovariance
 * equations of stationary-covariance.ts), and the inverse of a small Hessian, refused
 * the way R's solve() refuses it (exactly singular, or a reciprocal condition number below
 * machine epsilon), because auto.arima treats such a fit as failed.
 */

const MACHINE_EPSILON = 2.220446049250313e-16;

/** The row at or below `col` with the largest entry in column `col` (partial pivoting). */
function pivotRow(a: Float64Array, n: number, col: number): { row: number; size: number } {
  let row = col;
  let size = Math.abs(a[col * n + col]);
  for (let r = col + 1; r < n; r++) {
    const v = Math.abs(a[r * n + col]);
    if (v > size) {
      size = v;
      row = r;
    }
  }
  return { row, size };
}

/** Gaussian elimination with partial pivoting on A (n x n, row-major, destroyed); the solution is left in b. False when singular. */
export function solveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  for (let col = 0; col < n; col++) {
    const { row: pivot, size } = pivotRow(A, n, col);
    if (!(size > 1e-300)) return false;
    if (pivot !== col) {
      for (let k = col; k < n; k++) {
        const t = A[col * n + k];
        A[col * n + k] = A[pivot * n + k];
        A[pivot * n + k] = t;
      }
      const t = b[col];
      b[col] = b[pivot];
      b[pivot] = t;
    }
    const diag = A[col * n + col];
    for (let row = col + 1; row < n; row++) {
      const f = A[row * n + col] / diag;
      if (f === 0) continue;
      for (let k = col; k < n; k++) A[row * n + k] -= f * A[col * n + k];
      b[row] -= f * b[col];
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    let v = b[row];
    for (let k = row + 1; k < n; k++) v -= A[row * n + k] * b[k];
    b[row] = v / A[row * n + row];
  }
  return true;
}

/** Inverse of the n x n row-major matrix A, or null when R's solve() would stop with an error. */
export function invertLikeR(A: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    const { row: pivot, size: best } = pivotRow(a, n, col);
    if (best === 0 || !Number.isFinite(best)) return null;
    if (pivot !== col) {
      for (let k = 0; k < n; k++) {
        let t = a[col * n + k];
        a[col * n + k] = a[pivot * n + k];
        a[pivot * n + k] = t;
        t = inv[col * n + k];
        inv[col * n + k] = inv[pivot * n + k];
        inv[pivot * n + k] = t;
      }
    }
    const d = a[col * n + col];
    for (let k = 0; k < n; k++) {
      a[col * n + k] /= d;
      inv[col * n + k] /= d;
    }
    for (let row = 0; row < n; row++) {
      if (row === col) continue;
      const f = a[row * n + col];
      if (f === 0) continue;
      for (let k = 0; k < n; k++) {
        a[row * n + k] -= f * a[col * n + k];
        inv[row * n + k] -= f * inv[col * n + k];
      }
    }
  }
  const rcond = 1 / (norm1(A, n) * norm1(inv, n));
  if (!(rcond >= MACHINE_EPSILON)) return null;
  return inv;
}

function norm1(A: Float64Array, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(A[i * n + j]);
    best = Math.max(best, s);
  }
  return best;
}
