// The boosting loop (LightGBM's GBDT::TrainOneIter), shared by both tree learners:
//
//   score = init (boost_from_average: the objective's best constant)
//   for each iteration:
//     g, h   = objective gradients at score                 (every row)
//     bag    = a new row sample every bagging_freq rounds    (bagging_fraction < 1)
//     feats  = a per-tree feature sample                     (feature_fraction < 1)
//     tree   = learner.grow(g, h, bag, feats)                (stop if it cannot split)
//     L1: each leaf's output = median residual of its bagged rows
//     score += learning_rate · tree                          (every row, bagged or not)
//     validation metric; early stopping keeps the best iteration's trees

import { Random } from "../random.js";
import { binFeatures, findBinMappers, sampleRows, type BinnedData } from "./binning.js";
import { checkDataset, GbdtDataError, type GbdtDataset } from "./dataset.js";
import type { TreeParams } from "./learner.js";
import { chooseLearner, type LearnerChoice } from "./learners.js";
import { evaluateMetric } from "./metrics.js";
import { GBDT_MODEL_FORMAT, GBDT_MODEL_VERSION, type GbdtModel, type GbdtTrainingReport } from "./model.js";
import { createObjective } from "./objectives.js";
import { resolvedMetric, resolveGbdtParams, type GbdtParams } from "./params.js";
import { addTreeScores } from "./predict.js";
import { histogramRows, toModelTree, type GrownTree } from "./tree.js";

export interface TrainGbdtOptions {
  /** Validation rows for the metric report and early stopping (early_stopping_round). */
  valid?: GbdtDataset;
  /** Tree learner: "reference" (TypeScript) or "native"; default: the engine's backend (engine.backend). "fast": native's old name, deprecated. */
  learner?: LearnerChoice | "fast";
  /**
   * Called after each iteration with its index, the validation metric (NaN without one) and the
   * tree's histogram work: rows summed into histograms per training row (tree.ts, histogramRows).
   */
  onIteration?: (iteration: number, validMetric: number, histogramWork: number) => void;
}

export function trainGbdt(data: GbdtDataset, paramsIn: Partial<Record<string, unknown>> = {}, options: TrainGbdtOptions = {}): GbdtModel {
  const params = resolveGbdtParams(paramsIn);
  const { rows, cols, layout } = checkDataset(data, params.objective, "training data");
  if (options.valid) {
    const v = checkDataset(options.valid, params.objective, "validation data");
    if (v.cols !== cols) throw new GbdtDataError(`validation data has ${v.cols} features per row, the training data ${cols}; give both the same features.`);
  }
  if (params.early_stopping_round > 0 && !options.valid) {
    throw new GbdtDataError(
      `early_stopping_round is ${params.early_stopping_round} but no validation set was given; pass options.valid or set early_stopping_round to 0.`,
    );
  }
  const learnerKind = chooseLearner(options.learner);
  const mappers = findBinMappers(data.features, rows, cols, layout, params, learnerKind.sortSample);
  const binned: BinnedData = {
    rows,
    cols,
    mappers,
    bins: learnerKind.binFeatures
      ? learnerKind.binFeatures(data.features, rows, cols, layout, mappers)
      : binFeatures(data.features, rows, cols, layout, mappers),
  };
  const usable = Int32Array.from(mappers.flatMap((m, f) => (m.trivial ? [] : [f])));
  const objective = createObjective(params);
  const init = params.boost_from_average ? objective.initScore(data.label, data.weight) : 0;
  if (!Number.isFinite(init)) {
    throw new GbdtDataError(
      `training data: the weighted mean label is 0, so the ${params.objective} objective's log link has no finite start; give positive weight to some rows with positive labels.`,
    );
  }

  const model: GbdtModel = {
    format: GBDT_MODEL_FORMAT,
    version: GBDT_MODEL_VERSION,
    params,
    num_features: cols,
    feature_names: data.featureNames ?? Array.from({ length: cols }, (_, i) => `f${i}`),
    init_score: init,
    trees: [],
    training: {
      learner: learnerKind.name,
      iterations: 0,
      stopped_by: "num_iterations",
      unused_features: mappers.flatMap((m, f) => (m.trivial ? [f] : [])),
      valid_metric: null,
    },
  };
  if (usable.length === 0) {
    model.training.stopped_by = "no_split";
    return model; // every feature is constant (or filtered): the constant model is the best there is
  }

  const learner = learnerKind.create(binned, treeParams(params));
  const score = new Float64Array(rows).fill(init);
  const gradients = new Float32Array(rows);
  const hessians = new Float32Array(rows);
  const bagRandom = new Random(params.bagging_seed);
  const featureRandom = new Random(params.feature_fraction_seed);
  const bagging = params.bagging_fraction < 1 && params.bagging_freq > 0;
  const bagSize = Math.max(1, Math.round(rows * params.bagging_fraction));
  let bag: Int32Array | null = null;
  const validation = options.valid ? startValidation(options.valid, params, init) : undefined;
  const report = model.training;

  for (let iteration = 0; iteration < params.num_iterations; iteration++) {
    objective.gradients(score, data.label, data.weight, gradients, hessians);
    if (bagging && iteration % params.bagging_freq === 0) bag = sampleRows(rows, bagSize, bagRandom);
    const features = sampleFeatures(usable, params.feature_fraction, featureRandom);
    const grown = learner.grow(gradients, hessians, bag, features);
    report.iterations = iteration + 1;
    if (grown.numLeaves <= 1) {
      report.stopped_by = "no_split";
      break;
    }
    if (objective.renewLeaf) renewLeaves(grown, objective.renewLeaf, data, score, bag);
    const tree = toModelTree(grown, mappers, params.learning_rate);
    model.trees.push(tree);
    for (let i = 0; i < rows; i++) score[i] += tree.leaf_value[grown.leafOfRow[i]];

    const work = options.onIteration ? histogramRows(grown) / rows : 0;
    let metric = NaN;
    if (validation) {
      metric = validation.addTree(model);
      if (params.early_stopping_round > 0 && validation.roundsSinceBest() >= params.early_stopping_round) {
        report.stopped_by = "early_stopping";
        options.onIteration?.(iteration, metric, work);
        break;
      }
    }
    options.onIteration?.(iteration, metric, work);
  }
  if (validation) {
    report.valid_metric = validation.report();
    if (params.early_stopping_round > 0) model.trees.length = report.valid_metric.best_iteration + 1;
  }
  return model;
}

