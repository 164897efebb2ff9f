/**
 * The little dense linear algebra the ARIMA fit needs: the inverse of a small Hessian, refused
 * the way R's solve() refuses it (exactly singular, or a reciprocal condition number below
 * machine epsilon), because auto.arima treats such a fit as failed.
 */

const MACHINE_EPSILON = 2.220446049250313e-16;

/** Inverse of the n x n row-major matrix A, or null when R's solve() would stop with an error. */
export function invertLikeR(A: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(A);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    let best = Math.abs(a[col * n + col]);
    for (let row = col + 1; row < n; row++) {
      const v = Math.abs(a[row * n + col]);
      if (v > best) {
        best = v;
        pivot = row;
      }
    }
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
