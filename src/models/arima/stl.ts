/**
 * STL, the seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning
 * 1990), as R's stats::stl computes it without robustness iterations: an inner loop of
 * cycle-subseries smoothing, a low-pass filter of the seasonal estimate, and a trend smoothing,
 * with loess fits evaluated every `jump` points and linearly interpolated between. Used by the
 * seasonal-strength test that decides seasonal differencing (forecast's nsdiffs, test "seas").
 *
 * Positions are 1-based inside the loess helpers, as in the published algorithm, so that the
 * window arithmetic reads the same.
 */

export interface StlOptions {
  /** Seasonal smoothing span (odd, >= 3). */
  sWindow: number;
  /** Seasonal loess degree (0 or 1; R's default 0). */
  sDegree?: number;
  /** Trend span; default R's nextodd(ceiling(1.5 period / (1 - 1.5 / sWindow))). */
  tWindow?: number;
  tDegree?: number;
  /** Low-pass span; default nextodd(period). */
  lWindow?: number;
  /** Inner iterations (R's default without robustness: 2). */
  inner?: number;
}

export interface StlResult {
  seasonal: Float64Array;
  trend: Float64Array;
  remainder: Float64Array;
}

/** Decomposes y (length > 2 * period, period >= 2) into seasonal + trend + remainder. */
export function stl(y: Float64Array, period: number, options: StlOptions): StlResult {
  const n = y.length;
  if (period < 2 || n <= 2 * period) throw new RangeError("STL needs a period of at least 2 and more than two full periods of data");
  const sWindow = options.sWindow;
  const tWindow = options.tWindow ?? nextOdd(Math.ceil((1.5 * period) / (1 - 1.5 / sWindow)));
  const lWindow = options.lWindow ?? nextOdd(period);
  const sDegree = options.sDegree ?? 0;
  const tDegree = options.tDegree ?? 1;
  const lDegree = tDegree;
  const sJump = Math.ceil(sWindow / 10);
  const tJump = Math.ceil(tWindow / 10);
  const lJump = Math.ceil(lWindow / 10);
  const ns = oddAtLeast3(sWindow);
  const nt = oddAtLeast3(tWindow);
  const nl = oddAtLeast3(lWindow);
  const np = Math.max(2, period);
  const inner = options.inner ?? 2;

  const season = new Float64Array(n);
  const trend = new Float64Array(n);
  const work1 = new Float64Array(n + 2 * np);
  const cycle = new Float64Array(n + 2 * np);
  const work3 = new Float64Array(n + 2 * np);
  const work4 = new Float64Array(n + 2 * np);
  const work5 = new Float64Array(n + 2 * np);
  for (let iteration = 0; iteration < inner; iteration++) {
    for (let i = 0; i < n; i++) work1[i] = y[i] - trend[i];
    cycleSubseriesSmooth(work1, n, np, ns, sDegree, sJump, cycle);
    lowPass(cycle, n + 2 * np, np, work3, work1);
    loessSmooth(work3, n, nl, lDegree, lJump, work1, work5);
    for (let i = 0; i < n; i++) season[i] = cycle[np + i] - work1[i];
    for (let i = 0; i < n; i++) work1[i] = y[i] - season[i];
    loessSmooth(work1, n, nt, tDegree, tJump, trend, work4);
  }
  const remainder = Float64Array.from(y, (v, i) => v - season[i] - trend[i]);
  return { seasonal: season, trend, remainder };
}

