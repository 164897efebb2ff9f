// Where the cutoffs of a rolling-origin backtest fall (statsforecast cross_validation sense).
//
// A cutoff c is a number of observed periods: the models see series[0 .. c) and forecast
// series[c .. c + H). The last window ends at the series end (c = n − H), and the W cutoffs
// are S periods apart: c_i = n − H − (W − 1 − i)·S, i = 0 .. W − 1 (oldest first).
// The cutoff's DATE is that of the last observed period, series date c − 1, as statsforecast
// reports it.

export interface BacktestWindowOptions {
  /** Steps forecast from each cutoff (H). */
  horizon: number;
  /** Number of cutoffs (W). */
  windows: number;
  /** Periods between two cutoffs (S). */
  step: number;
}

/** Bad backtest arguments or a series too short for them: the message says how to fix it. */
export class BacktestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BacktestError";
  }
}

export function checkWindowOptions(options: BacktestWindowOptions): void {
  for (const key of ["horizon", "windows", "step"] as const) {
    const value = options[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new BacktestError(`backtest ${key} must be a positive whole number (got ${value}).`);
    }
  }
}

/** How many windows fit in a series of `length` periods when the first cutoff needs `minHistory` periods. */
export function windowsThatFit(length: number, options: Pick<BacktestWindowOptions, "horizon" | "step">, minHistory: number): number {
  const lastCutoff = length - options.horizon;
  if (lastCutoff < minHistory) return 0;
  return Math.floor((lastCutoff - minHistory) / options.step) + 1;
}

/**
 * The W cutoffs, oldest first. Throws a BacktestError when the first one would leave fewer
 * than `minHistory` periods to fit on, saying how many windows would fit.
 */
export function backtestCutoffs(length: number, options: BacktestWindowOptions, minHistory: number, what = "the series"): number[] {
  checkWindowOptions(options);
  const { horizon, windows, step } = options;
  const cutoffs = Array.from({ length: windows }, (_, i) => length - horizon - (windows - 1 - i) * step);
  if (cutoffs[0] < minHistory) {
    const fit = windowsThatFit(length, options, minHistory);
    throw new BacktestError(
      `${what} has ${length} periods, too short for ${windows} windows of horizon ${horizon} every ${step} periods: ` +
        `the first cutoff would leave ${Math.max(cutoffs[0], 0)} periods to train on but at least ${minHistory} are needed. ` +
        (fit > 0
          ? `At most ${fit} window${fit === 1 ? "" : "s"} fit: use --windows ${fit}, or a smaller --step or --horizon.`
          : `Not even one window fits: use a smaller --horizon or a longer series.`),
    );
  }
  return cutoffs;
}
