// The Theta method as a state-space model (Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler
// 2016, "Models for optimising the theta method and their relationship to state space models"),
// in the form statsforecast's AutoTheta runs. States after period i (0-based):
//   level ℓ_i = α y_i + (1 − α) ℓ_{i−1}          (ℓ_{−1} = the initial smoothed value ℓ0)
//   mean  ȳ_i = (i ȳ_{i−1} + y_i) / (i + 1)
//   A_i, B_i  intercept and slope of the least-squares line through y_0..y_i (dynamic models:
//             updated recursively every period), or fixed at the line through the whole
//             series (standard and optimised models)
// One-step forecast of period i from the states after i − 1 (q = 1 − α):
//   μ_i = ℓ_{i−1} + (1 − 1/θ) (A_{i−1} q^i + B_{i−1} (1 − q^{i+1}) / α)
// θ = 2 gives the standard theta method (Assimakopoulos & Nikolopoulos 2000: SES plus half the
// drift); the optimised models choose θ ≥ 1 too. Forecasts h steps ahead feed μ back in as if it
// had been observed, which also moves A and B in the dynamic models.
import type { ThetaModelType, ThetaParameters } from "./types.js";

/** The states after the last period run, and `next`, the index of the period they forecast. */
export interface ThetaState {
  level: number;
  meanY: number;
  a: number;
  b: number;
  next: number;
}

export function isDynamic(model: ThetaModelType): boolean {
  return model === "DSTM" || model === "DOTM";
}

/**
 * Runs the states over y and returns them with the in-sample fit: the sum of squared one-step
 * errors from period 3 on, divided by mean |y| (statsforecast's "mse", the criterion AutoTheta
 * chooses the model by; the first three errors are left out as a burn-in).
 */
export function runTheta(y: Float64Array, model: ThetaModelType, parameters: ThetaParameters): { state: ThetaState; mse: number } {
  const { initial_smoothed: level0, alpha, theta } = parameters;
  const n = y.length;
  const dynamic = isDynamic(model);
  const weight = 1 - 1 / theta;
  const q = 1 - alpha;

  let a: number;
  let b: number;
  if (dynamic) {
    a = y[0];
    b = 0;
  } else {
    ({ intercept: a, slope: b } = lineThroughSeries(y));
  }
  let level = alpha * y[0] + q * level0;
  let meanY = y[0];
  let qPower = q; // q^i for the period i being forecast
  let sse = 0;
  let absSum = Math.abs(y[0]);
  for (let i = 1; i < n; i++) {
    const mu = level + weight * (a * qPower + (b * (1 - qPower * q)) / alpha);
    const value = y[i];
    if (i >= 3) sse += (value - mu) * (value - mu);
    absSum += Math.abs(value);
    level = alpha * value + q * level;
    if (dynamic) {
      b = ((i - 1) * b + (6 * (value - meanY)) / (i + 1)) / (i + 2);
      meanY = (i * meanY + value) / (i + 1);
      a = meanY - (b * (i + 2)) / 2;
    } else {
      meanY = (i * meanY + value) / (i + 1);
    }
    qPower *= q;
  }
  const meanAbs = Math.max(absSum / n, 1e-10);
  return { state: { level, meanY, a, b, next: n }, mse: sse / meanAbs };
}

/**
 * The h forecasts after the states (each fed back as an observation for the next). The state
 * update repeats runTheta's on purpose: kept in local variables there (not a shared helper
 * over a state object), the fitting loop runs about 1.4 times faster, and it runs for every
 * trial point of the optimiser.
 */
export function forecastFromState(state: ThetaState, model: ThetaModelType, parameters: ThetaParameters, h: number): Float64Array {
  const { alpha, theta } = parameters;
  const dynamic = isDynamic(model);
  const weight = 1 - 1 / theta;
  const q = 1 - alpha;
  let { level, meanY, a, b } = state;
  const out = new Float64Array(h);
  for (let j = 0; j < h; j++) {
    const i = state.next + j;
    const qPower = Math.pow(q, i);
    const mu = level + weight * (a * qPower + (b * (1 - qPower * q)) / alpha);
    out[j] = mu;
    level = alpha * mu + q * level;
    if (dynamic) {
      b = ((i - 1) * b + (6 * (mu - meanY)) / (i + 1)) / (i + 2);
      meanY = (i * meanY + mu) / (i + 1);
      a = meanY - (b * (i + 2)) / 2;
    } else {
      meanY = (i * meanY + mu) / (i + 1);
    }
  }
  return out;
}

/** Least-squares line y ≈ A + B (t + 1), t = 0..n−1 (the time index starts at 1, as in the paper). */
export function lineThroughSeries(y: Float64Array): { intercept: number; slope: number } {
  const n = y.length;
  let sum = 0;
  let weighted = 0;
  for (let t = 0; t < n; t++) {
    sum += y[t];
    weighted += y[t] * (t + 1);
  }
  const average = sum / n;
  const slope = (6 * ((2 * weighted) / n - (n + 1) * average)) / (n * n - 1);
  return { intercept: average - ((n + 1) * slope) / 2, slope };
}
