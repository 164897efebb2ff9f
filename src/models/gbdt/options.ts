// The forecaster's options with their defaults filled in and every value checked: a wrong
// option is refused with what was wrong and what is allowed, before any work starts.
import { GbdtParamError, resolveGbdtParams, type GbdtObjective, type GbdtParams } from "../../engine/gbdt/index.js";
import { ModelInputError } from "../errors.js";
import {
  CALENDAR_FEATURES,
  type CalendarFeature,
  type GbdtForecasterOptions,
  type GbdtLoss,
  type GbdtScaling,
  type GbdtStrategy,
  type GbdtTrainingRows,
  type RollingFeature,
} from "./types.js";

export const FAMILY = "GBDT forecaster";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Feature defaults by frequency: the lags and windows of common practice for daily and weekly
 * retail data (a week of lags and the weekly cycle; the last two months of weeks, a quarter and a
 * half-year; a year), the same as the mlforecast anchor's where it has them (docs/accuracy.md).
 */
export const FEATURE_DEFAULTS = {
  D: {
    lags: range(7, 28),
    yearlyLag: 364,
    rolling: [
      { stat: "mean", window: 7, lag: 7 },
      { stat: "mean", window: 28, lag: 7 },
    ] as RollingFeature[],
    calendar: ["day_of_week", "month", "day_of_year"] as CalendarFeature[],
  },
  W: {
    lags: [...range(1, 8), 13, 26],
    yearlyLag: 52,
    rolling: [
      { stat: "mean", window: 4, lag: 1 },
      { stat: "mean", window: 13, lag: 1 },
    ] as RollingFeature[],
    calendar: ["week_of_year", "month"] as CalendarFeature[],
  },
} as const;

/**
 * The engine parameters the forecaster starts from (LightGBM's names): common practice for
 * LightGBM forecasting (a smaller learning rate than LightGBM's 0.1 with early stopping deciding
 * the number of trees); early stopping is measured in l1, the error MASE averages.
 */
export const FORECASTER_PARAMS: Record<string, unknown> = {
  learning_rate: 0.05,
  num_leaves: 31,
  min_data_in_leaf: 20,
  num_iterations: 1000,
  early_stopping_round: 50,
  metric: "l1",
};

const OBJECTIVE_OF: Record<GbdtLoss, GbdtObjective> = { l2: "regression", l1: "regression_l1", poisson: "poisson", tweedie: "tweedie" };

export interface ResolvedOptions {
  horizon: number;
  strategy: GbdtStrategy;
  loss: GbdtLoss;
  objective: GbdtObjective;
  scaling: GbdtScaling;
  scaleWindow: number;
  lags: number[] | undefined;
  yearlyLag: number | null | undefined;
  rolling: RollingFeature[] | undefined;
  calendar: CalendarFeature[] | undefined;
  seriesCode: boolean;
  seriesScale: boolean;
  covariates: string[] | undefined;
  trainingRows: GbdtTrainingRows;
  trainingWindow: number;
  validationPeriods: number;
  refit: boolean;
  fixedIterations: number;
  earlyStopping: boolean;
  /** Checked engine parameters (objective, threads and seed included). */
  params: GbdtParams;
  learner: "reference" | "fast" | undefined;
  onIteration: GbdtForecasterOptions["onIteration"];
  onTrainingRows: GbdtForecasterOptions["onTrainingRows"];
}

function fail(message: string, hint?: string): never {
  throw new ModelInputError(`${FAMILY}: ${message}`, hint);
}

