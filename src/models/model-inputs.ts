// What a registered model needs from a caller, read from its model.json alone (no weights): its
// kind, the window, the periods it predicts per step, the data's frequency and its feature
// channels (calendar features, holidays, covariates). GET /api/models hands this to clients so
// they know, before asking for a forecast, whether to send "last_date" and which covariates.
import { covariatesOf, featureChannelNames, NO_FEATURES, parseFeatureSpec } from "../data/features.js";
import { readVersionMeta, versionKind, type VersionMeta } from "./version-file.js";

export interface ModelInputs {
  /** The model kind (cnn_lstm, holt_winters, ...). */
  kind: string;
  windowSize: number;
  /** Periods the model predicts per step (the network's model.horizon at training; 1 for the others); longer forecasts repeat steps. */
  horizon: number;
  frequency: "D" | "W";
  dayOfWeek: boolean;
  month: boolean;
  /** ISO dates of the holiday channel ([] = no such channel). */
  holidays: string[];
  /** Covariate columns the model reads: each forecast needs window_size + horizon values of each. */
  covariates: string[];
  /** The network's input channels in order, the sales value first. */
  channels: string[];
  /** Models with calendar channels need the date of the window's last value ("last_date"); covariates alone are positional. */
  needsLastDate: boolean;
}

export function modelInputsOf(meta: VersionMeta): ModelInputs {
  const features = parseFeatureSpec(meta.extra?.features) ?? NO_FEATURES;
  // The network writes its shape at the top of model.json (outputSize: periods per call).
  const shape = meta.shape as { outputSize?: unknown } | undefined;
  return {
    kind: versionKind(meta),
    windowSize: meta.window_size,
    horizon: typeof shape?.outputSize === "number" ? shape.outputSize : 1,
    frequency: meta.data.frequency,
    dayOfWeek: features.day_of_week,
    month: features.month,
    holidays: [...features.holidays],
    covariates: covariatesOf(features),
    channels: ["sales", ...featureChannelNames(features)],
    needsLastDate: features.day_of_week || features.month || features.holidays.length > 0,
  };
}

/** The inputs of the model in a version folder; throws (ModelFileError, FeatureSpecError...) when model.json is unreadable. */
export async function readModelInputs(dir: string): Promise<ModelInputs> {
  return modelInputsOf(await readVersionMeta(dir));
}
