// GET /api/forecast/{category}?h=: the next h periods after the end of the history, with no
// window sent by the client. A model that keeps the history it was fitted on (the statistical
// kinds) forecasts from it; one that reads only its last window (the network) from the series
// in the server's data. Every period is dated, and each calibrated level gives its band
// (forecast ± the conformal half-width of that step; null beyond the steps it was calibrated for).
import { periodDates } from "../data/calendar.js";
import { forecastAll } from "../models/forecast-at.js";
import { levelKey } from "../models/intervals.js";
import type { SeriesInput } from "../models/model.js";
import { ForecastInputError, ModelOutputError } from "./errors.js";
import type { SalesForecaster } from "./sales-forecaster.js";

export interface DatedForecast {
  /** Where the history came from: the version's stored history, or the server's data. */
  source: "stored history" | "data";
  /** ISO date of the history's last period. */
  historyEnd: string;
  dates: string[];
  forecast: number[];
  /** Per level: lower and upper bound of each step, null where that step has no half-width. */
  bands: { level: number; lower: (number | null)[]; upper: (number | null)[] }[];
}

/** `data`: the category's series in the server's data, for models without a stored history. */
export function forecastFromEnd(forecaster: SalesForecaster, horizon: number, data?: SeriesInput): DatedForecast {
  if (forecaster.covariateNames.length) {
    throw new ForecastInputError(
      `the ${forecaster.category} model reads covariates (${forecaster.covariateNames.join(", ")}), whose future values only a client knows: use POST /api/predict with "covariates"`,
      "invalid_covariates",
    );
  }
  const stored = forecaster.model.history;
  const history = stored ?? data;
  if (!history)
    throw new ForecastInputError(
      `the ${forecaster.category} model keeps no history and the data has no series "${forecaster.category}": use POST /api/predict with a window`,
      "invalid_series_length",
    );
  if (!stored && history.values.length < forecaster.windowSize) {
    throw new ForecastInputError(
      `the data's series "${forecaster.category}" has ${history.values.length} periods, fewer than the model's window of ${forecaster.windowSize}`,
      "invalid_series_length",
    );
  }
  const [path] = forecastAll(forecaster.model, [history], horizon);
  const forecast = Array.from(path, (value) => {
    if (!Number.isFinite(value)) throw new ModelOutputError(forecaster.category, forecaster.version);
    return value;
  });
  const n = history.values.length;
  const dates = periodDates({ start: history.start, values: new Float64Array(n + horizon) }, history.frequency);
  const calibration = forecaster.intervals;
  const bands = (calibration?.levels ?? []).map((level) => {
    const width = (k: number) => {
      const w = calibration!.steps[k]?.halfWidth[levelKey(level)];
      return typeof w === "number" ? w : null;
    };
    return {
      level,
      lower: forecast.map((value, k) => (width(k) === null ? null : value - width(k)!)),
      upper: forecast.map((value, k) => (width(k) === null ? null : value + width(k)!)),
    };
  });
  return { source: stored ? "stored history" : "data", historyEnd: dates[n - 1], dates: dates.slice(n), forecast, bands };
}
