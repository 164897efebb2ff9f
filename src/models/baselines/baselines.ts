// Baseline forecasters the network must beat to be worth its training time.
// Each sees only the periods before its target (one step ahead), like the network.
import { checkTargets, NotFittedError, type Forecaster } from "../forecaster.js";

/** Tomorrow = today. */
export class NaiveForecaster implements Forecaster {
  readonly name = "naive";
  private fitted = false;

  fit(_trainPart: Float64Array): this {
    this.fitted = true;
    return this;
  }

  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    if (!this.fitted) throw new NotFittedError(this.name);
    checkTargets(this.name, series, targetIndices, 1);
    const out = new Float64Array(targetIndices.length);
    for (let i = 0; i < out.length; i++) out[i] = series[targetIndices[i] - 1];
    return out;
  }
}

/**
 * The value one season earlier (7 days for daily data, 52 weeks for weekly data).
 * A target with less than a season of history falls back to the last value (naive),
 * so short weekly series still get a forecast for every target.
 */
export class SeasonalNaiveForecaster implements Forecaster {
  readonly name = "seasonal_naive";
  private fitted = false;

  constructor(readonly season: number) {
    if (!Number.isInteger(season) || season < 1) throw new RangeError(`season must be a positive integer (got ${season})`);
  }

  fit(_trainPart: Float64Array): this {
    this.fitted = true;
    return this;
  }

  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    if (!this.fitted) throw new NotFittedError(this.name);
    checkTargets(this.name, series, targetIndices, 1);
    const out = new Float64Array(targetIndices.length);
    for (let i = 0; i < out.length; i++) {
      const t = targetIndices[i];
      out[i] = t >= this.season ? series[t - this.season] : series[t - 1];
    }
    return out;
  }
}

/** Mean of the last `window` periods (the same window the network sees). */
export class MovingAverageForecaster implements Forecaster {
  readonly name = "moving_average";
  private fitted = false;

  constructor(readonly window: number) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`moving average window must be a positive integer (got ${window})`);
  }

  fit(_trainPart: Float64Array): this {
    this.fitted = true;
    return this;
  }

  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    if (!this.fitted) throw new NotFittedError(this.name);
    checkTargets(this.name, series, targetIndices, this.window);
    const out = new Float64Array(targetIndices.length);
    for (let i = 0; i < out.length; i++) {
      const t = targetIndices[i];
      let sum = 0;
      for (let k = t - this.window; k < t; k++) sum += series[k];
      out[i] = sum / this.window;
    }
    return out;
  }
}

/** The three baselines every category is compared with, fitted on the training part. */
export function standardBaselines(trainPart: Float64Array, season: number, windowSize: number): Forecaster[] {
  return [
    new NaiveForecaster().fit(trainPart),
    new SeasonalNaiveForecaster(season).fit(trainPart),
    new MovingAverageForecaster(windowSize).fit(trainPart),
  ];
}
