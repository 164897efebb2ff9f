// catalogue.future_covariates read for a catalogue's final forecast: the planned covariates of
// the `horizon` days after the data's last day, checked before any fitting
// (src/data/future-covariates.ts says what is refused).
import type { Config } from "../../config/schema.js";
import { covariatesOf } from "../../data/features.js";
import { readFutureCovariates, type FutureCovariates } from "../../data/future-covariates.js";
import { featureSpecOf, type TrainingData } from "../../data/model-data.js";
import { ModelInputError } from "../../models/errors.js";

/** The plan of the days after the data's end, or undefined when catalogue.future_covariates is null. */
export async function readCataloguePlan(config: Config, data: TrainingData): Promise<FutureCovariates | undefined> {
  const path = config.catalogue.future_covariates;
  if (path === null || !data.catalogue) return undefined;
  const names = covariatesOf(featureSpecOf(config));
  if (names.length === 0) {
    throw new ModelInputError(
      `catalogue.future_covariates is ${path}, but no covariate is used (model.features.covariates is empty)`,
      "set model.features.covariates to the covariates the plan gives (e.g. [sell_price, promo]), or catalogue.future_covariates=null",
    );
  }
  const { matrix, keyColumns, attributeColumns } = data.catalogue;
  return readFutureCovariates(
    { path, keyColumns, dateColumn: config.data.date_column, covariates: names, ignoredColumns: attributeColumns },
    data.series.map((s) => s.category),
    matrix.firstDay + matrix.periods * matrix.step,
    config.catalogue.horizon,
  );
}
