// What a registered model needs from a caller, read from its model.json alone (no weights): the
// window, the periods the network predicts at once, the data's frequency and its feature
// channels (calendar features, holidays, covariates). GET /api/models hands this to clients so
// they know, before asking for a forecast, whether to send "last_date" and which covariates.
import { readCheckpointMeta, type CheckpointMeta } from "../engine/checkpoint.js";
import { covariatesOf, featureChannelNames, NO_FEATURES, parseFeatureSpec } from "../data/features.js";

export interface ModelInputs {
  windowSize: number;
  /** Periods the network predicts per call (model.horizon at training); longer forecasts are recursive. */
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

export function modelInputsOf(meta: CheckpointMeta): ModelInputs {
  const features = parseFeatureSpec(meta.extra?.features) ?? NO_FEATURES;
  return {
    windowSize: meta.window_size,
    horizon: meta.shape.outputSize,
    frequency: meta.data.frequency,
    dayOfWeek: features.day_of_week,
    month: features.month,
    holidays: [...features.holidays],
    covariates: covariatesOf(features),
    channels: ["sales", ...featureChannelNames(features)],
    needsLastDate: features.day_of_week || features.month || features.holidays.length > 0,
  };
}

/** The inputs of the model in a checkpoint folder; throws (CheckpointError, FeatureSpecError) when model.json is unreadable. */
export async function readModelInputs(dir: string): Promise<ModelInputs> {
  return modelInputsOf(await readCheckpointMeta(dir));
}
