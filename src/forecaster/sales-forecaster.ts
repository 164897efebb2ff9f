// SalesForecaster: one registered model version of one category, ready to answer.
//   window (sales units) -> z = (x - mean) / std -> CNN+LSTM -> y = z_out * std + mean
// The reference's contract: the window must have exactly window_size values, the answer is the
// next period in sales units. Multi-step forecasts feed each prediction back as the newest
// input (recursive), staying in normalised units between steps so nothing is rounded twice.
//
// Models trained with calendar features (model.json extra.features) read extra input channels
// computed from dates: such a model needs the date of the last value of each window
// ("last_date"), and refuses to answer without it. Models trained with model.horizon H > 1
// predict H periods per network call (src/models/cnn_lstm/paths.ts); longer horizons are block-recursive.
//
// A forecaster never changes after construction (the model's buffers are scratch space used
// inside one synchronous call), so swapping a new version in is replacing one reference.
import { loadCheckpoint, type CheckpointMeta } from "../engine/checkpoint.js";
import type { CnnLstmModel } from "../engine/model.js";
import type { ModelVersionInfo } from "../registry/index.js";
import { ForecastInputError, ModelOutputError } from "./errors.js";
import { choosePredictor, type PredictorKind } from "./inference-path.js";
import {
  CalendarEncoder,
  covariatesOf,
  featureChannelNames,
  FeatureSpecError,
  hasFeatures,
  inputSizeFor,
  NO_FEATURES,
  parseCovariateStats,
  parseFeatureSpec,
  periodCovariateSource,
  type CovariateStats,
  type FeatureSpec,
} from "../data/features.js";
import { epochDayFromIso, isoFromEpochDay } from "../data/dates.js";
import { forecastNormalisedPaths, type WindowLayout } from "../models/cnn_lstm/paths.js";
import { calibratedSteps, intervalBands, parseIntervalCalibration, type IntervalBand, type IntervalCalibration } from "../models/intervals.js";

/** Longest recursive forecast: a year of daily periods. */
export const MAX_HORIZON = 365;

/**
 * Inputs further than this many standard deviations from the training mean are refused:
 * nothing sensible comes out of them, and they could overflow float32 inside the network.
 */
export const MAX_ABS_Z = 1e12;

/**
 * "fast": the fastest path inference-path.ts finds for the model (native backend, WebAssembly
 * SIMD, else the engine); "reference": always the engine's CnnLstmModel.predict.
 */
export type InferencePath = "fast" | "reference";

export interface ForecasterOptions {
  inference?: InferencePath;
}

/** Per-request options of a forecast. */
export interface ForecastOptions {
  horizon?: number;
  /**
   * ISO date (YYYY-MM-DD) of the period of the window's last value (for instances: of every
   * window's last value). Required by models with calendar features, ignored by the others.
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
  readonly windowSize: number;
  readonly meta: CheckpointMeta;
  readonly source: ForecasterSource;
  /** Which path answers: "fast" (native or WebAssembly SIMD) or "reference" (the engine). */
  readonly inference: InferencePath;
  /** The code that computes the forecasts: "native", "wasm" or "engine" (inference-path.ts). */
  readonly predictor: PredictorKind;
  /** Split conformal half-widths stored at training (model.json extra.intervals); undefined for older models. */
  readonly intervals: IntervalCalibration | undefined;
  /** Calendar features the model reads (all off for the reference's one-channel model). */
  readonly features: FeatureSpec;
  /** Periods the network predicts per call (model.horizon at training). */
  readonly directHorizon: number;
  /** Training-part statistics of the covariates (model.json extra.covariate_stats); [] without covariates. */
  readonly covariateStats: CovariateStats[];
  private readonly predictNormalised: (x: Float32Array, batch: number) => Float32Array;
  private readonly mean: number;
  private readonly std: number;
  private readonly layout: WindowLayout;

