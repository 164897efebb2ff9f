// Simple exponential smoothing with the level started at the first value (the "simple"
// initialisation of R's ses(initial = "simple") and of statsforecast's Croston family):
//   ŷ_1 = y_0,  ŷ_{t+1} = α y_t + (1 − α) ŷ_t.
// Croston's method, SBA and TSB smooth their demand, interval and probability series with it.

/** The forecast after the last value of `x` (x must hold at least one value). */
export function sesForecast(x: ArrayLike<number>, alpha: number): number {
  if (x.length === 1) return x[0];
  let forecast = x[0];
  for (let t = 1; t < x.length; t++) forecast = alpha * x[t] + (1 - alpha) * forecast;
  return forecast;
}

/** Sum of squared one-step errors of ŷ_t for t = 1 .. n−1 (0 for fewer than 2 values). */
export function sesSse(x: ArrayLike<number>, alpha: number): number {
  let forecast = x[0];
  let sse = 0;
  for (let t = 1; t < x.length; t++) {
    forecast = alpha * x[t - 1] + (1 - alpha) * forecast;
    const error = x[t] - forecast;
    sse += error * error;
  }
  return sse;
}

/**
 * The α in [lower, upper] with the smallest sesSse, by golden-section search down to a bracket
 * of `tolerance` (1e-12: statsforecast's CrostonOptimized searches [0.1, 0.3] the same way). On
 * a tie between the two probes the search stops at the middle of the current bracket.
 */
export function optimiseSesAlpha(x: ArrayLike<number>, lower: number, upper: number, tolerance = 1e-12): number {
  const ratio = (Math.sqrt(5) + 1) / 2;
  let a = lower;
  let b = upper;
  let c = b - (b - a) / ratio;
  let d = a + (b - a) / ratio;
  let fc = sesSse(x, c);
  let fd = sesSse(x, d);
  while (Math.abs(b - a) >= tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - (b - a) / ratio;
      fc = sesSse(x, c);
    } else if (fd < fc) {
      a = c;
      c = d;
      fc = fd;
      d = a + (b - a) / ratio;
      fd = sesSse(x, d);
    } else {
      break;
    }
  }
  return (a + b) / 2;
}
