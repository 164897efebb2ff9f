// A local statistical library (fit<Family>(y, options) / forecast<Family>(fit, y, h), see
// docs/models.md) as a model family, in one shape for every such kind: fitted on the training
// part of one series, saved as the library's JSON fit plus the history it was fitted on, and
// forecast by re-running the fitted model's states over whatever history it is given (the
// stored one with a served window in place of its last periods, a later backtest cutoff).
//
// What differs between kinds is the spec below: the library calls, the shortest history, the
// series a kind cannot fit (said before any work, so training skips with the reason), and how
// a stored fit is checked when it is read back.
import type { Config } from "../config/schema.js";
import type { SplitBounds } from "../data/split.js";
import { checkTrainingLength } from "./fit-calibrated.js";
import { historyFromState, historyState, savedState } from "./history.js";
import { onlySeries, type FittedModel, type Frequency, type ModelFamily, type SavedModel, type SeriesInput } from "./model.js";
import { ModelFileError } from "./model-file-error.js";

export interface LocalLibrarySpec<Fit> {
  kind: string;
  label: string;
  shortLabel?: string;
  formatVersion: number;
  /** Fewest periods of training part a fit needs with this config. */
  minHistory(config: Config, frequency: Frequency): number;
  /** Throws a ModelInputError saying what to do when `values` (the training part) cannot be fitted (negative demand...). */
  checkValues?(values: Float64Array, config: Config, frequency: Frequency): void;
  fit(values: Float64Array, config: Config, frequency: Frequency): Fit;
  forecast(fit: Fit, values: Float64Array, horizon: number): Float64Array;
  describe(fit: Fit): string;
  /** The stored fit, checked (a damaged one throws a ModelFileError); `damaged(what)` builds that error. */
  parseFit(value: unknown, damaged: (what: string) => ModelFileError): Fit;
  fitStats?(fit: Fit): Record<string, number>;
}

/** The training part of `series` under `split`, checked against the spec (the family's checkSeries). */
export function checkLocalSeries<Fit>(spec: LocalLibrarySpec<Fit>, series: SeriesInput, config: Config, split: SplitBounds): void {
  checkTrainingLength(spec.kind, spec.minHistory(config, series.frequency), series, config, split);
  spec.checkValues?.(series.values.subarray(0, split.trainEnd), config, series.frequency);
}

/** Throws unless every forecast is a finite number: a library bug must not reach a metric or a client as NaN. */
export function checkFinite(kind: string, forecast: Float64Array): Float64Array {
  for (let i = 0; i < forecast.length; i++) {
    if (!Number.isFinite(forecast[i])) throw new Error(`the ${kind} model forecast ${forecast[i]} at step ${i + 1}: a bug, please report it with the series`);
  }
  return forecast;
}

class LocalModel<Fit> implements FittedModel {
  readonly kind: string;
  readonly fitStats?: Readonly<Record<string, number>>;

  constructor(
    private readonly spec: LocalLibrarySpec<Fit>,
    readonly name: string,
    readonly fit: Fit,
    readonly history: SeriesInput,
  ) {
    this.kind = spec.kind;
    const stats = spec.fitStats?.(fit);
    if (stats) this.fitStats = stats;
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return checkFinite(this.kind, this.spec.forecast(this.fit, history.values, horizon));
  }

  save(): SavedModel {
    return { kind: this.kind, format_version: this.spec.formatVersion, state: { fit: this.fit, history: historyState(this.history) } };
  }

  describe(): string {
    return this.spec.describe(this.fit);
  }
}

export function localLibraryFamily<Fit>(spec: LocalLibrarySpec<Fit>): ModelFamily {
  const { kind } = spec;
  return {
    kind,
    label: spec.label,
    ...(spec.shortLabel ? { shortLabel: spec.shortLabel } : {}),
    scope: "local",
    refitOnAllData: true,
    minHistory: (config, frequency) => spec.minHistory(config, frequency),
    checkSeries: (series, config, split) => checkLocalSeries(spec, series, config, split),
    async fit(series, context) {
      const one = onlySeries(kind, series);
      // Nothing is learned from the held-out periods: the history stops before them.
      const history = { ...one, values: one.values.subarray(0, context.holdoutStart ?? one.values.length) };
      spec.checkValues?.(history.values, context.config, one.frequency);
      return new LocalModel(spec, context.name ?? kind, spec.fit(history.values, context.config, one.frequency), history);
    },
    load(saved) {
      const state = savedState(saved, spec.formatVersion);
      const damaged = (what: string) => new ModelFileError(`the saved ${kind} model's fit is damaged (${what}): retrain it`);
      if (typeof state.fit !== "object" || state.fit === null) throw damaged("no fit");
      return new LocalModel(spec, kind, spec.parseFit(state.fit, damaged), historyFromState(state.history, kind));
    },
  };
}

/** True when `value` is an array of finite numbers (a stored fit's parameters). */
export function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((x) => typeof x === "number" && Number.isFinite(x));
}
