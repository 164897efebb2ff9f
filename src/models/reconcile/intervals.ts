// Coherent prediction intervals by hierarchicalforecast's "normality" method (Panagiotelis et
// al. 2022), with its default covariance_type "diagonal": the base forecast errors at step t are
// N(0, Σ_t), Σ_t = diag(σ_t) R diag(σ_t), R the correlation of the reconciler's W (the identity
// for bottom-up, ols and the wls variants; the shrunk residual correlation for mint_shrink). The
// reconciled forecast S P ŷ is then N(S P ŷ, S P Σ_t Pᵀ Sᵀ), and the interval of series i at
// level L is mean ± Φ⁻¹(0.5 + L/200) · sqrt((S P Σ_t Pᵀ Sᵀ)_ii).
//
// Bottom-up is exact at any size: (S P Σ_t Pᵀ Sᵀ)_ii = Σ of σ² over the bottom series i sums.
// The MinT family needs the rows of S P: one solve per series and an n × n matrix, so it is
// refused above `dense_limit` series (default 2,000); at M5 scale use bottom-up intervals.
import { ModelInputError } from "../errors.js";
import type { MinTraceProjector } from "./min-trace.js";
import { normalQuantile } from "./normal-quantile.js";
import { applyShrunk } from "./shrinkage.js";
import type { SummingStructure } from "./structure.js";

export interface PredictionInterval {
  /** Coverage in percent, 0 < level < 100. */
  level: number;
  lower: Float64Array;
  upper: Float64Array;
}

export interface CoherentIntervals {
  /** n × h standard deviations of the reconciled forecasts. */
  sigma: Float64Array;
  intervals: PredictionInterval[];
}

export function checkLevels(levels: readonly number[]): void {
  for (const level of levels) {
    if (!(level > 0 && level < 100)) {
      throw new ModelInputError(`interval level ${level} is outside (0, 100)`, "give coverage levels in percent, e.g. [80, 95]");
    }
  }
}

/** mean ± z σ for each level. */
export function intervalsFromSigma(mean: Float64Array, sigma: Float64Array, levels: readonly number[]): CoherentIntervals {
  checkLevels(levels);
  const intervals = levels.map((level) => {
    const z = normalQuantile(0.5 + level / 200);
    const lower = new Float64Array(mean.length);
    const upper = new Float64Array(mean.length);
    for (let j = 0; j < mean.length; j++) {
      lower[j] = mean[j] - z * sigma[j];
      upper[j] = mean[j] + z * sigma[j];
    }
    return { level, lower, upper };
  });
  return { sigma, intervals };
}

function checkSigma(s: SummingStructure, sigma: Float64Array, h: number): void {
  if (!(sigma instanceof Float64Array) || sigma.length !== s.seriesCount * h) {
    throw new ModelInputError(
      `the base forecasts' standard deviations have ${sigma?.length} values, expected ${s.seriesCount} series × ${h} steps`,
      "pass sigma with the same shape as the base forecasts",
    );
  }
  for (let j = 0; j < sigma.length; j++) {
    if (!(sigma[j] >= 0) || !Number.isFinite(sigma[j])) {
      throw new ModelInputError(
        `the standard deviation of series ${Math.floor(j / h)} at step ${(j % h) + 1} is ${sigma[j]}, not a finite number ≥ 0`,
        "derive sigma from the base models' intervals: (upper − mean) / Φ⁻¹(0.5 + level/200)",
      );
    }
  }
}

/** σ of bottom-up forecasts: aggregates add their members' variances. */
export function bottomUpSigma(s: SummingStructure, sigma: Float64Array, h: number): Float64Array {
  checkSigma(s, sigma, h);
  const na = s.aggregateCount;
  const out = new Float64Array(s.seriesCount * h);
  out.set(sigma.subarray(na * h), na * h);
  for (let i = 0; i < na; i++) {
    for (let t = 0; t < h; t++) {
      let variance = 0;
      for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) variance += sigma[(na + s.members[e]) * h + t] ** 2;
      out[i * h + t] = Math.sqrt(variance);
    }
  }
  return out;
}

/** σ of MinT forecasts (dense: n ≤ denseLimit). */
export function minTraceSigma(s: SummingStructure, projector: MinTraceProjector, sigma: Float64Array, h: number, denseLimit = 2000): Float64Array {
  checkSigma(s, sigma, h);
  const n = s.seriesCount;
  if (n > denseLimit) {
    throw new ModelInputError(
      `MinT intervals need an n × n matrix and one solve per series; ${n} series is above the limit of ${denseLimit}`,
      "use bottom-up intervals at this scale, or raise dense_limit if memory (8 n² bytes) and time allow",
    );
  }
  // Column j of S P is the projection of e_j (the bottom rows summed up are the projection's own
  // aggregate rows, since it is coherent).
  const sp = new Float64Array(n * n);
  const unit = new Float64Array(n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    unit[j] = 1;
    projector.project(unit, column);
    unit[j] = 0;
    for (let i = 0; i < n; i++) sp[i * n + j] = column[i];
  }
  const out = new Float64Array(n * h);
  const shrunk = projector.weights.shrunk;
  const q = new Float64Array(n);
  const wq = new Float64Array(n);
  const scratch = new Float64Array(shrunk?.steps ?? 0);
  const g = projector.weights.variances.map((v) => 1 / Math.sqrt(v));
  for (let t = 0; t < h; t++) {
    for (let i = 0; i < n; i++) {
      let variance = 0;
      if (!shrunk) {
        for (let j = 0; j < n; j++) variance += (sp[i * n + j] * sigma[j * h + t]) ** 2;
      } else {
        // qᵀ R q with R = G W G: q_j = (S P)_ij σ_j g_j, then qᵀ W q.
        for (let j = 0; j < n; j++) q[j] = sp[i * n + j] * sigma[j * h + t] * g[j];
        applyShrunk(shrunk, q, wq, scratch);
        for (let j = 0; j < n; j++) variance += q[j] * wq[j];
      }
      out[i * h + t] = Math.sqrt(Math.max(variance, 0));
    }
  }
  return out;
}
