// Coherent interval widths from observed errors of reconciled forecasts (the catalogue's held-out
// days): the "normal approach with the reconciled covariance" where that covariance is measured,
// not modelled.
//
// Reconciled forecasts are S P ŷ; for actuals y that add up, S P y = y (bottom-up and every MinT
// variant reproduce coherent data), so the reconciled error y − S P ŷ = S P (y − ŷ): its
// covariance is S P W Pᵀ Sᵀ with W the base errors' covariance. Measuring it directly needs only
// the bottom series' errors e_b (n_b × T): an aggregate's error at period t is the sum of its
// members' errors, so
//   σ_i² = (1/T) Σ_t (Σ_{b ∈ i} e_bt)² = diag(S Ĉ Sᵀ)_i,   Ĉ = (1/T) Σ_t e_t e_tᵀ (bottom),
// the marginal spreads of ONE joint normal N(S P ŷ, S Ĉ Sᵀ) on the coherent subspace. Unlike
// adding variances (bottom-up's "normality", which assumes independent bottom errors), a shock
// shared by a store's items widens the store's interval as much as it should. O(entries of S · T),
// no n × n matrix, so it runs at M5 scale. The mean of the errors is kept in (root mean square,
// not standard deviation): a biased forecast gets wider intervals, not narrower ones.
import { ModelInputError } from "../errors.js";
import type { SummingStructure } from "./structure.js";

/** σ of every series (n values, aggregates first) from the bottom series' errors `bottomErrors` (n_b × T, series-major). */
export function coherentErrorSigma(s: SummingStructure, bottomErrors: Float64Array, T: number): Float64Array {
  if (!Number.isInteger(T) || T < 1 || bottomErrors.length !== s.bottomCount * T) {
    throw new ModelInputError(
      `the bottom errors have ${bottomErrors.length} values, expected ${s.bottomCount} bottom series × ${T} periods`,
      "pass actual − reconciled forecast of every bottom series over the same periods",
    );
  }
  for (let j = 0; j < bottomErrors.length; j++) {
    if (!Number.isFinite(bottomErrors[j]))
      throw new ModelInputError(`the error of bottom series ${Math.floor(j / T)} at period ${j % T} is ${bottomErrors[j]}`);
  }
  const na = s.aggregateCount;
  const sigma = new Float64Array(s.seriesCount);
  const sum = new Float64Array(T);
  for (let i = 0; i < na; i++) {
    sum.fill(0);
    for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) {
      const row = s.members[e] * T;
      for (let t = 0; t < T; t++) sum[t] += bottomErrors[row + t];
    }
    sigma[i] = rootMeanSquare(sum, 0, T);
  }
  for (let b = 0; b < s.bottomCount; b++) sigma[na + b] = rootMeanSquare(bottomErrors, b * T, T);
  return sigma;
}

function rootMeanSquare(values: Float64Array, from: number, count: number): number {
  let ss = 0;
  for (let t = 0; t < count; t++) ss += values[from + t] ** 2;
  return Math.sqrt(ss / count);
}
