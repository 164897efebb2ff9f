// SalesForecaster: one registered model version of one category, of any kind, ready to answer.
// The reference's contract: the window must have exactly window_size values (the latest
// periods, oldest first), the answer is the next period(s) in sales units. What a window means
// to each kind (docs/api.md, "What the window means"):
//   - models that read only the last periods of a history (the network: its window) forecast
//     from the window itself, dated by "last_date" when they read calendar features;
//   - models that keep the history they were fitted on (the statistical families) forecast from
//     that history with the window in place of its last window_size periods, or, with a
//     "last_date" after the history's end, appended after it (a gap longer than the window is
//     refused: the periods between are unknown).
// Each model forecasts through the one model interface (src/models/model.ts); this class only
// turns a request into the history it forecasts from and checks what comes back.
//
// A network computes on the engine backend it was loaded on (engine.backend: native or reference;
// src/engine/backends/index.ts). A forecaster never changes after construction (a network's
// buffers are scratch space used inside one synchronous call), so swapping a new version in is replacing one reference.
import { PERIOD_DAYS } from "../data/calendar.js";
import { epochDayFromIso, isoFromEpochDay } from "../data/dates.js";
import { covariatesOf, featureChannelNames, NO_FEATURES, type FeatureSpec } from "../data/features.js";
import { forecastAll } from "../models/forecast-at.js";
import { calibratedSteps, intervalBands, parseIntervalCalibration, type IntervalBand, type IntervalCalibration } from "../models/intervals.js";
import type { FittedModel, SeriesInput } from "../models/model.js";
import { loadVersion, type VersionMeta } from "../models/version-file.js";
import type { Backend } from "../engine/backend.js";
import type { ModelVersionInfo } from "../registry/index.js";
import { ForecastInputError, ModelOutputError } from "./errors.js";

/** Longest recursive forecast: a year of daily periods. */
export const MAX_HORIZON = 365;

/**
 * Inputs further than this many standard deviations from the training mean are refused:
 * nothing sensible comes out of them, and they could overflow float32 inside the network.
 */
export const MAX_ABS_Z = 1e12;

export interface ForecasterOptions {
  /** The engine backend the loaded model computes on; default: the engine's choice (engine.backend). */
  backend?: Backend;
}

/** Per-request options of a forecast. */
export interface ForecastOptions {
  horizon?: number;
  /**
   * ISO date (YYYY-MM-DD) of the period of the window's last value (for instances: of every
   * window's last value). Required by models with calendar features; models that keep their
   * history place the window there (default: at the end of the history); the others ignore it.
   */
  lastDate?: string;
  /**
   * Models trained with covariates (model.features.covariates): for each covariate, one value per
   * period of the window and per forecast period (windowSize + horizon values, oldest first).
   * Required by such models (series form only), ignored by the others.
   */
  covariates?: Readonly<Record<string, ArrayLike<number>>>;
}

/** A forecast with its prediction intervals (one band per requested level, per step). */
export interface IntervalForecast {
  forecast: number[];
  intervals: IntervalBand[];
}

/** What the forecaster knows about where its model came from. */
export interface ForecasterSource {
  category: string;
  /** Registry version; undefined for a checkpoint loaded straight from a folder. */
  version?: number;
  dir: string;
  createdAt: string;
  runId?: string;
  aliases?: string[];
}

export class SalesForecaster {
  readonly category: string;
  readonly version: number | undefined;
  /** Values a request's window must have (model.json window_size). */
  readonly windowSize: number;
  readonly meta: VersionMeta;
  readonly source: ForecasterSource;
  /** The model kind (cnn_lstm, holt_winters, ...). */
  readonly kind: string;
  /** The engine backend computing its network's forecasts ("native" or "reference"); undefined for a model without a network. */
  readonly backend: string | undefined;
  /** Split conformal half-widths stored at training (model.json extra.intervals); undefined for older models. */
  readonly intervals: IntervalCalibration | undefined;
  /** Calendar features and covariates the model reads (all off for the reference's one-channel model). */
  readonly features: FeatureSpec;
  /** Periods the model predicts per step (the network's model.horizon at training). */
  readonly directHorizon: number;

  constructor(
    readonly model: FittedModel,
    meta: VersionMeta,
    source: ForecasterSource,
  ) {
    this.meta = meta;
    this.source = source;
    this.category = source.category;
    this.version = source.version;
    this.windowSize = meta.window_size;
    this.kind = model.kind;
    this.backend = model.backend;
    this.intervals = parseIntervalCalibration(meta.extra?.intervals);
    this.features = model.inputs?.features ?? NO_FEATURES;
    this.directHorizon = model.inputs?.stepSize ?? 1;
  }

