// The baselines every model must beat to be worth its cost, as plain functions of a history.
// Each forecasts recursively (a forecast is fed back as the next observation), which is what
// the walk-forward backtest has always done for them, so their figures stay comparable.

/** Tomorrow = today: the last value, at every step. */
export function naiveForecast(values: Float64Array, horizon: number): Float64Array {
  return new Float64Array(horizon).fill(values[values.length - 1]);
}

/**
 * The value one season earlier (7 days for daily data, 52 weeks for weekly data). A period with
 * less than a season of history before it falls back to the value before it (naive), so short
 * weekly series still get a forecast for every step.
 */
export function seasonalNaiveForecast(values: Float64Array, season: number, horizon: number): Float64Array {
  return recursive(values, horizon, (buffer, t) => (t >= season ? buffer[t - season] : buffer[t - 1]));
}

/** Mean of the last `window` periods (the same window the network sees). */
export function movingAverageForecast(values: Float64Array, window: number, horizon: number): Float64Array {
  return recursive(values, horizon, (buffer, t) => {
    let sum = 0;
    for (let k = t - window; k < t; k++) sum += buffer[k];
    return sum / window;
  });
}

/** Runs `next(buffer, t)` for t = n .. n + horizon − 1, each value appended to the buffer. */
function recursive(values: Float64Array, horizon: number, next: (buffer: Float64Array, t: number) => number): Float64Array {
  const n = values.length;
  const buffer = new Float64Array(n + horizon);
  buffer.set(values);
  for (let t = n; t < n + horizon; t++) buffer[t] = next(buffer, t);
  return buffer.slice(n);
}
