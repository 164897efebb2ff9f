// Training parameters under LightGBM's names, with LightGBM's defaults (v4), so that a
// parameter set written for LightGBM means the same thing here. Only the parameters this engine
// implements are accepted: an unknown or unsupported name is refused with the list of known
// ones, rather than silently ignored.

export type GbdtObjective = "regression" | "regression_l1" | "poisson" | "tweedie";
export type GbdtMetric = "l2" | "rmse" | "l1" | "poisson" | "tweedie";

export interface GbdtParams {
  /** "regression" (L2), "regression_l1" (L1), "poisson" (log link), "tweedie" (log link). */
  objective: GbdtObjective;
  /** Boosting rounds (trees). */
  num_iterations: number;
  learning_rate: number;
  /** Maximum leaves per tree (leaf-wise growth stops there). */
  num_leaves: number;
  /** Maximum depth of a leaf; -1 or 0 = no limit. */
  max_depth: number;
  /** Minimum rows in a leaf. */
  min_data_in_leaf: number;
  /** Minimum sum of hessians in a leaf. */
  min_sum_hessian_in_leaf: number;
  lambda_l1: number;
  lambda_l2: number;
  /** Minimum gain for a split to be made. */
  min_gain_to_split: number;
  /** Fraction of the features each tree may split on (chosen per tree, at least 2 or all). */
  feature_fraction: number;
  feature_fraction_seed: number;
  /** Fraction of the rows each tree is grown on, redrawn every bagging_freq trees (0 = off). */
  bagging_fraction: number;
  bagging_freq: number;
  bagging_seed: number;
  /** When set, derives bagging_seed, feature_fraction_seed and data_random_seed from it (as LightGBM's `seed`). */
  seed: number | null;
  /** Maximum bins per feature (2..255); a feature with missing values gets one more for NaN. */
  max_bin: number;
  /** Minimum sampled rows in a bin. */
  min_data_in_bin: number;
  /** Rows sampled to find the bin boundaries. */
  bin_construct_sample_cnt: number;
  /** Seed of that sample. */
  data_random_seed: number;
  /** Drop features that cannot be split with min_data_in_leaf rows on each side. */
  feature_pre_filter: boolean;
  /** Start from the objective's best constant (mean, median, log of the mean). */
  boost_from_average: boolean;
  /** Stop when the validation metric has not improved for this many rounds (0 = off; needs a validation set). */
  early_stopping_round: number;
  /** Improvement smaller than this does not count as one for early stopping. */
  early_stopping_min_delta: number;
  /** Likewise relative to the best metric: an improvement counts only if larger than this × |best| (not a LightGBM parameter; 0 = off). */
  early_stopping_min_relative_delta: number;
  /** Metric on the validation set; null = the objective's own (l2, l1, poisson, tweedie). */
  metric: GbdtMetric | null;
  /** Tweedie variance power, in [1, 2). */
  tweedie_variance_power: number;
  /** Poisson: the hessian is exp(score + this), which keeps early steps small. */
  poisson_max_delta_step: number;
  /** Threads of the native learner (1 or 2); 0 = its default. Results do not depend on it. */
  num_threads: number;
}

export const GBDT_DEFAULTS: Readonly<GbdtParams> = Object.freeze({
  objective: "regression",
  num_iterations: 100,
  learning_rate: 0.1,
  num_leaves: 31,
  max_depth: -1,
  min_data_in_leaf: 20,
  min_sum_hessian_in_leaf: 1e-3,
  lambda_l1: 0,
  lambda_l2: 0,
  min_gain_to_split: 0,
  feature_fraction: 1,
  feature_fraction_seed: 2,
  bagging_fraction: 1,
  bagging_freq: 0,
  bagging_seed: 3,
  seed: null,
  max_bin: 255,
  min_data_in_bin: 3,
  bin_construct_sample_cnt: 200000,
  data_random_seed: 1,
  feature_pre_filter: true,
  boost_from_average: true,
  early_stopping_round: 0,
  early_stopping_min_delta: 0,
  early_stopping_min_relative_delta: 0,
  metric: null,
  tweedie_variance_power: 1.5,
  poisson_max_delta_step: 0.7,
  num_threads: 0,
});

/** LightGBM's other names of the objectives accepted here. */
const OBJECTIVE_ALIASES: Record<string, GbdtObjective> = {
  regression: "regression",
  regression_l2: "regression",
  l2: "regression",
  mean_squared_error: "regression",
  mse: "regression",
  regression_l1: "regression_l1",
  l1: "regression_l1",
  mean_absolute_error: "regression_l1",
  mae: "regression_l1",
  poisson: "poisson",
  tweedie: "tweedie",
};
const METRIC_ALIASES: Record<string, GbdtMetric> = {
  l2: "l2",
  mse: "l2",
  mean_squared_error: "l2",
  regression: "l2",
  rmse: "rmse",
  root_mean_squared_error: "rmse",
  l1: "l1",
  mae: "l1",
  mean_absolute_error: "l1",
  regression_l1: "l1",
  poisson: "poisson",
  tweedie: "tweedie",
};

