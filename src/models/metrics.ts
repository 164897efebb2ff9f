// Forecast accuracy in sales units (never normalised values: a user reads these).
//
// Definitions (so figures can be checked by hand):
//   RMSE  = sqrt(mean((y - ŷ)²))
//   MAE   = mean(|y - ŷ|)
//   sMAPE = mean(2|y - ŷ| / (|y| + |ŷ|)) × 100, in percent, range 0..200.
//           A term with y = ŷ = 0 counts as 0 (a perfect forecast of no sale), which
//           matters for intermittent series with many zero days.
//   MASE  = MAE / scale, scale = in-sample MAE of the seasonal naive forecast on the
//           TRAINING part: mean over t >= m of |y_t - y_{t-m}|, season m = 7 for daily
//           data and 52 for weekly data. When the training part is shorter than two
//           seasons the scale falls back to lag 1 (the naive forecast). MASE < 1 means
//           better than that in-sample benchmark. When the scale is 0 (a training part
//           that never changes) MASE is undefined and reported as NaN.

export interface ForecastMetrics {
  rmse: number;
  mae: number;
  smape: number;
  mase: number;
}

export type Frequency = "D" | "W";

export function seasonLength(frequency: Frequency): number {
  return frequency === "W" ? 52 : 7;
}

function checkSameLength(actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length) {
    throw new Error(`metrics need as many forecasts as actual values (got ${predicted.length} forecasts for ${actual.length} values)`);
  }
  if (actual.length === 0) throw new Error("metrics need at least one actual value");
}

export function rmse(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i] - predicted[i]) ** 2;
  return Math.sqrt(sum / actual.length);
}

export function mae(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - predicted[i]);
  return sum / actual.length;
}

export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const denominator = Math.abs(actual[i]) + Math.abs(predicted[i]);
    if (denominator > 0) sum += (2 * Math.abs(actual[i] - predicted[i])) / denominator;
  }
  return (sum / actual.length) * 100;
}

/** The lag MASE is scaled by: the season, or 1 when the training part is shorter than two seasons. */
export function maseLag(trainLength: number, season: number): number {
  return trainLength >= 2 * season ? season : 1;
}

/** In-sample MAE of the (seasonal) naive forecast on the training part. */
export function maseScale(trainPart: ArrayLike<number>, season: number): number {
  const lag = maseLag(trainPart.length, season);
  if (trainPart.length <= lag) {
    throw new Error(`MASE needs a training part longer than ${lag} periods (got ${trainPart.length})`);
  }
  let sum = 0;
  for (let t = lag; t < trainPart.length; t++) sum += Math.abs(trainPart[t] - trainPart[t - lag]);
  return sum / (trainPart.length - lag);
}

export function mase(actual: ArrayLike<number>, predicted: ArrayLike<number>, scale: number): number {
  const error = mae(actual, predicted);
  return scale > 0 ? error / scale : Number.NaN;
}

/** All four metrics; `scale` from maseScale(training part, season). */
export function forecastMetrics(actual: ArrayLike<number>, predicted: ArrayLike<number>, scale: number): ForecastMetrics {
  return {
    rmse: rmse(actual, predicted),
    mae: mae(actual, predicted),
    smape: smape(actual, predicted),
    mase: mase(actual, predicted, scale),
  };
}
