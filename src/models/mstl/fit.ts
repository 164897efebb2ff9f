// MSTL forecasting (statsforecast's MSTL model, R's forecast(mstl(x))): decompose, forecast
// the seasonally adjusted series (trend + remainder) with a non-seasonal model, and add each
// seasonal component's last cycle repeated (seasonal naive).
import { ModelInputError } from "../errors.js";
import { checkHorizon, checkSeries } from "../numeric/series-checks.js";
import { defaultSeasonalWindows, mstlDecompose, type MstlDecomposition } from "./decompose.js";
import type { StlStyle } from "./stl.js";
import { BUILT_IN_TREND_FORECASTERS, type TrendFit, type TrendForecaster } from "./trend.js";

export interface MstlOptions {
  /**
   * Seasonal periods (e.g. [7, 365] for daily data, [52] for weekly). Fractional periods are
   * rounded (365.25 -> 365, 52.18 -> 52). A period is dropped, and the fit says so, unless the
   * series holds more than two full cycles of it (R's mstl rule) and it is at least 2.
   */
  periods: number[];
  /** Forecaster of the seasonally adjusted series: "auto" (default), "ses", "holt_damped" or your own. */
  trendForecaster?: TrendForecaster | "auto" | "ses" | "holt_damped";
  /** Seasonal loess windows by period (increasing period order). Default 11, 15, 19, ... (R's). */
  seasonalWindows?: number[];
  /** Rounds of the back-fitting loop. Default 2. */
  iterate?: number;
  /** STL defaults to follow: "r" (default: R's stl) or "statsmodels" (statsforecast's). */
  stlStyle?: StlStyle;
  /** Robust STL (outer iterations that down-weight outliers). Default false, as R's mstl. */
  robust?: boolean;
}

export interface MstlFit {
  family: "mstl";
  /** The periods decomposed, increasing (after rounding and dropping). */
  periods: number[];
  dropped_periods: { period: number; reason: string }[];
  seasonal_windows: number[];
  iterate: number;
  stl_style: StlStyle;
  robust: boolean;
  trend: TrendFit;
  n: number;
}

const FAMILY = "MSTL";
/** Fewer periods leave the trend forecaster nothing to fit. */
export const MSTL_MIN_LENGTH = 4;

export function fitMstl(y: Float64Array, options: MstlOptions): MstlFit {
  checkSeries(FAMILY, y, MSTL_MIN_LENGTH);
  const { periods, dropped } = usablePeriods(options.periods, y.length);
  const windows = options.seasonalWindows ?? defaultSeasonalWindows(periods.length);
  if (windows.length < periods.length || windows.some((w) => !Number.isInteger(w) || w < 3)) {
    throw new ModelInputError(
      `${FAMILY}: seasonalWindows needs one whole number ≥ 3 per period (got [${windows.join(", ")}] for periods [${periods.join(", ")}])`,
    );
  }
  const settings = {
    seasonalWindows: windows.slice(0, periods.length),
    iterate: options.iterate ?? 2,
    style: options.stlStyle ?? "r",
    robust: options.robust ?? false,
  };
  if (!Number.isInteger(settings.iterate) || settings.iterate < 1) {
    throw new ModelInputError(`${FAMILY}: iterate must be a whole number ≥ 1 (got ${settings.iterate})`);
  }
  const forecaster = resolveForecaster(options.trendForecaster ?? "auto");
  const decomposition = mstlDecompose(y, periods, settings);
  return {
    family: "mstl",
    periods,
    dropped_periods: dropped,
    seasonal_windows: settings.seasonalWindows,
    iterate: settings.iterate,
    stl_style: settings.style,
    robust: settings.robust,
    trend: forecaster.fit(seasonallyAdjusted(y, decomposition)),
    n: y.length,
  };
}

/**
 * The mean forecast of the h periods after y: y is decomposed again with the fit's settings,
 * the trend forecaster keeps its parameters and re-runs its states over the adjusted series. A
 * fit whose trend came from your own forecaster needs it passed again as `trendForecaster`.
 */
export function forecastMstl(fit: MstlFit, y: Float64Array, h: number, trendForecaster?: TrendForecaster): Float64Array {
  checkHorizon(FAMILY, h);
  checkSeries(FAMILY, y, MSTL_MIN_LENGTH);
  const shortest = fit.periods.find((period) => y.length <= 2 * period);
  if (shortest !== undefined) {
    throw new ModelInputError(`${FAMILY}: the history (${y.length} periods) must hold more than two cycles of period ${shortest}; pass a longer history`);
  }
  const forecaster = trendForecaster ?? BUILT_IN_TREND_FORECASTERS[fit.trend.name];
  if (!forecaster) {
    throw new ModelInputError(`${FAMILY}: the fit's trend forecaster "${fit.trend.name}" is not built in; pass it to forecastMstl as trendForecaster`);
  }
  const decomposition = mstlDecompose(y, fit.periods, {
    seasonalWindows: fit.seasonal_windows,
    iterate: fit.iterate,
    style: fit.stl_style,
    robust: fit.robust,
  });
  const out = forecaster.forecast(fit.trend, seasonallyAdjusted(y, decomposition), h);
  const n = y.length;
  decomposition.periods.forEach((period, i) => {
    const seasonal = decomposition.seasonals[i];
    for (let j = 0; j < h; j++) out[j] += seasonal[n - period + (j % period)];
  });
  return out;
}

/** The decomposition fitMstl and forecastMstl use, for inspection and plots. */
export function decomposeMstl(fit: MstlFit, y: Float64Array): MstlDecomposition {
  return mstlDecompose(y, fit.periods, { seasonalWindows: fit.seasonal_windows, iterate: fit.iterate, style: fit.stl_style, robust: fit.robust });
}

function seasonallyAdjusted(y: Float64Array, decomposition: MstlDecomposition): Float64Array {
  const adjusted = Float64Array.from(y);
  for (const seasonal of decomposition.seasonals) for (let t = 0; t < y.length; t++) adjusted[t] -= seasonal[t];
  return adjusted;
}

function usablePeriods(requested: number[], n: number): { periods: number[]; dropped: { period: number; reason: string }[] } {
  if (!Array.isArray(requested)) throw new ModelInputError(`${FAMILY}: periods must be an array of seasonal periods, e.g. [7, 365] for daily data`);
  const dropped: { period: number; reason: string }[] = [];
  const kept = new Set<number>();
  for (const value of requested) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new ModelInputError(`${FAMILY}: seasonal period ${value} is not a positive number; use e.g. [7, 365] for daily data or [52] for weekly`);
    }
    const period = Math.round(value);
    if (period < 2) dropped.push({ period: value, reason: "a period below 2 has no seasonal pattern" });
    else if (n <= 2 * period) dropped.push({ period: value, reason: `the series (${n} periods) holds no more than two cycles of ${period}` });
    else kept.add(period);
  }
  return { periods: [...kept].sort((a, b) => a - b), dropped };
}

function resolveForecaster(choice: NonNullable<MstlOptions["trendForecaster"]>): TrendForecaster {
  if (typeof choice !== "string") {
    if (typeof choice?.fit !== "function" || typeof choice?.forecast !== "function" || typeof choice?.name !== "string") {
      throw new ModelInputError(`${FAMILY}: trendForecaster must be "auto", "ses", "holt_damped" or an object with name, fit and forecast`);
    }
    return choice;
  }
  const forecaster = BUILT_IN_TREND_FORECASTERS[choice];
  if (!forecaster) throw new ModelInputError(`${FAMILY}: unknown trendForecaster "${choice}"; use auto, ses or holt_damped`);
  return forecaster;
}