  constructor(model: CnnLstmModel, meta: CheckpointMeta, source: ForecasterSource, options: ForecasterOptions = {}) {
    try {
      this.features = parseFeatureSpec(meta.extra?.features) ?? NO_FEATURES;
      this.covariateStats = parseCovariateStats(meta.extra?.covariate_stats, this.features);
    } catch (error) {
      if (error instanceof FeatureSpecError) throw new Error(`${error.message} (${source.dir})`);
      throw error;
    }
    const expectedInputs = inputSizeFor(this.features);
    if (model.shape.inputSize !== expectedInputs) {
      const channels = featureChannelNames(this.features);
      throw new Error(
        `the model in ${source.dir} reads ${model.shape.inputSize} input channels, but its model.json describes ${expectedInputs} ` +
          `(the sales value${channels.length ? ` + ${channels.join(", ")}` : ""}); the checkpoint is inconsistent: retrain the category`,
      );
    }
    this.directHorizon = model.shape.outputSize;
    // inference-path.ts picks native, WebAssembly or the engine (the only one for every shape).
    const predictor = choosePredictor(model, { inference: options.inference ?? "fast" });
    this.predictor = predictor.kind;
    this.inference = predictor.kind === "engine" ? "reference" : "fast";
    this.predictNormalised = predictor.predict;
    this.meta = meta;
    this.source = source;
    this.category = source.category;
    this.version = source.version;
    this.windowSize = meta.window_size;
    this.mean = meta.normalization.mean;
    this.std = meta.normalization.std;
    this.intervals = parseIntervalCalibration(meta.extra?.intervals);
    this.layout = {
      windowSize: meta.window_size,
      inputSize: model.shape.inputSize,
      outputSize: model.shape.outputSize,
      stats: meta.normalization,
      ...(hasFeatures(this.features) ? { encoder: new CalendarEncoder(this.features, meta.data.frequency) } : {}),
    };
  }

  /** True when a forecast needs the date of the window's last value (the model reads calendar features). */
  get needsLastDate(): boolean {
    return this.layout.encoder !== undefined;
  }

  /** The covariates each forecast needs values for ([] for models without). */
  get covariateNames(): string[] {
    return covariatesOf(this.features);
  }

  /** Loads a registered version (its folder holds model.safetensors + model.json). */
  static async fromRegistered(info: ModelVersionInfo, options: ForecasterOptions = {}): Promise<SalesForecaster> {
    const { model, meta } = await loadCheckpoint(info.dir, { windowSize: info.windowSize });
    return new SalesForecaster(
      model,
      meta,
      {
      category: info.category,
      version: info.version,
      dir: info.dir,
      createdAt: info.createdAt,
        ...(info.runId === undefined ? {} : { runId: info.runId }),
        aliases: [...info.aliases],
      },
      options,
    );
  }

  /** Loads a checkpoint folder outside any registry (the CLI's --checkpoint). */
  static async fromDirectory(dir: string, options: ForecasterOptions = {}): Promise<SalesForecaster> {
    const { model, meta } = await loadCheckpoint(dir);
    return new SalesForecaster(model, meta, { category: meta.data.category, dir, createdAt: meta.created_at }, options);
  }

  /** The next value after `series` (exactly windowSize values, oldest first), in sales units. */
  forecast(series: ArrayLike<number>): number;
  /** The next `horizon` values, each prediction fed back as input for the one after it. */
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
   * The recursive forecast plus, for each level, forecast ± the conformal half-width of each
   * step. A level that was not calibrated, or a horizon beyond the steps it was calibrated
   * for, is a ForecastInputError ("invalid_level") naming what is available: no step is ever
   * answered without its band.
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

  /** One-step forecasts for many windows in one engine call (one value per window). */
  predictBatch(windows: readonly ArrayLike<number>[], lastDate?: string): number[] {
    return this.forecastBatch(windows, 1, lastDate).map((steps) => steps[0]);
  }

