// The one-step forecast of a GBDT version (gbdt) as onnx-gbdt.ts builds it: where each feature of
// the row comes from when the window replaces the last W periods of the stored history (the
// default placement), read from the fit itself (its step-1 model's lags, rolling windows,
// calendar and series features, its scaling) so the graph reads what forecastGbdtForecaster reads.
import { epochDayFromIso } from "../data/dates.js";
import type { GbdtFeatureSource, GbdtWindowForecast, MeanAbsTerm } from "../engine/onnx-gbdt.js";
import { calendarValue } from "../models/gbdt/calendar.js";
import { GBDT_FIT_FILE, GBDT_KIND } from "../models/gbdt/family.js";
import { modelFeatures } from "../models/gbdt/feature-spec.js";
import { checkedModels } from "../models/gbdt/fit-check.js";
import { PERIOD_DAYS } from "../models/gbdt/series-input.js";
import type { GbdtForecasterFit } from "../models/gbdt/types.js";
import type { FittedModel, SeriesInput } from "../models/model.js";

/** The fit a GBDT version saves (gbdt_fit.json), parsed. */
function fitOf(model: FittedModel): GbdtForecasterFit | undefined {
  const bytes = model.save().files?.[GBDT_FIT_FILE];
  return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as GbdtForecasterFit) : undefined;
}

/** The sums of |v| the scale reads (scaling.ts's seriesScaling), the part before the window summed in the same order. */
function meanAbsTerms(prefix: Float64Array, n: number, scaleWindow: number): MeanAbsTerm[] {
  const term = (from: number): MeanAbsTerm => {
    let prefixSum = 0;
    for (let t = from; t < prefix.length; t++) prefixSum += Math.abs(prefix[t]);
    return { from, prefixSum, count: n - from };
  };
  return scaleWindow > 0 ? [term(Math.max(0, n - scaleWindow)), term(0)] : [term(0)];
}

/** The forecast of `model` from a window of `windowSize` values; undefined when it is not a GBDT; a reason when the graph cannot express it. */
export function gbdtForecastOf(
  model: FittedModel,
  windowSize: number,
  stored: SeriesInput | undefined = model.history,
): GbdtWindowForecast | { reason: string } | undefined {
  if (model.kind !== GBDT_KIND) return undefined;
  const fit = fitOf(model);
  if (!fit) return { reason: `its trees (${GBDT_FIT_FILE}) are not in the saved model` };
  if (!stored || stored.values.length < windowSize) {
    return { reason: `its stored history (${stored?.values.length ?? 0} periods) is shorter than the window (${windowSize})` };
  }
  if (fit.features.covariates.length > 0) {
    return {
      reason: `its trees read covariates (${fit.features.covariates.join(", ")}) at the forecast period, which an MLflow model's window input does not carry`,
    };
  }
  if (fit.scaling === "standard") {
    return {
      reason: "it scales each series by its mean and standard deviation (scaling standard), which the graph does not compute yet (mean_abs and none it does)",
    };
  }
  if (stored.frequency !== fit.frequency) return { reason: `its stored history is ${stored.frequency} but its trees were fitted on ${fit.frequency} data` };
  const code = fit.series.find((s) => s.name === stored.name)?.code;
  if (fit.features.series_code && code === undefined) {
    return {
      reason: `it serves series "${stored.name}", which its trees were not trained on (its forecast is the mean over every training series' code, which the graph does not build)`,
    };
  }

  const n = stored.values.length;
  const prefix = Float64Array.from(stored.values.subarray(0, n - windowSize));
  const step = fit.models[0];
  const trees = checkedModels(fit)[0];
  const f = modelFeatures(fit.features, step);
  // Period t = n is forecast; its row reads periods before it (feature-rows.ts's fillRow).
  const missing: GbdtFeatureSource = { source: "constant", value: Number.NaN };
  const day = epochDayFromIso(stored.start)! + n * PERIOD_DAYS[fit.frequency];
  const features: GbdtFeatureSource[] = [
    ...(f.seriesCode ? [{ source: "constant" as const, value: code! }] : []),
    ...(f.seriesScale ? [{ source: "scale" as const }] : []),
    ...f.lags.map((lag): GbdtFeatureSource => (n - lag >= 0 ? { source: "period", index: n - lag } : missing)),
    ...f.rolling.map((r): GbdtFeatureSource => {
      const from = n - r.lag - r.window + 1;
      return from < 0 ? missing : { source: "rolling", stat: r.stat, from, to: n - r.lag };
    }),
    ...f.calendar.map((name): GbdtFeatureSource => ({ source: "constant", value: calendarValue(name, day) })),
  ];
  const link = fit.objective === "poisson" || fit.objective === "tweedie" ? "exp" : "identity";
  return {
    prefix,
    scaling: fit.scaling === "none" ? { method: "none" } : { method: "mean_abs", terms: meanAbsTerms(prefix, n, fit.scale_window) },
    features,
    predictor: trees === null ? { constant: step.constant! } : { trees, link },
  };
}
