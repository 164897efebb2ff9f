// A fit read back from JSON (a registry version, a file) is checked before it forecasts: its
// shape, and each model's trees through the engine's own reader (gbdtFromJson). The checked
// trees are kept per fit object, so forecasting many times from one fit checks it once.
import { gbdtFromJson, GbdtModelFormatError, type GbdtModel } from "../../engine/gbdt/index.js";
import { ModelInputError } from "../errors.js";
import { featureCount } from "./feature-rows.js";
import { modelFeatures } from "./feature-spec.js";
import { FAMILY } from "./options.js";
import { GBDT_FORECASTER_FORMAT_VERSION, type GbdtForecasterFit } from "./types.js";

const checked = new WeakMap<object, (GbdtModel | null)[]>();

function bad(what: string): never {
  throw new ModelInputError(`${FAMILY}: not a valid fit: ${what}`, "use a fit returned by fitGbdtForecaster (or its JSON, parsed)");
}

const isArray = (v: unknown, check: (x: unknown) => boolean) => Array.isArray(v) && v.every(check);
const isWhole = (x: unknown) => typeof x === "number" && Number.isInteger(x) && x >= 0;

/** The fit's checked trees, one entry per model (null for a constant model). */
export function checkedModels(fit: GbdtForecasterFit): (GbdtModel | null)[] {
  if (typeof fit !== "object" || fit === null) bad("it is not an object");
  const known = checked.get(fit);
  if (known) return known;
  if (fit.family !== "gbdt") bad(`family is ${JSON.stringify(fit.family)}, expected "gbdt"`);
  if (fit.format_version !== GBDT_FORECASTER_FORMAT_VERSION)
    bad(`format_version is ${JSON.stringify(fit.format_version)}; this salescast reads ${GBDT_FORECASTER_FORMAT_VERSION}`);
  if (fit.frequency !== "D" && fit.frequency !== "W") bad("frequency must be D or W");
  if (fit.strategy !== "recursive" && fit.strategy !== "direct") bad("strategy must be recursive or direct");
  if (!isWhole(fit.horizon) || fit.horizon < 1) bad("horizon must be a whole number ≥ 1");
  if (!["mean_abs", "standard", "none"].includes(fit.scaling) || !isWhole(fit.scale_window)) bad("scaling or scale_window is not valid");
  const spec = fit.features;
  if (
    typeof spec !== "object" ||
    spec === null ||
    !isArray(spec.lags, isWhole) ||
    !Array.isArray(spec.rolling) ||
    !Array.isArray(spec.calendar) ||
    !Array.isArray(spec.covariates)
  ) {
    bad("features must hold lags, rolling, calendar and covariates");
  }
  if (
    !isArray(
      fit.series,
      (s) => typeof s === "object" && s !== null && typeof (s as { name: unknown }).name === "string" && isWhole((s as { code: unknown }).code),
    )
  )
    bad("series must be a list of { name, code, ... }");
  const expected = fit.strategy === "recursive" ? 1 : fit.horizon;
  if (!Array.isArray(fit.models) || fit.models.length !== expected)
    bad(`it must hold ${expected} model(s) for a ${fit.strategy} fit of horizon ${fit.horizon}`);
  const models = fit.models.map((m, i) => {
    if (typeof m !== "object" || m === null || !isArray(m.lags, isWhole) || !Array.isArray(m.rolling))
      bad(`models[${i}] must hold its lags and rolling windows`);
    if (m.gbdt === null) {
      if (typeof m.constant !== "number" || !Number.isFinite(m.constant)) bad(`models[${i}] has neither trees nor a constant`);
      return null;
    }
    let gbdt: GbdtModel;
    try {
      gbdt = gbdtFromJson(JSON.stringify(m.gbdt));
    } catch (error) {
      if (error instanceof GbdtModelFormatError) bad(`models[${i}].gbdt: ${error.message}`);
      throw error;
    }
    if (gbdt.num_features !== featureCount(modelFeatures(spec, m)))
      bad(`models[${i}] takes ${gbdt.num_features} features but its feature spec gives ${featureCount(modelFeatures(spec, m))}`);
    return gbdt;
  });
  checked.set(fit, models);
  return models;
}