function wholeNumber(value: unknown, name: string, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) fail(`${name} must be a whole number ≥ ${min} (got ${JSON.stringify(value)})`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) fail(`${name} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  return value as T;
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") fail(`${name} must be true or false (got ${JSON.stringify(value)})`);
  return value;
}

function checkLags(lags: unknown): number[] | undefined {
  if (lags === undefined) return undefined;
  if (!Array.isArray(lags)) fail(`lags must be an array of whole numbers ≥ 1 (got ${JSON.stringify(lags)})`);
  const out = lags.map((l, i) => wholeNumber(l, `lags[${i}]`, 1));
  return [...new Set(out)].sort((a, b) => a - b);
}

function checkRolling(rolling: unknown): RollingFeature[] | undefined {
  if (rolling === undefined) return undefined;
  if (!Array.isArray(rolling)) fail(`rolling must be an array of { stat: "mean" | "std", window, lag }`);
  return rolling.map((r, i) => {
    const item = (r ?? {}) as Partial<RollingFeature>;
    const stat = oneOf(item.stat, `rolling[${i}].stat`, ["mean", "std"] as const, "mean");
    const window = wholeNumber(item.window, `rolling[${i}].window`, stat === "std" ? 2 : 1);
    return { stat, window, lag: wholeNumber(item.lag, `rolling[${i}].lag`, 1) };
  });
}

function checkNames<T extends string>(value: unknown, name: string, allowed?: readonly T[]): T[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || (allowed !== undefined && !allowed.includes(v as T)))) {
    fail(`${name} must be an array of ${allowed ? allowed.join(", ") : "names"} (got ${JSON.stringify(value)})`);
  }
  return [...new Set(value as T[])];
}

export function resolveOptions(options: GbdtForecasterOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) fail("options must be an object with at least a horizon");
  const horizon = wholeNumber(options.horizon, "horizon", 1);
  const loss = oneOf(options.loss, "loss", ["l2", "l1", "poisson", "tweedie"] as const, "l1");
  const scaling = oneOf(options.scaling, "scaling", ["mean_abs", "standard", "none"] as const, "mean_abs");
  if ((loss === "poisson" || loss === "tweedie") && scaling === "standard") {
    fail(
      `the ${loss} loss needs non-negative targets, but standard scaling centres them (negative values)`,
      `use scaling "mean_abs" (divides without centring) or "none"`,
    );
  }
  if (options.yearlyLag !== undefined && options.yearlyLag !== null) wholeNumber(options.yearlyLag, "yearlyLag", 1);
  if (options.params !== undefined && (typeof options.params !== "object" || options.params === null))
    fail("params must be an object of LightGBM-named engine parameters");
  for (const name of ["objective", "num_threads", "seed"]) {
    if (options.params && name in options.params) {
      fail(
        `params.${name} is set by the forecaster`,
        name === "objective" ? "choose it with the loss option (l2, l1, poisson, tweedie)" : `use the ${name === "seed" ? "seed" : "numThreads"} option`,
      );
    }
  }
  let params: GbdtParams;
  try {
    params = resolveGbdtParams({
      ...FORECASTER_PARAMS,
      ...options.params,
      objective: OBJECTIVE_OF[loss],
      num_threads: options.numThreads === undefined ? 0 : wholeNumber(options.numThreads, "numThreads", 0),
      seed: options.seed === undefined ? undefined : wholeNumber(options.seed, "seed", 0),
    });
  } catch (error) {
    if (error instanceof GbdtParamError) fail(error.message);
    throw error;
  }
  return {
    horizon,
    strategy: oneOf(options.strategy, "strategy", ["recursive", "direct"] as const, "recursive"),
    loss,
    objective: OBJECTIVE_OF[loss],
    scaling,
    scaleWindow: options.scaleWindow === undefined ? 0 : wholeNumber(options.scaleWindow, "scaleWindow", 0),
    lags: checkLags(options.lags),
    yearlyLag: options.yearlyLag,
    rolling: checkRolling(options.rolling),
    calendar: checkNames(options.calendar, "calendar", CALENDAR_FEATURES),
    seriesCode: flag(options.seriesCode, "seriesCode", true),
    seriesScale: flag(options.seriesScale, "seriesScale", true),
    covariates: checkNames(options.covariates, "covariates"),
    trainingRows: oneOf(options.trainingRows, "trainingRows", ["any_lag", "complete"] as const, "any_lag"),
    trainingWindow: options.trainingWindow === undefined ? 0 : wholeNumber(options.trainingWindow, "trainingWindow", 0),
    validationPeriods: options.validationPeriods === undefined ? 4 * horizon : wholeNumber(options.validationPeriods, "validationPeriods", 0),
    refit: flag(options.refit, "refit", true),
    fixedIterations: options.fixedIterations === undefined ? 100 : wholeNumber(options.fixedIterations, "fixedIterations", 1),
    earlyStopping: flag(options.earlyStopping, "earlyStopping", true),
    params,
    learner: options.learner === undefined ? undefined : oneOf(options.learner, "learner", ["reference", "fast"] as const, "fast"),
    onIteration: typeof options.onIteration === "function" ? options.onIteration : undefined,
    onTrainingRows: typeof options.onTrainingRows === "function" ? options.onTrainingRows : undefined,
  };
}
