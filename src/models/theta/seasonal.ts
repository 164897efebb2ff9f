// Seasonal adjustment for the theta method: the 90% autocorrelation test at the seasonal lag
// and the classical decomposition (moving-average trend, seasonal index = average ratio or
// difference at each position in the cycle), as R's thetaf/decompose and statsforecast's
// AutoTheta/statsmodels' seasonal_decompose do it.

/** Two-sided 90% critical value of the standard normal (qnorm(0.95)). */
const CRITICAL_90 = 1.6448536269514722;

/**
 * Autocorrelation at lag m divided by its standard error under the hypothesis that only lags
 * below m are non-zero (Bartlett): |r_m| / sqrt((1 + 2 Σ_{k<m} r_k²) / n).
 */
export function seasonalityStatistic(y: Float64Array, m: number): number {
  const r = autocorrelations(y, m);
  let squares = 0;
  for (let k = 1; k < m; k++) squares += r[k] * r[k];
  return Math.abs(r[m]) / Math.sqrt((1 + 2 * squares) / y.length);
}

export function isSeasonal(statistic: number): boolean {
  return statistic > CRITICAL_90;
}

/** r_0..r_maxLag, each the lag-k autocovariance over the lag-0 one (both divided by n). */
export function autocorrelations(y: Float64Array, maxLag: number): Float64Array {
  const n = y.length;
  let average = 0;
  for (let t = 0; t < n; t++) average += y[t];
  average /= n;
  const centred = y.map((value) => value - average);
  let variance = 0;
  for (let t = 0; t < n; t++) variance += centred[t] * centred[t];
  const r = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag; k++) {
    let sum = 0;
    for (let t = 0; t + k < n; t++) sum += centred[t] * centred[t + k];
    r[k] = sum / variance;
  }
  return r;
}

/**
 * Seasonal indices of the classical decomposition, by position t mod m. The trend is the
 * centred moving average over one cycle (a 2×m average for even m); each index is the mean of
 * y/trend (multiplicative) or y − trend (additive) over the periods where the trend exists,
 * then normalised to average 1 (or 0).
 */
export function classicalSeasonalIndices(y: Float64Array, m: number, type: "multiplicative" | "additive"): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const even = m % 2 === 0;
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let trend = 0;
    for (let k = -half; k <= half; k++) {
      const weight = even && (k === -half || k === half) ? 0.5 : 1;
      trend += weight * y[t + k];
    }
    trend /= m;
    sums[t % m] += type === "multiplicative" ? y[t] / trend : y[t] - trend;
    counts[t % m] += 1;
  }
  const indices = sums.map((sum, position) => sum / counts[position]);
  let average = 0;
  for (const index of indices) average += index;
  average /= m;
  return indices.map((index) => (type === "multiplicative" ? index / average : index - average));
}
