// The settings of the local statistical kinds (model.theta, model.arima, model.intermittent,
// model.mstl, model.ensemble in config/config.yaml), kept beside the main schema so each kind's
// settings read in one place. Every key has the default config/config.yaml ships with.
import { z } from "zod";
import { MODEL_KINDS } from "./model-kinds.js";

const positiveInt = z.coerce.number().int().positive();
const alpha = z.coerce.number().gt(0, "a smoothing constant is in (0, 1]").max(1, "a smoothing constant is in (0, 1]");
/** A list key also takes a single value (as listOf in schema.ts). */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value) => (value === null || value === "" ? [] : value === undefined || Array.isArray(value) ? value : [value]), z.array(item));
}
const period = z.coerce.number().min(2, "a seasonal period is at least 2 periods");

export const thetaSchema = z.strictObject({
  /** auto: the lowest in-sample error of the standard, optimised and dynamic theta models (AutoTheta); or one of them. */
  model: z.enum(["auto", "STM", "OTM", "DSTM", "DOTM"]).default("auto"),
});

export const arimaSchema = z.strictObject({
  /** Let the search try seasonal orders with the data's season (7 daily, 52 weekly); false: non-seasonal orders only. */
  seasonal: z.boolean().default(true),
});

export const intermittentSchema = z.strictObject({
  /** croston and sba: the smoothing constant of the demand sizes and of the intervals (Croston's 0.1). */
  alpha: alpha.default(0.1),
  /** intermittent: the method for sporadic demand (ADI ≥ 1.32); Syntetos-Boylan-Croston (2005) recommend SBA. */
  sporadic_method: z.enum(["croston", "sba", "tsb"]).default("sba"),
  /** intermittent: the method for demand in most periods (ADI < 1.32), where Croston-type methods have no advantage. */
  smooth_method: z.enum(["ets", "theta"]).default("ets"),
});

export const mstlSchema = z.strictObject({
  /** Seasonal periods for daily data; each is used only when the history holds more than two of its cycles. */
  daily_periods: listOf(period).default([7, 365.25]),
  /** Seasonal periods for weekly data (52.18 weeks: the year; rounded to 52 by the decomposition). */
  weekly_periods: listOf(period).default([52.18]),
  /** Forecaster of the seasonally adjusted series: ets (AutoETS without a season, as statsforecast's MSTL), auto (SES or damped Holt by AICc), ses, holt_damped. */
  trend: z.enum(["ets", "auto", "ses", "holt_damped"]).default("ets"),
});

export const ensembleSchema = z.strictObject({
  /** The kinds combined (local statistical kinds); a member that cannot fit a series is left out with its reason. */
  members: listOf(z.enum(MODEL_KINDS)).default(["ets", "theta", "arima"]),
  /** mean, median, or inverse_error: weights ∝ 1 / each member's MAE on the last weight_windows × weight_horizon periods of the history. */
  combination: z.enum(["mean", "median", "inverse_error"]).default("mean"),
  /** inverse_error: rolling-origin windows the weights are measured on (each refits every member). */
  weight_windows: positiveInt.default(2),
  /** inverse_error: periods forecast from each of those windows' cutoffs. */
  weight_horizon: positiveInt.default(7),
});