  /** True when a forecast needs the date of the window's last value (the model reads calendar features). */
  get needsLastDate(): boolean {
    return this.features.day_of_week || this.features.month || this.features.holidays.length > 0;
  }

  /** The covariates each forecast needs values for ([] for models without). */
  get covariateNames(): string[] {
    return covariatesOf(this.features);
  }

  /** Loads a registered version (its folder holds model.json and the model's files). */
  static async fromRegistered(info: ModelVersionInfo, options: ForecasterOptions = {}): Promise<SalesForecaster> {
    return SalesForecaster.load(info.dir, options, info.windowSize, () => ({
      category: info.category,
      version: info.version,
      dir: info.dir,
      createdAt: info.createdAt,
      ...(info.runId === undefined ? {} : { runId: info.runId }),
      aliases: [...info.aliases],
    }));
  }

  /** Loads a model folder outside any registry (a checkpoint folder). */
  static async fromDirectory(dir: string, options: ForecasterOptions = {}): Promise<SalesForecaster> {
    return SalesForecaster.load(dir, options, undefined, (meta) => ({ category: meta.data.category, dir, createdAt: meta.created_at }));
  }

  private static async load(
    dir: string,
    options: ForecasterOptions,
    windowSize: number | undefined,
    sourceOf: (meta: VersionMeta) => ForecasterSource,
  ): Promise<SalesForecaster> {
    const { meta, model } = await loadVersion(dir, {
      ...(windowSize === undefined ? {} : { windowSize }),
      ...(options.backend === undefined ? {} : { backend: options.backend }),
    });
    return new SalesForecaster(model, meta, sourceOf(meta));
  }

  /** The next value after `series` (exactly windowSize values, oldest first), in sales units. */
  forecast(series: ArrayLike<number>): number;
  /** The next `horizon` values. */
  forecast(series: ArrayLike<number>, options: ForecastOptions & { horizon: number }): number[];
  /** The next value (options carry lastDate and covariates only). */
  forecast(series: ArrayLike<number>, options: Omit<ForecastOptions, "horizon"> & { horizon?: undefined }): number;
  forecast(series: ArrayLike<number>, options?: ForecastOptions): number | number[] {
    if (options?.horizon === undefined) return this.run([series], 1, "series", options?.lastDate, options?.covariates)[0][0];
    return this.run([series], options.horizon, "series", options.lastDate, options.covariates)[0];
  }

  /**
   * Levels this model can answer intervals for, each with how many steps ahead (a level
   * with too few calibration residuals even at step 1 is left out).
   */
  intervalLevels(): Array<{ level: number; steps: number }> {
    if (!this.intervals) return [];
    const calibration = this.intervals;
    return calibration.levels.map((level) => ({ level, steps: calibratedSteps(calibration, level) })).filter((l) => l.steps > 0);
  }

  /**
   * The forecast plus, for each level, forecast ± the conformal half-width of each step. A
   * level that was not calibrated, or a horizon beyond the steps it was calibrated for, is a
   * ForecastInputError ("invalid_level") naming what is available: no step is ever answered
   * without its band.
   */
  forecastWithIntervals(series: ArrayLike<number>, options: ForecastOptions & { levels: readonly number[] }): IntervalForecast {
    const horizon = options.horizon ?? 1;
    // The window is checked first, so a wrong length gets the reference's message either way.
    const forecast = this.run([series], horizon, "series", options.lastDate, options.covariates)[0];
    this.checkLevels(options.levels, horizon);
    return { forecast, intervals: intervalBands(this.intervals!, forecast, options.levels) };
  }

  /** Throws the ForecastInputError a caller can act on unless every level covers `horizon` steps. */
  checkLevels(levels: readonly number[], horizon: number): void {
    const available = this.intervalLevels();
    const where = `the ${this.category} model${this.version === undefined ? "" : ` (version ${this.version})`}`;
    if (available.length === 0) {
      throw new ForecastInputError(
        `${where} has no calibrated prediction intervals (it was trained before intervals existed, or its validation part was too short); ` +
          `retrain the category to get them, or leave out "level"`,
        "invalid_level",
      );
    }
    const steps = (n: number) => `${n} step${n === 1 ? "" : "s"} ahead`;
    const list = available.map((a) => `${a.level} (up to ${steps(a.steps)})`).join(", ");
    for (const level of levels) {
      const found = available.find((a) => a.level === level);
      if (!found) {
        throw new ForecastInputError(`level ${String(level)} is not calibrated for ${where}; available levels: ${list}`, "invalid_level");
      }
      if (horizon > found.steps) {
        throw new ForecastInputError(
          `level ${level} is calibrated up to ${steps(found.steps)} for ${where}, but horizon is ${horizon}; ` +
            `ask for a horizon of at most ${found.steps}, or raise model.interval_horizon and retrain. Available levels: ${list}`,
          "invalid_level",
        );
      }
    }
  }

