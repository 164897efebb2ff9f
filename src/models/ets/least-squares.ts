// Ordinary least squares for the few small regressions of the initial-state heuristic
// (a line through the first values; a line plus one Fourier pair for short seasonal series).

/**
 * Coefficients of y ≈ X·β for the columns of X (each of length n), by Householder QR: stable
 * where the normal equations lose digits (a trend column next to an intercept).
 */
export function leastSquares(columns: Float64Array[], y: Float64Array): Float64Array {
  const p = columns.length;
  const n = y.length;
  const a = columns.map((c) => Float64Array.from(c));
  const r = Float64Array.from(y);
  for (let j = 0; j < p; j++) {
    const col = a[j];
    let norm = 0;
    for (let i = j; i < n; i++) norm += col[i] * col[i];
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = col[j] > 0 ? -norm : norm;
    // v = col[j..] − alpha·e_j, reflected onto every later column and onto y
    const v = new Float64Array(n);
    for (let i = j; i < n; i++) v[i] = col[i];
    v[j] -= alpha;
    let vv = 0;
    for (let i = j; i < n; i++) vv += v[i] * v[i];
    if (vv === 0) continue;
    const reflect = (x: Float64Array): void => {
      let dot = 0;
      for (let i = j; i < n; i++) dot += v[i] * x[i];
      const f = (2 * dot) / vv;
      for (let i = j; i < n; i++) x[i] -= f * v[i];
    };
    for (let k = j; k < p; k++) reflect(a[k]);
    reflect(r);
  }
  const beta = new Float64Array(p);
  for (let j = p - 1; j >= 0; j--) {
    let s = r[j];
    for (let k = j + 1; k < p; k++) s -= a[k][j] * beta[k];
    beta[j] = a[j][j] === 0 ? 0 : s / a[j][j];
  }
  return beta;
}

/** Intercept and slope of the line through (1, y0), (2, y1), … (R's lsfit(1:n, y)). */
export function lineFit(y: Float64Array): { intercept: number; slope: number } {
  const n = y.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += i + 1;
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = i + 1 - meanX;
    sxy += dx * (y[i] - meanY);
    sxx += dx * dx;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { intercept: meanY - slope * meanX, slope };
}
