// The baselines as model families: naive, seasonal naive and moving average. Nothing to learn,
// so a fitted baseline is its parameter (season or window) and the history it was given; it
// keeps that history so a served window is forecast the way every statistical model is (the
// window in place of the history's last values; a weekly seasonal naive reads 52 weeks back).
import type { Config } from "../../config/schema.js";
import { seasonLength } from "../metrics.js";
import { checkHistory, historyFromState, historyState, savedState, stateNumber } from "../history.js";
import { onlySeries, type FittedModel, type Frequency, type ModelFamily, type SavedModel, type SeriesInput } from "../model.js";
import { movingAverageForecast, naiveForecast, seasonalNaiveForecast } from "./forecasts.js";

const FORMAT_VERSION = 1;

interface Baseline {
  kind: string;
  label: string;
  shortLabel: string;
  /** The parameter (season or window) for this config and frequency, when the method has one. */
  parameter?: { name: string; value: (config: Config, frequency: Frequency) => number };
  /** Periods of history a forecast needs, given the parameter. */
  minimum: (parameter: number) => number;
  forecast: (values: Float64Array, parameter: number, horizon: number) => Float64Array;
  describe: (parameter: number) => string;
}

class BaselineModel implements FittedModel {
  readonly kind: string;

  constructor(
    private readonly baseline: Baseline,
    readonly name: string,
    private readonly parameter: number,
    readonly history: SeriesInput,
  ) {
    this.kind = baseline.kind;
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    checkHistory(this.kind, history, this.baseline.minimum(this.parameter));
    return this.baseline.forecast(history.values, this.parameter, horizon);
  }

  save(): SavedModel {
    const parameter = this.baseline.parameter;
    return {
      kind: this.kind,
      format_version: FORMAT_VERSION,
      state: { ...(parameter ? { [parameter.name]: this.parameter } : {}), history: historyState(this.history) },
    };
  }

  describe(): string {
    return this.baseline.describe(this.parameter);
  }
}

function baselineFamily(baseline: Baseline): ModelFamily {
  const { kind } = baseline;
  return {
    kind,
    label: baseline.label,
    shortLabel: baseline.shortLabel,
    scope: "local",
    refitOnAllData: true,
    minHistory(config, frequency) {
      return baseline.minimum(baseline.parameter?.value(config, frequency) ?? 0);
    },
    async fit(series, context) {
      const one = onlySeries(kind, series);
      const parameter = baseline.parameter?.value(context.config, one.frequency) ?? 0;
      // Nothing is learned from the held-out periods: the history stops before them.
      const end = context.holdoutStart ?? one.values.length;
      const history = { ...one, values: one.values.subarray(0, end) };
      checkHistory(kind, history, baseline.minimum(parameter));
      return new BaselineModel(baseline, context.name ?? kind, parameter, history);
    },
    load(saved) {
      const state = savedState(saved, FORMAT_VERSION);
      const parameter = baseline.parameter ? stateNumber(state[baseline.parameter.name], baseline.parameter.name, kind, 1) : 0;
      return new BaselineModel(baseline, kind, parameter, historyFromState(state.history, kind));
    },
  };
}

export const naiveFamily = baselineFamily({
  kind: "naive",
  label: "naive",
  shortLabel: "naive",
  minimum: () => 1,
  forecast: (values, _parameter, horizon) => naiveForecast(values, horizon),
  describe: () => "naive (the last value)",
});

export const seasonalNaiveFamily = baselineFamily({
  kind: "seasonal_naive",
  label: "seasonal naive",
  shortLabel: "s.naive",
  parameter: { name: "season", value: (_config, frequency) => seasonLength(frequency) },
  minimum: () => 1,
  forecast: seasonalNaiveForecast,
  describe: (season) => `seasonal naive (the value ${season} periods earlier)`,
});

export const movingAverageFamily = baselineFamily({
  kind: "moving_average",
  label: "moving average",
  shortLabel: "mov.avg",
  parameter: { name: "window", value: (config) => config.data.window_size },
  minimum: (window) => window,
  forecast: movingAverageForecast,
  describe: (window) => `moving average of the last ${window} periods`,
});
