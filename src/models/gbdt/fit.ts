// fitGbdtForecaster: one global model (recursive) or one per step (direct), trained on rows from
// every series at once, each series scaled by its own history.
//
//   scale each series (scaling.ts)  →  feature spec (feature-spec.ts)  →  per model:
//   rows of every series, the last periods held out (training-set.ts)  →  train with early
//   stopping on the held-out rows  →  refit on every row with the best number of trees.
import { epochDayFromIso } from "../../data/dates.js";
import { trainGbdt, type GbdtDataset } from "../../engine/gbdt/index.js";
import { ModelInputError } from "../errors.js";
import { featureNames, type SeriesContext } from "./feature-rows.js";
import { buildFeatureSpec, modelFeatures, stepFeatures } from "./feature-spec.js";
import { FAMILY, resolveOptions, type ResolvedOptions } from "./options.js";
import { scaleInto, seriesScaling } from "./scaling.js";
import { checkTrainingSeries, PERIOD_DAYS } from "./series-input.js";
import { buildTrainingSet, firstRow } from "./training-set.js";
import {
  GBDT_FORECASTER_FORMAT_VERSION,
  type GbdtFeatureSpec,
  type GbdtForecasterFit,
  type GbdtForecasterOptions,
  type GbdtSeries,
  type GbdtStepModel,
  type GbdtTrainedSeries,
} from "./types.js";

/** Names in a fixed order (code units, not the locale), so codes never depend on the caller's order. */
export const byName = (a: GbdtSeries, b: GbdtSeries): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function fitGbdtForecaster(series: readonly GbdtSeries[], options: GbdtForecasterOptions): GbdtForecasterFit {
  const o = resolveOptions(options);
  const { spec, contexts, lengths, trained } = prepareSeries(series, o);
  const steps = o.strategy === "recursive" ? [null] : Array.from({ length: o.horizon }, (_, k) => k + 1);
  const models = steps.map((step) => trainStep(spec, o, step, contexts, lengths));
  return {
    family: "gbdt",
    format_version: GBDT_FORECASTER_FORMAT_VERSION,
    frequency: spec.frequency,
    horizon: o.horizon,
    strategy: o.strategy,
    loss: o.loss,
    objective: o.objective,
    scaling: o.scaling,
    scale_window: o.scaleWindow,
    training_rows: o.trainingRows,
    features: spec,
    series: trained,
    models,
  };
}

/** The training series checked, sorted by name (their codes), scaled, with the feature spec they allow. */
export function prepareSeries(
  series: readonly GbdtSeries[],
  o: ResolvedOptions,
): { spec: GbdtFeatureSpec; contexts: SeriesContext[]; lengths: number[]; trained: GbdtTrainedSeries[] } {
  checkTrainingSeries(series);
  const sorted = [...series].sort(byName);
  const spec = buildFeatureSpec(sorted, o);
  checkValuesForLoss(sorted, o);
  checkCovariates(sorted, spec);
  const trained: GbdtTrainedSeries[] = [];
  const contexts = sorted.map((s, code): SeriesContext => {
    const scaling = seriesScaling(s.values, o.scaling, o.scaleWindow);
    trained.push({ name: s.name, code, periods: s.values.length, center: scaling.center, scale: scaling.scale });
    const z = new Float64Array(s.values.length);
    scaleInto(s.values, scaling, z);
    return {
      z,
      code,
      scale: scaling.scale,
      startDay: epochDayFromIso(s.start)!,
      periodDays: PERIOD_DAYS[s.frequency],
      covariates: spec.covariates.map((name) => s.covariates?.[name]),
    };
  });
  return { spec, contexts, lengths: sorted.map((s) => s.values.length), trained };
}

function checkValuesForLoss(series: readonly GbdtSeries[], o: ResolvedOptions): void {
  if (o.loss !== "poisson" && o.loss !== "tweedie") return;
  for (const s of series) {
    const t = s.values.findIndex((v) => v < 0);
    if (t >= 0)
      throw new ModelInputError(
        `${FAMILY}: series "${s.name}" has a negative value (${s.values[t]} at period ${t}), but the ${o.loss} loss needs values ≥ 0`,
        `use loss "l1" or "l2" for data that can be negative (returns, changes)`,
      );
  }
}

