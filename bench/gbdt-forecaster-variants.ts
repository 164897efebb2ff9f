// The configurations of the global GBDT forecaster that bench:gbdt-forecaster runs: the defaults,
// their recursive/direct × L1/L2 variants, and ours set up exactly as the mlforecast anchor
// (bench/anchors/mlforecast_run.py: same lags, windows, date features, scaler, rows, LightGBM
// parameters), which is the like-for-like comparison of speed and accuracy.
import type { GbdtForecasterOptions } from "../src/models/gbdt/index.js";

export type VariantOptions = Omit<GbdtForecasterOptions, "horizon">;

export interface Variant {
  name: string;
  options: VariantOptions;
  /** What it is, for the table's notes. */
  description: string;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Our forecaster with the mlforecast anchor's settings: `shortest` is the periods of the
 * shortest series at the first cutoff (the runner keeps lag 52 only from 104 on).
 */
export function asMlforecast(frequency: "D" | "W", shortest: number, loss: "l1" | "l2" = "l1"): VariantOptions {
  const common: VariantOptions = {
    loss,
    scaling: "standard",
    trainingRows: "complete",
    seriesCode: false,
    seriesScale: false,
    yearlyLag: null,
    earlyStopping: false,
    fixedIterations: 100,
    params: { learning_rate: 0.1 },
    covariates: [],
  };
  if (frequency === "D") {
    return {
      ...common,
      lags: range(7, 28),
      rolling: [
        { stat: "mean", window: 7, lag: 7 },
        { stat: "mean", window: 28, lag: 7 },
      ],
      calendar: ["day_of_week", "month"],
    };
  }
  return {
    ...common,
    lags: [1, 2, 3, 4, 8, 13, 26, ...(shortest >= 104 ? [52] : [])],
    rolling: [
      { stat: "mean", window: 4, lag: 1 },
      { stat: "mean", window: 13, lag: 1 },
    ],
    calendar: ["week_of_year", "month"],
  };
}

/** The built-in variants, by name. */
export function builtInVariants(frequency: "D" | "W", shortest: number): Variant[] {
  return [
    { name: "gbdt_recursive_l1", options: { strategy: "recursive", loss: "l1" }, description: "defaults: recursive, L1" },
    { name: "gbdt_recursive_l2", options: { strategy: "recursive", loss: "l2" }, description: "defaults, L2" },
    { name: "gbdt_direct_l1", options: { strategy: "direct", loss: "l1" }, description: "defaults, direct (one model per step)" },
    { name: "gbdt_direct_l2", options: { strategy: "direct", loss: "l2" }, description: "defaults, direct, L2" },
    {
      name: "gbdt_as_mlforecast",
      options: asMlforecast(frequency, shortest),
      description: "the mlforecast anchor's features, scaler, rows and LightGBM parameters (L1)",
    },
    { name: "gbdt_as_mlforecast_l2", options: asMlforecast(frequency, shortest, "l2"), description: "the same, L2" },
  ];
}

export const DEFAULT_VARIANTS = ["gbdt_recursive_l1", "gbdt_recursive_l2", "gbdt_direct_l1", "gbdt_direct_l2", "gbdt_as_mlforecast", "gbdt_as_mlforecast_l2"];

/** `NAME=JSON`: a variant of the defaults with these options (camelCase, as GbdtForecasterOptions). */
export function parseCustomVariant(text: string): Variant {
  const at = text.indexOf("=");
  if (at < 1) throw new Error(`--variant "${text}": give NAME=JSON, e.g. --variant 'l1_std={"scaling":"standard"}'.`);
  const name = text.slice(0, at);
  let options: unknown;
  try {
    options = JSON.parse(text.slice(at + 1));
  } catch (error) {
    throw new Error(`--variant ${name}: the options are not JSON (${(error as Error).message}).`, { cause: error });
  }
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new Error(`--variant ${name}: the options must be a JSON object.`);
  return { name, options: options as VariantOptions, description: `defaults with ${text.slice(at + 1)}` };
}
