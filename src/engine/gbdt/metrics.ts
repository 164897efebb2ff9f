// Validation metrics for early stopping and the training report, as LightGBM defines them
// (src/metric/regression_metric.hpp); all are "lower is better", weighted means over rows.

import type { GbdtMetric } from "./params.js";

const EPSILON = 1e-10;

/** The metric of predictions (already transformed: exp for the log-link objectives) against labels. */
export function evaluateMetric(metric: GbdtMetric, prediction: Float64Array, label: Float32Array, weight: Float32Array | undefined, rho: number): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < label.length; i++) {
    const w = weight ? weight[i] : 1;
    const p = prediction[i];
    const y = label[i];
    let loss: number;
    switch (metric) {
      case "l2":
      case "rmse":
        loss = (p - y) * (p - y);
        break;
      case "l1":
        loss = Math.abs(p - y);
        break;
      case "poisson": {
        const q = Math.max(p, EPSILON);
        loss = q - y * Math.log(q);
        break;
      }
      case "tweedie": {
        const q = Math.max(p, EPSILON);
        loss = (-y * Math.exp((1 - rho) * Math.log(q))) / (1 - rho) + Math.exp((2 - rho) * Math.log(q)) / (2 - rho);
        break;
      }
    }
    sum += loss * w;
    total += w;
  }
  const mean = sum / total;
  return metric === "rmse" ? Math.sqrt(mean) : mean;
}