function checkCovariates(series: readonly GbdtSeries[], spec: GbdtFeatureSpec): void {
  for (const name of spec.covariates) {
    for (const s of series) {
      const values = s.covariates?.[name];
      if (!values)
        throw new ModelInputError(
          `${FAMILY}: series "${s.name}" has no covariate "${name}"`,
          `give it to every series, or leave it out of the covariates option`,
        );
      if (values.length < s.values.length) {
        throw new ModelInputError(
          `${FAMILY}: series "${s.name}": covariate "${name}" has ${values.length} values for ${s.values.length} periods`,
          "give one value per period of the history (NaN where unknown)",
        );
      }
    }
  }
}

function trainStep(spec: GbdtFeatureSpec, o: ResolvedOptions, step: number | null, contexts: SeriesContext[], lengths: number[]): GbdtStepModel {
  const lagsAndWindows = stepFeatures(spec, o.strategy, step);
  const f = modelFeatures(spec, lagsAndWindows);
  const set = buildTrainingSet(f, contexts, lengths, o.trainingRows, o.validationPeriods, o.trainingWindow);
  if (!set) {
    const needed = firstRow(f, o.trainingRows) + 1;
    throw new ModelInputError(
      `${FAMILY}: no series is long enough for a training row${step === null ? "" : ` of step ${step}`}: that needs ${needed} periods (the longest has ${Math.max(...lengths)})`,
      o.trainingRows === "complete" ? `use trainingRows "any_lag", shorter lags, or a longer history` : "use shorter lags or a longer history",
    );
  }
  o.onTrainingRows?.(step, set.train.label.length + (set.valid?.label.length ?? 0));
  const base = { ...lagsAndWindows, step, feature_names: featureNames(f), train_rows: set.train.label.length, valid_rows: set.valid?.label.length ?? 0 };
  const constant = constantLabel(set.train, set.valid);
  if (constant !== undefined) return { ...base, gbdt: null, constant, trees: 0, stopped_by: "constant" };

  const onIteration = o.onIteration;
  const learner = {
    learner: o.learner,
    ...(onIteration ? { onIteration: (iteration: number, metric: number, work: number) => onIteration(step, iteration, metric, work) } : {}),
  };
  const logLink = o.objective === "poisson" || o.objective === "tweedie";
  // The log-link losses have no start on an all-zero training part: early stopping then has nothing to learn from.
  const canEarlyStop = o.earlyStopping && set.valid !== undefined && !(logLink && sum(set.train.label) === 0);
  if (!canEarlyStop) {
    const gbdt = trainGbdt(set.all, { ...o.params, num_iterations: o.fixedIterations, early_stopping_round: 0 }, learner);
    return { ...base, gbdt, constant: null, trees: gbdt.trees.length, stopped_by: gbdt.training.stopped_by === "no_split" ? "no_split" : "fixed" };
  }
  const early = trainGbdt(set.train, { ...o.params }, { ...learner, valid: set.valid });
  const stoppedBy = early.training.stopped_by;
  if (!o.refit) return { ...base, gbdt: early, constant: null, trees: early.trees.length, stopped_by: stoppedBy };
  const gbdt = trainGbdt(set.all, { ...o.params, num_iterations: Math.max(1, early.trees.length), early_stopping_round: 0 }, learner);
  return { ...base, gbdt, constant: null, trees: gbdt.trees.length, stopped_by: stoppedBy };
}

function sum(values: Float32Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The label when every row (training and held-out) has the same one (all-zero or constant data: no tree can help). */
function constantLabel(train: GbdtDataset, valid: GbdtDataset | undefined): number | undefined {
  const first = train.label[0];
  for (const v of train.label) if (v !== first) return undefined;
  if (valid) for (const v of valid.label) if (v !== first) return undefined;
  return first;
}