function treeParams(p: GbdtParams): TreeParams {
  return {
    num_leaves: p.num_leaves,
    max_depth: p.max_depth,
    min_data_in_leaf: p.min_data_in_leaf,
    min_sum_hessian_in_leaf: p.min_sum_hessian_in_leaf,
    lambda_l1: p.lambda_l1,
    lambda_l2: p.lambda_l2,
    min_gain_to_split: p.min_gain_to_split,
    num_threads: p.num_threads,
  };
}

/** LightGBM's column sampler: round(total · fraction) features, at least min(2, total), ascending. */
function sampleFeatures(usable: Int32Array, fraction: number, random: Random): Int32Array {
  if (fraction >= 1) return usable;
  const count = Math.max(Math.min(2, usable.length), Math.round(usable.length * fraction));
  const pool = Int32Array.from(usable);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.subarray(0, count).sort();
}

/** L1: each leaf's output becomes the (weighted) median of label - score over its bagged rows. */
function renewLeaves(
  tree: GrownTree,
  renew: (residuals: Float64Array, weights: Float64Array | undefined) => number,
  data: GbdtDataset,
  score: Float64Array,
  bag: Int32Array | null,
): void {
  // The bagged rows' residuals grouped by leaf (a counting sort): leaf l's are [start[l], start[l+1]).
  const count = bag ? bag.length : score.length;
  const start = new Int32Array(tree.numLeaves + 1);
  for (let i = 0; i < count; i++) start[tree.leafOfRow[bag ? bag[i] : i] + 1]++;
  for (let l = 0; l < tree.numLeaves; l++) start[l + 1] += start[l];
  const next = start.slice(0, tree.numLeaves);
  const residuals = new Float64Array(count);
  const weights = data.weight ? new Float64Array(count) : undefined;
  for (let i = 0; i < count; i++) {
    const row = bag ? bag[i] : i;
    const at = next[tree.leafOfRow[row]]++;
    residuals[at] = data.label[row] - score[row];
    if (weights) weights[at] = data.weight![row];
  }
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    if (start[leaf + 1] === start[leaf]) continue;
    tree.leafValue[leaf] = renew(residuals.subarray(start[leaf], start[leaf + 1]), weights?.subarray(start[leaf], start[leaf + 1]));
  }
}

/**
 * Whether a validation metric is a new best for early stopping: lower than the best by more than
 * early_stopping_min_delta and by more than early_stopping_min_relative_delta of the best.
 * (catalogue-progress's expectedTrees foresees the stop with this same rule.)
 */
export function improves(value: number, best: number, params: Pick<GbdtParams, "early_stopping_min_delta" | "early_stopping_min_relative_delta">): boolean {
  return value < best - Math.max(params.early_stopping_min_delta, params.early_stopping_min_relative_delta * Math.abs(best));
}

/** Scores the validation rows tree by tree and tracks the best iteration. */
function startValidation(valid: GbdtDataset, params: GbdtParams, init: number) {
  const rows = valid.label.length;
  const layout = valid.layout ?? "row-major";
  const raw = new Float64Array(rows).fill(init);
  const prediction = new Float64Array(rows);
  const objective = createObjective(params);
  const metricName = resolvedMetric(params);
  const values: number[] = [];
  let best = Infinity;
  let bestIteration = -1;
  return {
    addTree(model: GbdtModel): number {
      const t = model.trees.length - 1;
      addTreeScores(model, valid.features, rows, layout, raw, t, t + 1);
      for (let i = 0; i < rows; i++) prediction[i] = objective.transform(raw[i]);
      const value = evaluateMetric(metricName, prediction, valid.label, valid.weight, params.tweedie_variance_power);
      values.push(value);
      if (bestIteration < 0 || improves(value, best, params)) {
        best = value;
        bestIteration = t;
      }
      return value;
    },
    roundsSinceBest: () => values.length - 1 - bestIteration,
    report: (): NonNullable<GbdtTrainingReport["valid_metric"]> => ({ name: metricName, values, best_iteration: bestIteration }),
  };
}
