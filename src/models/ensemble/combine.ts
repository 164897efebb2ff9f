// How an ensemble's member forecasts become one: the mean, the median (per step), or a weighted
// mean. Weights from errors: w_i ∝ 1 / MAE_i (a member with no error at all takes the weight).
export type Combination = "mean" | "median" | "inverse_error";

/** The forecast of every step from the members' forecasts (`weights` for a weighted mean, summing to 1). */
export function combineForecasts(forecasts: readonly Float64Array[], combination: Combination, weights?: readonly number[]): Float64Array {
  const horizon = forecasts[0].length;
  const out = new Float64Array(horizon);
  const column = new Float64Array(forecasts.length);
  for (let j = 0; j < horizon; j++) {
    for (let i = 0; i < forecasts.length; i++) column[i] = forecasts[i][j];
    out[j] = combination === "median" ? median(column) : weightedMean(column, weights);
  }
  return out;
}

function weightedMean(values: Float64Array, weights?: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * (weights ? weights[i] : 1 / values.length);
  return sum;
}

export function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Weights ∝ 1 / error, summing to 1; members with a zero error share the whole weight. */
export function inverseErrorWeights(errors: readonly number[]): number[] {
  const perfect = errors.filter((e) => e === 0).length;
  if (perfect > 0) return errors.map((e) => (e === 0 ? 1 / perfect : 0));
  const inverse = errors.map((e) => 1 / e);
  const total = inverse.reduce((a, b) => a + b, 0);
  return inverse.map((v) => v / total);
}
