// SalesForecaster: one registered model version of one category, ready to answer.
//   window (sales units) -> z = (x - mean) / std -> CNN+LSTM -> y = z_out * std + mean
// The reference's contract: the window must have exactly window_size values, the answer is the
// next period in sales units. Multi-step forecasts feed each prediction back as the newest
// input (recursive), staying in normalised units between steps so nothing is rounded twice.
//
// A forecaster never changes after construction (the model's buffers are scratch space used
// inside one synchronous call), so swapping a new version in is replacing one reference.
import { loadCheckpoint, type CheckpointMeta } from "../engine/checkpoint.js";
import type { CnnLstmModel } from "../engine/model.js";
import type { ModelVersionInfo } from "../registry/index.js";
import { ForecastInputError, ModelOutputError } from "./errors.js";
import { FastCnnLstm } from "./fast-model.js";
import { calibratedSteps, intervalBands, parseIntervalCalibration, type IntervalBand, type IntervalCalibration } from "../training/intervals.js";

/** Longest recursive forecast: a year of daily periods. */
export const MAX_HORIZON = 365;

/**
 * Inputs further than this many standard deviations from the training mean are refused:
 * nothing sensible comes out of them, and they could overflow float32 inside the network.
 */
export const MAX_ABS_Z = 1e12;

/**
 * "fast": the WebAssembly SIMD path (fast-model.ts) when the model's shape allows, else the
 * engine; "reference": always the engine's CnnLstmModel.predict.
 */
export type InferencePath = "fast" | "reference";

export interface ForecasterOptions {
  inference?: InferencePath;
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
  /** Which path answers: "fast" (WebAssembly SIMD) or "reference" (the engine). */
  readonly inference: InferencePath;
  /** Split conformal half-widths stored at training (model.json extra.intervals); undefined for older models. */
  readonly intervals: IntervalCalibration | undefined;
  private readonly predictNormalised: (x: Float32Array, batch: number) => Float32Array;
  private readonly mean: number;
  private readonly std: number;

  constructor(model: CnnLstmModel, meta: CheckpointMeta, source: ForecasterSource, options: ForecasterOptions = {}) {
    if (model.shape.outputSize !== 1 || model.shape.inputSize !== 1) {
      throw new Error(
        `SalesForecaster needs a model with one input and one output per period, got inputSize ${model.shape.inputSize}, ` +
          `outputSize ${model.shape.outputSize} (${source.dir})`,
      );
    }
    const fast = (options.inference ?? "fast") === "fast" ? FastCnnLstm.from(model) : undefined;
    this.inference = fast ? "fast" : "reference";
    this.predictNormalised = fast ? (x, batch) => fast.predict(x, batch) : (x, batch) => model.predict(x, batch);
    this.meta = meta;
    this.source = source;
    this.category = source.category;
    this.version = source.version;
    this.windowSize = meta.window_size;
    this.mean = meta.normalization.mean;
    this.std = meta.normalization.std;
    this.intervals = parseIntervalCalibration(meta.extra?.intervals);
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
  forecast(series: ArrayLike<number>, options: { horizon: number }): number[];
  forecast(series: ArrayLike<number>, options?: { horizon: number }): number | number[] {
    if (options === undefined) return this.run([series], 1, "series")[0][0];
    return this.run([series], options.horizon, "series")[0];
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
  forecastWithIntervals(series: ArrayLike<number>, options: { horizon?: number; levels: readonly number[] }): IntervalForecast {
    const horizon = options.horizon ?? 1;
    // The window is checked first, so a wrong length gets the reference's message either way.
    const forecast = this.run([series], horizon, "series")[0];
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
  predictBatch(windows: readonly ArrayLike<number>[]): number[] {
    return this.forecastBatch(windows, 1).map((steps) => steps[0]);
  }

  /**
   * For each window, `horizon` values ahead. One engine call per step for all windows
   * together, so a batch costs the same number of calls as a single window.
   */
  forecastBatch(windows: readonly ArrayLike<number>[], horizon = 1): number[][] {
    return this.run(windows, horizon, "instances");
  }

  /** `inputName` is what error messages call the input: "series" or "instances" (then indexed). */
  private run(windows: readonly ArrayLike<number>[], horizon: number, inputName: "series" | "instances"): number[][] {
    checkHorizon(horizon);
    const batch = windows.length;
    if (batch === 0) return [];
    const T = this.windowSize;
    const input = new Float32Array(batch * T);
    windows.forEach((window, b) => this.normaliseInto(input, b * T, window, inputName === "series" ? "series" : `instances[${b}]`));

    const out = Array.from({ length: batch }, () => new Array<number>(horizon));
    for (let step = 0; step < horizon; step++) {
      const z = this.predictNormalised(input, batch);
      for (let b = 0; b < batch; b++) {
        const value = z[b] * this.std + this.mean;
        if (!Number.isFinite(value)) throw new ModelOutputError(this.category, this.version);
        out[b][step] = value;
      }
      if (step + 1 < horizon) {
        // Slide every window one period: drop the oldest, append the prediction.
        for (let b = 0; b < batch; b++) {
          const row = b * T;
          input.copyWithin(row, row + 1, row + T);
          input[row + T - 1] = z[b];
        }
      }
    }
    return out;
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
