// The training rows a fit would learn from, as plain numbers: to look at the features of a
// dataset (what does lag 7 of this store hold on that day?) and to check them in tests.
import { featureCount, featureNames } from "./feature-rows.js";
import { modelFeatures, stepFeatures } from "./feature-spec.js";
import { prepareSeries } from "./fit.js";
import { resolveOptions } from "./options.js";
import { buildTrainingSet } from "./training-set.js";
import type { GbdtForecasterOptions, GbdtSeries } from "./types.js";

export interface GbdtTrainingRow {
  series: string;
  /** The target period's index in its series. */
  t: number;
  features: number[];
  /** The scaled target. */
  label: number;
  /** Held out for early stopping. */
  validation: boolean;
}

/** The rows of the recursive model (step null) or of the direct model of `step`, train rows then held-out ones. */
export function gbdtForecasterRows(
  series: readonly GbdtSeries[],
  options: GbdtForecasterOptions,
  step: number | null = null,
): { feature_names: string[]; rows: GbdtTrainingRow[] } {
  const o = resolveOptions(options);
  const { spec, contexts, lengths, trained } = prepareSeries(series, o);
  const f = modelFeatures(spec, stepFeatures(spec, o.strategy, step));
  const set = buildTrainingSet(f, contexts, lengths, o.trainingRows, o.validationPeriods, o.trainingWindow);
  if (!set) return { feature_names: featureNames(f), rows: [] };
  const cols = featureCount(f);
  const rows = set.origins.map(([i, t], r): GbdtTrainingRow => ({
    series: trained[i].name,
    t,
    features: Array.from(set.all.features.subarray(r * cols, (r + 1) * cols)),
    label: set.all.label[r],
    validation: r >= set.train.label.length,
  }));
  return { feature_names: featureNames(f), rows };
}
