// One category's training data as `salescast train` builds it: period dates, the covariate
// values (z-scored with the training part's statistics only: no leakage), the feature encoder
// and the windows (dataset.ts).
import type { Config } from "../../config/schema.js";
import { periodDates } from "../../data/calendar.js";
import { covariatesOf, periodCovariateSource, type CovariateStats } from "../../data/features.js";
import type { CategorySeries } from "../../data/types.js";
import { buildCategoryDataset, splitBounds, type CategoryDataset } from "./dataset.js";
import { featureSpecOf, seriesCovariates, type TrainingData } from "../../data/model-data.js";
import { covariateStats as covariateStatsOf, encoderFor } from "./network-config.js";
import type { NetworkCalendar } from "./network-forecaster.js";

export interface PreparedDataset {
  dataset: CategoryDataset;
  dates: string[];
  calendar?: NetworkCalendar;
  /** Training-part statistics of the covariates (stored with the model). */
  covariateStats?: CovariateStats[];
}

export function datasetFor(config: Config, data: TrainingData, series: CategorySeries): PreparedDataset {
  const dates = periodDates(series, data.frequency);
  // Covariates are z-scored with the statistics of the training part only (no leakage).
  const covariates = seriesCovariates(config, data, series);
  const trainEnd = splitBounds(series.values.length, config.data.val_fraction, config.data.test_fraction).trainEnd;
  const covariateStats = covariates ? covariateStatsOf(covariatesOf(featureSpecOf(config)), covariates, Math.max(trainEnd, 1)) : undefined;
  const source = covariates ? periodCovariateSource(covariateStats!, covariates, dates[0], data.frequency) : undefined;
  const encoder = encoderFor(config, data.frequency, source);
  const dataset = buildCategoryDataset(series.category, series.values, dates, {
    windowSize: config.data.window_size,
    valFraction: config.data.val_fraction,
    testFraction: config.data.test_fraction,
    horizon: config.model.horizon,
    encoder,
  });
  return { dataset, dates, ...(encoder ? { calendar: { encoder, startDate: dates[0] } } : {}), ...(covariateStats ? { covariateStats } : {}) };
}