  /** One-step forecasts for many windows in one call (one value per window). */
  predictBatch(windows: readonly ArrayLike<number>[], lastDate?: string): number[] {
    return this.forecastBatch(windows, 1, lastDate).map((steps) => steps[0]);
  }

  /**
   * For each window, `horizon` values ahead: one model call for all windows together (the
   * network: one engine call per step for the batch, so a batch costs the calls of one window).
   * `firstIndex`: the index of windows[0] in the request, when a caller forecasts a large
   * request slice by slice, so error messages name the request's own instance.
   */
  forecastBatch(windows: readonly ArrayLike<number>[], horizon = 1, lastDate?: string, firstIndex = 0): number[][] {
    return this.run(windows, horizon, "instances", lastDate, undefined, firstIndex);
  }

  /** `inputName` is what error messages call the input: "series" or "instances" (then indexed). */
  private run(
    windows: readonly ArrayLike<number>[],
    horizon: number,
    inputName: "series" | "instances",
    lastDate: string | undefined,
    covariates?: ForecastOptions["covariates"],
    firstIndex = 0,
  ): number[][] {
    checkHorizon(horizon);
    if (windows.length === 0) return [];
    const values = windows.map((window, b) => this.checkWindow(window, inputName === "series" ? "series" : `instances[${firstIndex + b}]`));
    const lastDay = this.lastDayOf(lastDate);
    const columns = this.covariateNames.length ? this.covariateColumns(covariates, horizon, inputName) : undefined;
    const histories = values.map((window) => this.historyFor(window, lastDay, lastDate, columns));
    return forecastAll(this.model, histories, horizon).map((path) =>
      Array.from(path, (sales) => {
        if (!Number.isFinite(sales)) throw new ModelOutputError(this.category, this.version);
        return sales;
      }),
    );
  }

  /**
   * The history a window is forecast from. A model without a stored history reads the window
   * itself, its periods dated so the last one is `lastDay` (the stored data's end when the model
   * reads no dates: covariates alone are positional). A model with one gets that history with the
   * window in place of its last periods, or appended after it when `lastDay` is later.
   */
  private historyFor(
    window: Float64Array,
    lastDay: number | undefined,
    lastDate: string | undefined,
    covariates: Record<string, Float64Array> | undefined,
  ): SeriesInput {
    const { frequency } = this.meta.data;
    const N = this.windowSize;
    const step = PERIOD_DAYS[frequency];
    const stored = this.model.history;
    if (!stored) {
      const last = lastDay ?? epochDayFromIso(this.meta.data.end) ?? 0;
      return { name: this.category, values: window, start: isoFromEpochDay(last - (N - 1) * step), frequency, ...(covariates ? { covariates } : {}) };
    }
    const n = stored.values.length;
    const startDay = epochDayFromIso(stored.start)!;
    const index = lastDay === undefined ? n - 1 : (lastDay - startDay) / step;
    const end = isoFromEpochDay(startDay + (n - 1) * step);
    const where = `the ${this.category} model's history (${stored.start} .. ${end})`;
    if (!Number.isInteger(index)) {
      throw new ForecastInputError(
        `last_date ${lastDate} is not the date a period of ${where} starts on (one period every ${step} days): send such a date`,
        "invalid_last_date",
      );
    }
    const first = index - (N - 1);
    if (first < 0) {
      throw new ForecastInputError(
        `last_date ${lastDate}: a window of ${N} periods ending then would start before ${where}; send a later last_date (at least ${isoFromEpochDay(startDay + (N - 1) * step)})`,
        "invalid_last_date",
      );
    }
    if (first > n) {
      throw new ForecastInputError(
        `last_date ${lastDate} is ${index - (n - 1)} periods after the end of ${where}: more than the window of ${N} periods, so the periods ` +
          `between are unknown. Send a window whose last date is at most ${isoFromEpochDay(startDay + (n - 1 + N) * step)}, or retrain the category on recent data`,
        "invalid_last_date",
      );
    }
    const values = new Float64Array(first + N);
    values.set(stored.values.subarray(0, first));
    values.set(window, first);
    return { ...stored, values };
  }

