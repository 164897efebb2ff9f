// A series of the configured data as the models see it (SeriesInput): its values, start date and
// frequency, and the covariate columns model.features names, period-aligned.
import type { Config } from "../config/schema.js";
import { covariatesOf } from "../data/features.js";
import { featureSpecOf, seriesCovariates, type TrainingData } from "../data/model-data.js";
import type { CategorySeries } from "../data/types.js";
import type { Frequency, SeriesInput } from "./model.js";

/** A series from its parts; `covariates` are the columns of `names`, in that order. */
export function seriesInput(
  name: string,
  values: Float64Array,
  start: string,
  frequency: Frequency,
  covariates?: { names: readonly string[]; columns: readonly Float64Array[] },
): SeriesInput {
  const columns = covariates && covariates.names.length > 0 ? Object.fromEntries(covariates.names.map((n, i) => [n, covariates.columns[i]])) : undefined;
  return { name, values, start, frequency, ...(columns ? { covariates: columns } : {}) };
}

/** One category of the configured data, with the covariates the configuration reads. */
export function configuredSeries(config: Config, data: TrainingData, series: CategorySeries): SeriesInput {
  const columns = seriesCovariates(config, data, series);
  const names = covariatesOf(featureSpecOf(config));
  return seriesInput(series.category, series.values, series.start, data.frequency, columns ? { names, columns } : undefined);
}