/** R's nextodd: round, then up to the next odd integer. */
function nextOdd(x: number): number {
  const r = roundHalfEven(x);
  return r % 2 === 0 ? r + 1 : r;
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function oddAtLeast3(span: number): number {
  const s = Math.max(3, span);
  return s % 2 === 0 ? s + 1 : s;
}

/**
 * Loess fit at position xs (1-based) from y[nleft..nright] with tricube weights over half-width
 * h, local degree 0 or 1. Returns NaN when every weight is zero. `w` is scratch (length n).
 */
function loessAt(y: Float64Array, n: number, len: number, degree: number, xs: number, nleft: number, nright: number, w: Float64Array): number {
  const range = n - 1;
  let h = Math.max(xs - nleft, nright - xs);
  if (len > n) h += Math.trunc((len - n) / 2);
  const h9 = 0.999 * h;
  const h1 = 0.001 * h;
  let a = 0;
  for (let j = nleft; j <= nright; j++) {
    const r = Math.abs(j - xs);
    if (r <= h9) {
      const wj = r <= h1 ? 1 : (1 - (r / h) ** 3) ** 3;
      w[j - 1] = wj;
      a += wj;
    } else {
      w[j - 1] = 0;
    }
  }
  if (a <= 0) return Number.NaN;
  for (let j = nleft; j <= nright; j++) w[j - 1] /= a;
  if (h > 0 && degree > 0) {
    let mean = 0;
    for (let j = nleft; j <= nright; j++) mean += w[j - 1] * j;
    let b = xs - mean;
    let c = 0;
    for (let j = nleft; j <= nright; j++) c += w[j - 1] * (j - mean) ** 2;
    if (Math.sqrt(c) > 0.001 * range) {
      b /= c;
      for (let j = nleft; j <= nright; j++) w[j - 1] *= b * (j - mean) + 1;
    }
  }
  let ys = 0;
  for (let j = nleft; j <= nright; j++) ys += w[j - 1] * y[j - 1];
  return ys;
}

/**
 * Loess smoothing of y[0..n) with span len into ys[offset..offset+n): fits every `jump` points,
 * straight lines between them. `w` is scratch.
 */
function loessSmooth(y: Float64Array, n: number, len: number, degree: number, jump: number, ys: Float64Array, w: Float64Array, offset = 0): void {
  const put = (i: number, fallback: number, v: number) => {
    ys[offset + i - 1] = Number.isNaN(v) ? fallback : v;
  };
  if (n < 2) {
    ys[offset] = y[0];
    return;
  }
  const step = Math.min(jump, n - 1);
  let nleft = 1;
  let nright = n;
  if (len >= n) {
    for (let i = 1; i <= n; i += step) put(i, y[i - 1], loessAt(y, n, len, degree, i, nleft, nright, w));
  } else if (step === 1) {
    const nsh = Math.trunc((len + 1) / 2);
    nright = len;
    for (let i = 1; i <= n; i++) {
      if (i > nsh && nright !== n) {
        nleft++;
        nright++;
      }
      put(i, y[i - 1], loessAt(y, n, len, degree, i, nleft, nright, w));
    }
  } else {
    const nsh = Math.trunc((len + 1) / 2);
    for (let i = 1; i <= n; i += step) {
      if (i < nsh) {
        nleft = 1;
        nright = len;
      } else if (i >= n - nsh + 1) {
        nleft = n - len + 1;
        nright = n;
      } else {
        nleft = i - nsh + 1;
        nright = len + i - nsh;
      }
      put(i, y[i - 1], loessAt(y, n, len, degree, i, nleft, nright, w));
    }
  }
  if (step !== 1) {
    for (let i = 1; i <= n - step; i += step) {
      const slope = (ys[offset + i + step - 1] - ys[offset + i - 1]) / step;
      for (let j = i + 1; j <= i + step - 1; j++) ys[offset + j - 1] = ys[offset + i - 1] + slope * (j - i);
    }
    const k = Math.trunc((n - 1) / step) * step + 1;
    if (k !== n) {
      put(n, y[n - 1], loessAt(y, n, len, degree, n, nleft, nright, w));
      if (k !== n - 1) {
        const slope = (ys[offset + n - 1] - ys[offset + k - 1]) / (n - k);
        for (let j = k + 1; j <= n - 1; j++) ys[offset + j - 1] = ys[offset + k - 1] + slope * (j - k);
      }
    }
  }
}

/**
 * Smooths each cycle-subseries (every np-th value) with loess and extends it one period at
 * each end: `out` (length n + 2 np) holds the smoothed seasonal from one period before the
 * series to one period after.
 */
function cycleSubseriesSmooth(y: Float64Array, n: number, np: number, ns: number, degree: number, jump: number, out: Float64Array): void {
  const maxK = Math.trunc((n - 1) / np) + 1;
  const sub = new Float64Array(maxK);
  const smooth = new Float64Array(maxK + 2);
  const w = new Float64Array(maxK);
  for (let j = 1; j <= np; j++) {
    const k = Math.trunc((n - j) / np) + 1;
    for (let i = 1; i <= k; i++) sub[i - 1] = y[(i - 1) * np + j - 1];
    loessSmooth(sub, k, ns, degree, jump, smooth, w, 1);
    const before = loessAt(sub, k, ns, degree, 0, 1, Math.min(ns, k), w);
    smooth[0] = Number.isNaN(before) ? smooth[1] : before;
    const after = loessAt(sub, k, ns, degree, k + 1, Math.max(1, k - ns + 1), k, w);
    smooth[k + 1] = Number.isNaN(after) ? smooth[k] : after;
    for (let m = 1; m <= k + 2; m++) out[(m - 1) * np + j - 1] = smooth[m - 1];
  }
}

/** STL's low-pass filter: moving averages of lengths np, np and 3 (output n - 2 np + 2 values). */
function lowPass(x: Float64Array, n: number, np: number, out: Float64Array, work: Float64Array): void {
  movingAverage(x, n, np, out);
  movingAverage(out, n - np + 1, np, work);
  movingAverage(work, n - 2 * np + 2, 3, out);
}

function movingAverage(x: Float64Array, n: number, len: number, ave: Float64Array): void {
  const count = n - len + 1;
  let v = 0;
  for (let i = 0; i < len; i++) v += x[i];
  ave[0] = v / len;
  for (let j = 1; j < count; j++) {
    v += x[len + j - 1] - x[j - 1];
    ave[j] = v / len;
  }
}
