// The weight matrix W of each MinT variant (Wickramasuriya, Athanasopoulos & Hyndman 2019), held
// as its diagonal plus, for mint_shrink, a low-rank part: never n × n.
//   ols         W = I
//   wls_struct  W = diag(number of bottom series each series sums)
//   wls_var     W = diag(mean squared in-sample residual + 2e-8)
//   mint_shrink W = Schäfer–Strimmer shrunk residual covariance (shrinkage.ts)
import { ModelInputError } from "../errors.js";
import { type ShrunkCovariance, applyShrunk, shrunkCovariance } from "./shrinkage.js";
import type { SummingStructure } from "./structure.js";

export type MinTraceMethod = "ols" | "wls_struct" | "wls_var" | "mint_shrink";
export const MIN_TRACE_METHODS: readonly MinTraceMethod[] = ["ols", "wls_struct", "wls_var", "mint_shrink"];

export interface WeightMatrix {
  method: MinTraceMethod;
  /** W_ii. */
  variances: Float64Array;
  /** out = W u. */
  apply(u: Float64Array, out: Float64Array): void;
  /** Present for mint_shrink. */
  shrunk?: ShrunkCovariance;
}

/** hierarchicalforecast's guard: residuals summing to ~0 for over 98% of series mean a model that saw its targets. */
function checkNotOverfitted(residuals: Float64Array, n: number): void {
  const T = residuals.length / n;
  let nearZero = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < T; k++) sum += residuals[i * T + k];
    if (Math.abs(sum) < 1e-4) nearZero++;
  }
  if (nearZero / n > 0.98) {
    throw new ModelInputError(
      `the in-sample residuals of ${nearZero} of ${n} series sum to ~0: they look like fitted values equal to the actuals`,
      "pass residuals = actual − one-step fitted value from the models that made the base forecasts",
    );
  }
}

export function weightMatrix(s: SummingStructure, method: MinTraceMethod, residuals: Float64Array | undefined, ridge: number): WeightMatrix {
  const n = s.seriesCount;
  const diagonalApply = (d: Float64Array) => (u: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) out[i] = d[i] * u[i];
  };
  if (method === "ols" || method === "wls_struct") {
    const d = new Float64Array(n).fill(1);
    if (method === "wls_struct") for (let i = 0; i < s.aggregateCount; i++) d[i] = s.offsets[i + 1] - s.offsets[i];
    return { method, variances: d, apply: diagonalApply(d) };
  }
  if (!residuals) {
    throw new ModelInputError(`MinT ${method} needs the in-sample residuals of every series`, "pass residuals (n × T), or use ols or wls_struct");
  }
  checkNotOverfitted(residuals, n);
  if (method === "wls_var") {
    const T = residuals.length / n;
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let ss = 0;
      for (let k = 0; k < T; k++) ss += residuals[i * T + k] ** 2;
      d[i] = ss / T + 2e-8;
    }
    return { method, variances: d, apply: diagonalApply(d) };
  }
  const shrunk = shrunkCovariance(residuals, n, ridge);
  const scratch = new Float64Array(shrunk.steps);
  return { method, variances: shrunk.variances, shrunk, apply: (u, out) => applyShrunk(shrunk, u, out, scratch) };
}
