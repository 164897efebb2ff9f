// The two loess smoothers STL is built from (Cleveland, Cleveland, McRae & Terpenning 1990,
// "STL: A Seasonal-Trend Decomposition Procedure Based on Loess", section 2 and appendix).
// Positions are 1-based as in the paper: point i of a series of n sits at x = i, so the
// seasonal smoother can evaluate one position before the start (x = 0) and one after the end
// (x = n + 1) of each cycle-subseries.

export interface LoessFit {
  value: number;
  ok: boolean;
}

/**
 * Local fit at position xs from the points nleft..nright of y (1-based, y[i − 1] is point i):
 * tricube weights over distance h (widened by (len − n)/2 when the window is longer than the
 * series), times the robustness weights when given; degree 0 is a weighted mean, degree 1 a
 * weighted line. `ok` is false when every weight is zero.
 */
export function loessAt(
  y: Float64Array,
  n: number,
  len: number,
  degree: number,
  xs: number,
  nleft: number,
  nright: number,
  weights: Float64Array,
  robustness: Float64Array | null,
): LoessFit {
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.floor((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let total = 0;
  for (let j = nleft; j <= nright; j++) {
    let w = 0;
    const r = Math.abs(j - xs);
    if (r <= h9) {
      if (r <= h1) w = 1;
      else {
        const u = r / h;
        const v = 1 - u * u * u;
        w = v * v * v;
      }
      if (robustness) w *= robustness[j - 1];
      total += w;
    }
    weights[j - 1] = w;
  }
  if (total <= 0) return { value: 0, ok: false };
  for (let j = nleft; j <= nright; j++) weights[j - 1] /= total;
  if (h > 0 && degree > 0) {
    // Turn the weighted mean into a weighted least-squares line evaluated at xs.
    let centre = 0;
    for (let j = nleft; j <= nright; j++) centre += weights[j - 1] * j;
    let slope = xs - centre;
    let spread = 0;
    for (let j = nleft; j <= nright; j++) spread += weights[j - 1] * (j - centre) * (j - centre);
    if (Math.sqrt(spread) > 0.001 * (n - 1)) {
      slope /= spread;
      for (let j = nleft; j <= nright; j++) weights[j - 1] *= slope * (j - centre) + 1;
    }
  }
  let value = 0;
  for (let j = nleft; j <= nright; j++) value += weights[j - 1] * y[j - 1];
  return { value, ok: true };
}

/**
 * Loess smoothing of y (n points) with a window of `len` points, evaluated every `jump` points
 * and linearly interpolated between them (the paper's speed-up; jump 1 evaluates everywhere).
 * Writes into out[outOffset .. outOffset + n). `work` holds at least n values.
 */
export function loessSmooth(
  y: Float64Array,
  n: number,
  len: number,
  degree: number,
  jump: number,
  robustness: Float64Array | null,
  out: Float64Array,
  outOffset: number,
  work: Float64Array,
): void {
  const put = (i: number, fit: LoessFit) => {
    out[outOffset + i - 1] = fit.ok ? fit.value : y[i - 1];
  };
  if (n < 2) {
    out[outOffset] = y[0];
    return;
  }
  const step = Math.min(jump, n - 1);
  let nleft = 0;
  let nright = 0;
  if (len >= n) {
    nleft = 1;
    nright = n;
    for (let i = 1; i <= n; i += step) put(i, loessAt(y, n, len, degree, i, nleft, nright, work, robustness));
  } else if (step === 1) {
    const half = Math.floor((len + 1) / 2);
    nleft = 1;
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > half && nright !== n) {
        nleft++;
        nright++;
      }
      put(i, loessAt(y, n, len, degree, i, nleft, nright, work, robustness));
    }
  } else {
    const half = Math.floor((len + 1) / 2);
    for (let i = 1; i <= n; i += step) {
      if (i < half) {
        nleft = 1;
        nright = len;
      } else if (i >= n - half + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - half + 1;
        nright = len + i - half;
      }
      put(i, loessAt(y, n, len, degree, i, nleft, nright, work, robustness));
    }
  }
  if (step === 1) return;
  for (let i = 1; i <= n - step; i += step) {
    const delta = (out[outOffset + i + step - 1] - out[outOffset + i - 1]) / step;
    for (let j = i + 1; j < i + step; j++) out[outOffset + j - 1] = out[outOffset + i - 1] + delta * (j - i);
  }
  const lastEvaluated = Math.floor((n - 1) / step) * step + 1;
  if (lastEvaluated !== n) {
    // The end point is evaluated with the window of the last evaluated point.
    put(n, loessAt(y, n, len, degree, n, nleft, nright, work, robustness));
    if (lastEvaluated !== n - 1) {
      const delta = (out[outOffset + n - 1] - out[outOffset + lastEvaluated - 1]) / (n - lastEvaluated);
      for (let j = lastEvaluated + 1; j < n; j++) out[outOffset + j - 1] = out[outOffset + lastEvaluated - 1] + delta * (j - lastEvaluated);
    }
  }
}
