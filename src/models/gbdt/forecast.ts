// forecastGbdtForecaster: the h periods after the end of the history it is given, from any
// cutoff, for any series. The scale comes from that history (the cutoff's), the trees from the
// fit; nothing after the history is read but covariates of the forecast periods.
//
// - recursive: step k's row reads the scaled history with the forecasts of steps 1..k-1
//   appended (fed back as lags and into the rolling windows);
// - direct: step k's own model reads lags ≥ k only, all inside the history.
// A series the fit was trained on keeps its code; another one (no code) is forecast as the mean
// of the forecasts with every training series' code (the model's answer averaged over which
// series it might be), unless options.asSeries names the training series to stand for it.
import { epochDayFromIso } from "../../data/dates.js";
import { predictGbdt } from "../../engine/gbdt/index.js";
import { ModelInputError } from "../errors.js";
import { featureCount, fillRow, type SeriesContext } from "./feature-rows.js";
import { modelFeatures } from "./feature-spec.js";
import { checkedModels } from "./fit-check.js";
import { FAMILY } from "./options.js";
import { scaleInto, seriesScaling, unscale } from "./scaling.js";
import { checkSeriesInput, PERIOD_DAYS } from "./series-input.js";
import type { GbdtForecasterFit, GbdtSeries, GbdtStepModel } from "./types.js";

export interface GbdtForecastOptions {
  /** A training series whose code stands for this series (when its own name was not trained on). */
  asSeries?: string;
}

export function forecastGbdtForecaster(fit: GbdtForecasterFit, series: GbdtSeries, h: number, options: GbdtForecastOptions = {}): Float64Array {
  const models = checkedModels(fit);
  checkSeriesInput(series, "the series");
  if (!Number.isInteger(h) || h < 1) throw new ModelInputError(`${FAMILY}: the horizon must be a whole number of periods, at least 1 (got ${h})`);
  if (series.frequency !== fit.frequency) {
    throw new ModelInputError(
      `${FAMILY}: series "${series.name}" is ${series.frequency === "D" ? "daily" : "weekly"} but the model was fitted on ${fit.frequency === "D" ? "daily" : "weekly"} data`,
    );
  }
  if (fit.strategy === "direct" && h > fit.horizon) {
    throw new ModelInputError(
      `${FAMILY}: the direct models were fitted for ${fit.horizon} steps, ${h} asked`,
      `fit with horizon ≥ ${h}, or use strategy "recursive"`,
    );
  }
  const n = series.values.length;
  const covariates = fit.features.covariates.map((name) => {
    const values = series.covariates?.[name];
    if (!values || values.length < n + h) {
      throw new ModelInputError(
        `${FAMILY}: series "${series.name}" needs covariate "${name}" for its ${n} periods and the ${h} forecast periods (${n + h} values; got ${values?.length ?? "none"})`,
        "give the covariate's known-in-advance values for the forecast periods too",
      );
    }
    return values;
  });

  const scaling = seriesScaling(series.values, fit.scaling, fit.scale_window);
  const z = new Float64Array(n + h).fill(Number.NaN);
  scaleInto(series.values, scaling, z);
  const context: SeriesContext = {
    z,
    startDay: epochDayFromIso(series.start)!,
    periodDays: PERIOD_DAYS[series.frequency],
    code: 0,
    scale: scaling.scale,
    covariates,
  };
  const codes = codesFor(fit, series.name, options.asSeries);

  const out = new Float64Array(h);
  for (let k = 1; k <= h; k++) {
    const index = fit.strategy === "recursive" ? 0 : k - 1;
    const t = n - 1 + k;
    const value = predictStep(fit, fit.models[index], models[index], context, t, codes);
    if (fit.strategy === "recursive") z[t] = value;
    out[k - 1] = unscale(value, scaling);
  }
  return finite(out, series.values);
}

function codesFor(fit: GbdtForecasterFit, name: string, asSeries: string | undefined): number[] {
  if (!fit.features.series_code) return [0];
  const seen = fit.series.find((s) => s.name === (asSeries ?? name));
  if (seen) return [seen.code];
  if (asSeries !== undefined) {
    throw new ModelInputError(
      `${FAMILY}: asSeries "${asSeries}" is not a series the model was trained on`,
      `use one of ${fit.series
        .slice(0, 8)
        .map((s) => s.name)
        .join(", ")}${fit.series.length > 8 ? ", …" : ""}`,
    );
  }
  return fit.series.map((s) => s.code);
}

/** The scaled forecast of period t: the model's prediction, averaged over `codes`. */
function predictStep(
  fit: GbdtForecasterFit,
  step: GbdtStepModel,
  gbdt: ReturnType<typeof checkedModels>[number],
  context: SeriesContext,
  t: number,
  codes: number[],
): number {
  if (gbdt === null) return step.constant!;
  const f = modelFeatures(fit.features, step);
  const cols = featureCount(f);
  const rows = new Float32Array(codes.length * cols);
  codes.forEach((code, r) => fillRow(f, { ...context, code }, t, rows, r * cols));
  const predictions = predictGbdt(gbdt, rows, codes.length);
  let sum = 0;
  for (const p of predictions) sum += p;
  return sum / codes.length;
}

/**
 * Trees give finite leaf values, so forecasts are finite; a poisson or tweedie score so large that
 * exp() overflows is the one way they could not be. Such a value is replaced by the largest
 * absolute value of the history, so a caller never receives NaN or Infinity.
 */
function finite(out: Float64Array, history: Float64Array): Float64Array {
  let largest = 0;
  for (const v of history) largest = Math.max(largest, Math.abs(v));
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) out[i] = largest;
  return out;
}