  /**
   * For each window, `horizon` values ahead. One engine call per step (per H steps for a direct
   * model) for all windows together, so a batch costs the same number of calls as a single window.
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
    const batch = windows.length;
    if (batch === 0) return [];
    const T = this.windowSize;
    const input = new Float32Array(batch * T);
    windows.forEach((window, b) => this.normaliseInto(input, b * T, window, inputName === "series" ? "series" : `instances[${firstIndex + b}]`));
    const lastDay = this.lastDayOf(lastDate);
    const days = lastDay === undefined ? undefined : new Array<number>(batch).fill(lastDay);
    const layout = this.covariateNames.length ? this.layoutWithCovariates(covariates, lastDay!, horizon, inputName) : this.layout;
    const z = forecastNormalisedPaths(this.predictNormalised, layout, input, days, batch, horizon);
    return Array.from({ length: batch }, (_, b) =>
      Array.from(z.subarray(b * horizon, (b + 1) * horizon), (value) => {
        const sales = value * this.std + this.mean;
        if (!Number.isFinite(sales)) throw new ModelOutputError(this.category, this.version);
        return sales;
      }),
    );
  }

  /** The layout of one request of a covariate model: an encoder reading the request's covariate values. */
  private layoutWithCovariates(covariates: ForecastOptions["covariates"], lastDay: number, horizon: number, inputName: "series" | "instances"): WindowLayout {
    const names = this.covariateNames;
    const T = this.windowSize;
    const count = T + horizon;
    const where = `the ${this.category} model reads covariates (${names.join(", ")})`;
    if (inputName === "instances") {
      throw new ForecastInputError(`${where}: send one window as "series" with its "covariates"; "instances" is not supported for such a model`, "invalid_covariates");
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
    const values = names.map((name) => {
      const column = covariates[name];
      if (column === undefined) throw new ForecastInputError(`${where}; "covariates" has no "${name}"`, "invalid_covariates");
      if (column.length !== count) {
        throw new ForecastInputError(
          `covariates.${name} must have ${count} values (the ${T} periods of the window, then the ${horizon} forecast period${horizon === 1 ? "" : "s"}), got ${column.length}`,
          "invalid_covariates",
        );
      }
      return Array.from({ length: count }, (_, i) => {
        const x = column[i];
        if (typeof x !== "number" || !Number.isFinite(x)) throw new ForecastInputError(`covariates.${name}[${i}] must be a finite number, got ${String(x)}`, "invalid_covariates");
        return x;
      });
    });
    const encoder = this.layout.encoder!;
    const firstDay = encoder.shift(lastDay, -(T - 1));
    const source = periodCovariateSource(this.covariateStats, values, isoFromEpochDay(firstDay), this.meta.data.frequency);
    return { ...this.layout, encoder: new CalendarEncoder(this.features, this.meta.data.frequency, source) };
  }

  /** The epoch day of last_date for a model with features (required then); undefined for the others. */
  private lastDayOf(lastDate: string | undefined): number | undefined {
    if (!this.needsLastDate) return undefined;
    const names = featureChannelNames(this.features).join(", ");
    // Covariates alone are positional (the request lists them by period): any reference day does.
    const calendar = this.features.day_of_week || this.features.month || this.features.holidays.length > 0;
    if (lastDate === undefined && !calendar) return 0;
    if (lastDate === undefined) {
      throw new ForecastInputError(
        `the ${this.category} model reads calendar features (${names}), so it needs "last_date": ` +
          `the date (YYYY-MM-DD) of the last value of the window, e.g. "${this.meta.data.end}"`,
        "invalid_last_date",
      );
    }
    const day = typeof lastDate === "string" ? epochDayFromIso(lastDate) : undefined;
    if (day === undefined) {
      throw new ForecastInputError(`last_date must be a date written YYYY-MM-DD (e.g. "${this.meta.data.end}"), got ${JSON.stringify(lastDate)}`, "invalid_last_date");
    }
    return day;
  }

  private normaliseInto(target: Float32Array, offset: number, window: ArrayLike<number>, label: string): void {
    const T = this.windowSize;
    if (window.length !== T) {
      // The reference's words first: clients may match on them.
      throw new ForecastInputError(
        `${label === "series" ? "" : `${label}: `}Series must contain exactly ${T} values, got ${window.length} ` +
          `(the ${this.category} model reads windows of ${T} periods, oldest first)`,
        "invalid_series_length",
      );
    }
    for (let t = 0; t < T; t++) {
      const x = window[t];
      if (typeof x !== "number" || !Number.isFinite(x)) {
        throw new ForecastInputError(`${label}[${t}] must be a finite number, got ${String(x)}`, "invalid_value");
      }
      const z = (x - this.mean) / this.std;
      if (!(Math.abs(z) <= MAX_ABS_Z)) {
        throw new ForecastInputError(
          `${label}[${t}] = ${x} is too far from the values the ${this.category} model was trained on ` +
            `(mean ${this.mean.toPrecision(6)}, std ${this.std.toPrecision(6)}) to forecast from`,
          "invalid_value",
        );
      }
      target[offset + t] = z;
    }
  }
}

function checkHorizon(horizon: number): void {
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON) {
    throw new ForecastInputError(`horizon must be an integer from 1 to ${MAX_HORIZON}, got ${String(horizon)}`, "invalid_horizon");
  }
}