/** The error for parameters a caller got wrong; the message names the parameter and the fix. */
export class GbdtParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GbdtParamError";
  }
}

type Check = (value: unknown, name: string) => unknown;

const integerIn =
  (lo: number, hi: number): Check =>
  (value, name) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < lo || value > hi) {
      throw new GbdtParamError(`GBDT parameter ${name} must be an integer in [${lo}, ${hi}], got ${JSON.stringify(value)}.`);
    }
    return value;
  };
const numberIn =
  (lo: number, hi: number, loOpen = false): Check =>
  (value, name) => {
    if (typeof value !== "number" || !Number.isFinite(value) || (loOpen ? value <= lo : value < lo) || value > hi) {
      throw new GbdtParamError(`GBDT parameter ${name} must be a number in ${loOpen ? "(" : "["}${lo}, ${hi}], got ${JSON.stringify(value)}.`);
    }
    return value;
  };
const flag: Check = (value, name) => {
  if (typeof value !== "boolean") throw new GbdtParamError(`GBDT parameter ${name} must be true or false, got ${JSON.stringify(value)}.`);
  return value;
};
const oneOf =
  (aliases: Record<string, string>): Check =>
  (value, name) => {
    const canonical = typeof value === "string" ? aliases[value.toLowerCase()] : undefined;
    if (!canonical) {
      throw new GbdtParamError(`GBDT parameter ${name} must be one of ${[...new Set(Object.keys(aliases))].join(", ")}, got ${JSON.stringify(value)}.`);
    }
    return canonical;
  };
const seedValue = integerIn(0, 2 ** 31 - 1);

const CHECKS: Record<keyof GbdtParams, Check> = {
  objective: oneOf(OBJECTIVE_ALIASES),
  num_iterations: integerIn(1, 1_000_000),
  learning_rate: numberIn(0, 1e6, true),
  num_leaves: integerIn(2, 131072),
  max_depth: integerIn(-1, 1000),
  min_data_in_leaf: integerIn(1, 2 ** 31 - 1),
  min_sum_hessian_in_leaf: numberIn(0, Number.MAX_VALUE),
  lambda_l1: numberIn(0, Number.MAX_VALUE),
  lambda_l2: numberIn(0, Number.MAX_VALUE),
  min_gain_to_split: numberIn(0, Number.MAX_VALUE),
  feature_fraction: numberIn(0, 1, true),
  feature_fraction_seed: seedValue,
  bagging_fraction: numberIn(0, 1, true),
  bagging_freq: integerIn(0, 2 ** 31 - 1),
  bagging_seed: seedValue,
  seed: (value, name) => (value === null ? null : seedValue(value, name)),
  max_bin: integerIn(2, 255),
  min_data_in_bin: integerIn(1, 2 ** 31 - 1),
  bin_construct_sample_cnt: integerIn(1, 2 ** 31 - 1),
  data_random_seed: seedValue,
  feature_pre_filter: flag,
  boost_from_average: flag,
  early_stopping_round: integerIn(0, 2 ** 31 - 1),
  early_stopping_min_delta: numberIn(0, Number.MAX_VALUE),
  early_stopping_min_relative_delta: numberIn(0, 1),
  metric: (value, name) => (value === null ? null : oneOf(METRIC_ALIASES)(value, name)),
  tweedie_variance_power: (value, name) => {
    if (typeof value !== "number" || !(value >= 1 && value < 2)) {
      throw new GbdtParamError(`GBDT parameter ${name} must be a number in [1, 2), got ${JSON.stringify(value)}.`);
    }
    return value;
  },
  poisson_max_delta_step: numberIn(0, Number.MAX_VALUE),
  num_threads: integerIn(0, 1024),
};

/** Resolves a partial parameter set: defaults filled in, aliases made canonical, every value checked. */
export function resolveGbdtParams(input: Partial<Record<string, unknown>> = {}): GbdtParams {
  const known = Object.keys(GBDT_DEFAULTS);
  const out: Record<string, unknown> = { ...GBDT_DEFAULTS };
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(name in CHECKS)) {
      throw new GbdtParamError(`Unknown GBDT parameter "${name}". Known parameters (LightGBM's names): ${known.join(", ")}.`);
    }
    out[name] = CHECKS[name as keyof GbdtParams](value, name);
  }
  const params = out as unknown as GbdtParams;
  if (params.seed !== null) {
    // LightGBM's `seed` overrides the specific seeds; derived deterministically from it.
    params.data_random_seed = (params.seed * 3 + 1) % 2147483647;
    params.bagging_seed = (params.seed * 3 + 2) % 2147483647;
    params.feature_fraction_seed = (params.seed * 3 + 3) % 2147483647;
  }
  return params;
}

/** The metric early stopping and the training report use: `metric`, or the objective's own. */
export function resolvedMetric(params: GbdtParams): GbdtMetric {
  if (params.metric) return params.metric;
  return params.objective === "regression" ? "l2" : params.objective === "regression_l1" ? "l1" : params.objective;
}
