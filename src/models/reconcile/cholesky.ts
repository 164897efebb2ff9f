// Dense Cholesky factorisation of small symmetric positive definite blocks (the preconditioner's).

/** Factors the n × n row-major `a` in place into L (lower triangle); false if not positive definite. */
export function choleskyInPlace(a: Float64Array, n: number, offset = 0): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = offset + j * n;
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = offset + i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place in `b` (at bOffset, stride 1) with the factor from choleskyInPlace. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, offset = 0, bOffset = 0): void {
  for (let i = 0; i < n; i++) {
    const row = offset + i * n;
    let s = b[bOffset + i];
    for (let k = 0; k < i; k++) s -= l[row + k] * b[bOffset + k];
    b[bOffset + i] = s / l[row + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[bOffset + i];
    for (let k = i + 1; k < n; k++) s -= l[offset + k * n + i] * b[bOffset + k];
    b[bOffset + i] = s / l[offset + i * n + i];
  }
}