  /** The window as numbers, checked: exactly windowSize finite values, none too far from what the model was trained on. */
  private checkWindow(window: ArrayLike<number>, label: string): Float64Array {
    const T = this.windowSize;
    if (window.length !== T) {
      // The reference's words first: clients may match on them.
      throw new ForecastInputError(
        `${label === "series" ? "" : `${label}: `}Series must contain exactly ${T} values, got ${window.length} ` +
          `(the ${this.category} model reads windows of ${T} periods, oldest first)`,
        "invalid_series_length",
      );
    }
    const scale = this.model.inputs?.scale;
    const out = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      const x = window[t];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new ForecastInputError(`${label}[${t}] must be a finite number, got ${String(x)}`, "invalid_value");
      }
      if (scale && !(Math.abs((x - scale.mean) / scale.std) <= MAX_ABS_Z)) {
        throw new ForecastInputError(
          `${label}[${t}] = ${x} is too far from the values the ${this.category} model was trained on ` +
            `(mean ${scale.mean.toPrecision(6)}, std ${scale.std.toPrecision(6)}) to forecast from`,
          "invalid_value",
        );
      }
      out[t] = x;
    }
    return out;
  }

  /** The request's covariate values (window + forecast periods of each), checked, for a model that reads covariates. */
  private covariateColumns(covariates: ForecastOptions["covariates"], horizon: number, inputName: "series" | "instances"): Record<string, Float64Array> {
    const names = this.covariateNames;
    const T = this.windowSize;
    const count = T + horizon;
    const where = `the ${this.category} model reads covariates (${names.join(", ")})`;
    if (inputName === "instances") {
      throw new ForecastInputError(
        `${where}: send one window as "series" with its "covariates"; "instances" is not supported for such a model`,
        "invalid_covariates",
      );
    }
    if (this.model.history) {
      // No kind keeps a history and reads covariates yet: the stored periods would need theirs too.
      throw new ForecastInputError(
        `${where}, which serving from its stored history does not support yet: retrain it without model.features.covariates`,
        "invalid_covariates",
      );
    }
    if (covariates === undefined || typeof covariates !== "object") {
      throw new ForecastInputError(
        `${where}, so it needs "covariates": {${names.map((n) => `"${n}": [...]`).join(", ")}}, each with ${count} values ` +
          `(the ${T} periods of the window, then the ${horizon} forecast period${horizon === 1 ? "" : "s"})`,
        "invalid_covariates",
      );
    }
    const unknown = Object.keys(covariates).filter((name) => !names.includes(name));
    if (unknown.length) throw new ForecastInputError(`${where}; unknown covariate ${unknown.map((n) => `"${n}"`).join(", ")}`, "invalid_covariates");
    return Object.fromEntries(
      names.map((name) => {
        const column = covariates[name];
        if (column === undefined) throw new ForecastInputError(`${where}; "covariates" has no "${name}"`, "invalid_covariates");
        if (column.length !== count) {
          throw new ForecastInputError(
            `covariates.${name} must have ${count} values (the ${T} periods of the window, then the ${horizon} forecast period${horizon === 1 ? "" : "s"}), got ${column.length}`,
            "invalid_covariates",
          );
        }
        const values = Float64Array.from({ length: count }, (_, i) => {
          const x = column[i];
          if (typeof x !== "number" || !Number.isFinite(x))
            throw new ForecastInputError(`covariates.${name}[${i}] must be a finite number, got ${String(x)}`, "invalid_covariates");
          return x;
        });
        return [name, values];
      }),
    );
  }

  /**
   * The epoch day of last_date: required by a model with calendar features, used when given by a
   * model with a stored history; undefined otherwise (the others ignore it).
   */
  private lastDayOf(lastDate: string | undefined): number | undefined {
    const example = this.meta.data.end;
    if (this.needsLastDate && lastDate === undefined) {
      throw new ForecastInputError(
        `the ${this.category} model reads calendar features (${featureChannelNames(this.features).join(", ")}), so it needs "last_date": ` +
          `the date (YYYY-MM-DD) of the last value of the window, e.g. "${example}"`,
        "invalid_last_date",
      );
    }
    if (lastDate === undefined || !(this.needsLastDate || this.model.history)) return undefined;
    const day = typeof lastDate === "string" ? epochDayFromIso(lastDate) : undefined;
    if (day === undefined) {
      throw new ForecastInputError(`last_date must be a date written YYYY-MM-DD (e.g. "${example}"), got ${JSON.stringify(lastDate)}`, "invalid_last_date");
    }
    return day;
  }
}

function checkHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new ForecastInputError(`horizon must be an integer from 1 to ${MAX_HORIZON}, got ${String(horizon)}`, "invalid_horizon");
  }
}
