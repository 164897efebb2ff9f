// Objectives, as LightGBM's regression objectives (src/objective/regression_objective.hpp):
// per-row gradient and hessian of the loss with respect to the raw score, the constant the
// model starts from (boost_from_average), an optional leaf renewal after a tree is grown, and
// the transform from raw score to prediction.
//
//   regression     loss ½(s - y)²                  g = s - y            h = 1
//                  start: the (weighted) mean of y
//   regression_l1  loss |s - y|                    g = sign(s - y)      h = 1
//                  start: the (weighted) median of y; each leaf's output is then replaced by
//                  the median of its rows' residuals y - s (LightGBM's RenewTreeOutput)
//   poisson        loss e^s - y·s (log link)       g = e^s - y          h = e^(s + max_delta_step)
//                  start: log(mean y)
//   tweedie (ρ)    loss -y·e^((1-ρ)s)/(1-ρ) + e^((2-ρ)s)/(2-ρ)
//                  g = -y·e^((1-ρ)s) + e^((2-ρ)s)   h = -y(1-ρ)·e^((1-ρ)s) + (2-ρ)·e^((2-ρ)s)
//                  start: log(mean y)
// Weights multiply g and h. Gradients are float32 (LightGBM's score_t), sums float64.

import type { GbdtObjective, GbdtParams } from "./params.js";

export interface Objective {
  readonly name: GbdtObjective;
  /** Fills g[i], h[i] from the raw scores. */
  gradients(score: Float64Array, label: Float32Array, weight: Float32Array | undefined, g: Float32Array, h: Float32Array): void;
  /** The raw score of the best constant model. */
  initScore(label: Float32Array, weight: Float32Array | undefined): number;
  /** L1 only: the leaf output from the residuals (label - score) of its rows, before the learning rate; may reorder them. */
  renewLeaf?(residuals: Float64Array, weights: Float64Array | undefined): number;
  /** Raw score to prediction (identity, or exp for the log-link objectives). */
  transform(raw: number): number;
}

export function createObjective(params: GbdtParams): Objective {
  switch (params.objective) {
    case "regression":
      return {
        name: "regression",
        gradients(score, label, weight, g, h) {
          for (let i = 0; i < score.length; i++) {
            const w = weight ? weight[i] : 1;
            g[i] = (score[i] - label[i]) * w;
            h[i] = w;
          }
        },
        initScore: weightedMean,
        transform: (raw) => raw,
      };
    case "regression_l1":
      return {
        name: "regression_l1",
        gradients(score, label, weight, g, h) {
          for (let i = 0; i < score.length; i++) {
            const w = weight ? weight[i] : 1;
            g[i] = Math.sign(score[i] - label[i]) * w;
            h[i] = w;
          }
        },
        initScore: (label, weight) =>
          weight ? weightedPercentile(Float64Array.from(label), Float64Array.from(weight), 0.5) : percentile(Float64Array.from(label), 0.5),
        renewLeaf: (residuals, weights) => (weights ? weightedPercentile(residuals, weights, 0.5) : percentileInPlace(residuals, 0.5)),
        transform: (raw) => raw,
      };
    case "poisson": {
      const expMaxDelta = Math.exp(params.poisson_max_delta_step);
      return {
        name: "poisson",
        gradients(score, label, weight, g, h) {
          for (let i = 0; i < score.length; i++) {
            const w = weight ? weight[i] : 1;
            const mu = Math.exp(score[i]);
            g[i] = (mu - label[i]) * w;
            h[i] = mu * expMaxDelta * w;
          }
        },
        initScore: (label, weight) => safeLog(weightedMean(label, weight)),
        transform: Math.exp,
      };
    }
    case "tweedie": {
      const rho = params.tweedie_variance_power;
      return {
        name: "tweedie",
        gradients(score, label, weight, g, h) {
          for (let i = 0; i < score.length; i++) {
            const w = weight ? weight[i] : 1;
            const e1 = Math.exp((1 - rho) * score[i]);
            const e2 = Math.exp((2 - rho) * score[i]);
            g[i] = (-label[i] * e1 + e2) * w;
            h[i] = (-label[i] * (1 - rho) * e1 + (2 - rho) * e2) * w;
          }
        },
        initScore: (label, weight) => safeLog(weightedMean(label, weight)),
        transform: Math.exp,
      };
    }
  }
}

/** log(x), or -Infinity's stand-in LightGBM uses (its SafeLog) for x <= 0. */
function safeLog(x: number): number {
  return x > 0 ? Math.log(x) : -Infinity;
}

export function weightedMean(label: Float32Array, weight: Float32Array | undefined): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < label.length; i++) {
    const w = weight ? weight[i] : 1;
    sum += label[i] * w;
    total += w;
  }
  return sum / total;
}

/**
 * The alpha-percentile with LightGBM's interpolation (its PercentileFun): position
 * (n - 1)(1 - alpha) in the values sorted from largest, linearly interpolated. For alpha 0.5 it
 * is the usual median (the mean of the two middle values when n is even).
 */
export function percentile(values: Float64Array, alpha: number): number {
  return percentileInPlace(values.slice(), alpha);
}

/** percentile, reordering `work` instead of copying it. */
function percentileInPlace(work: Float64Array, alpha: number): number {
  const n = work.length;
  if (n <= 1) return work[0];
  const position = (n - 1) * (1 - alpha);
  const k = Math.floor(position);
  // The k-th and (k+1)-th largest are the (n-1-k)-th and (n-2-k)-th smallest.
  if (k + 1 >= n) return select(work, 0);
  const v1 = select(work, n - 1 - k);
  // select left the values below index n-1-k before it: the next smaller one is their maximum.
  let v2 = -Infinity;
  for (let i = 0; i < n - 1 - k; i++) if (work[i] > v2) v2 = work[i];
  return v1 - (v1 - v2) * (position - k);
}

/**
 * The k-th smallest value (0-based) of `a`, reordering it (Hoare's quickselect, middle pivot):
 * linear time on average, where sorting a leaf's residuals would be n log n per leaf and tree.
 */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** The weighted alpha-percentile as LightGBM computes it (its WeightedPercentileFun). */
export function weightedPercentile(values: Float64Array, weights: Float64Array, alpha: number): number {
  const n = values.length;
  if (n <= 1) return values[0];
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b] || a - b);
  const cdf = new Float64Array(n);
  cdf[0] = weights[order[0]];
  for (let i = 1; i < n; i++) cdf[i] = cdf[i - 1] + weights[order[i]];
  const threshold = cdf[n - 1] * alpha;
  let pos = 0;
  while (pos < n && cdf[pos] <= threshold) pos++; // upper_bound
  pos = Math.min(pos, n - 1);
  if (pos === 0 || pos === n - 1) return values[order[pos]];
  const v1 = values[order[pos - 1]];
  const v2 = values[order[pos]];
  if (cdf[pos + 1] - cdf[pos] >= 1) return ((threshold - cdf[pos]) / (cdf[pos + 1] - cdf[pos])) * (v2 - v1) + v1;
  return v2;
}
