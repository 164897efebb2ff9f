// The one interface every forecaster shares (statsforecast style): baselines and the
// CNN+LSTM are interchangeable, so they are evaluated on exactly the same targets by the
// same code and their metrics are comparable.

export interface Forecaster {
  /** Short identifier used in metric names (e.g. "seasonal_naive" -> seasonal_naive_val_mase). */
  readonly name: string;
  /** Learns what the method needs from the training part (sales units). Returns itself. */
  fit(trainPart: Float64Array): this;
  /**
   * One-step-ahead forecasts in sales units: for each target index t, the forecast of
   * series[t] made from series[0 .. t) only (never from series[t] or later).
   */
  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array;
}

/** Raised when predictAt is called before fit. */
export class NotFittedError extends Error {
  constructor(name: string) {
    super(`forecaster "${name}" has not been fitted: call fit(trainPart) before predictAt()`);
    this.name = "NotFittedError";
  }
}

/** Checks the target indices a forecaster is asked for; `minHistory` periods must precede each. */
export function checkTargets(name: string, series: Float64Array, targetIndices: ArrayLike<number>, minHistory: number): void {
  for (let i = 0; i < targetIndices.length; i++) {
    const t = targetIndices[i];
    if (!Number.isInteger(t) || t < minHistory || t >= series.length) {
      throw new RangeError(
        `forecaster "${name}": target index ${t} is out of range; it needs ${minHistory} earlier periods and must be below ${series.length}`,
      );
    }
  }
}
