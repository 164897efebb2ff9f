// Non-seasonal forecasters for MSTL's seasonally adjusted series (trend + remainder), behind
// one small interface so another family (the ETS library) can take their place:
//   ses          simple exponential smoothing, ETS(A,N,N): α and ℓ0 by least squares
//   holt_damped  damped trend, ETS(A,Ad,N): ℓ_t = ℓ + φb + αe, b_t = φb + βe, forecast
//                ℓ + (φ + … + φ^h) b; α, β ≤ α, φ in [0.8, 0.98], ℓ0 and b0 by least squares
//   auto         both, keeping the lower AICc, as R's ets chooses: AIC = n log(SSE/n) + 2k with
//                k = parameters + 1 (the error variance), AICc = AIC + 2k(k + 1)/(n − k − 1)
// Least squares with additive errors is the maximum-likelihood fit of these ETS models.
import { nelderMead } from "../numeric/nelder-mead.js";

/** A JSON-serialisable fitted state: which model and its parameters. */
export interface TrendFit {
  name: string;
  parameters: Record<string, number>;
  aicc?: number;
}

export interface TrendForecaster {
  /** Stored in the MSTL fit; forecastMstl finds built-in forecasters by it. */
  readonly name: string;
  fit(x: Float64Array): TrendFit;
  /** The h forecasts after x, with the fitted parameters and the states re-run over x. */
  forecast(fit: TrendFit, x: Float64Array, h: number): Float64Array;
}

interface Smoothing {
  alpha: number;
  beta: number;
  phi: number;
  level0: number;
  trend0: number;
  damped: boolean;
}

/** Runs the recursions; returns the SSE of the one-step errors and the final level and trend. */
function runSmoothing(x: Float64Array, s: Smoothing): { sse: number; level: number; trend: number } {
  let level = s.level0;
  let trend = s.damped ? s.trend0 : 0;
  let sse = 0;
  for (let t = 0; t < x.length; t++) {
    const predicted = level + s.phi * trend;
    const error = x[t] - predicted;
    sse += error * error;
    level = predicted + s.alpha * error;
    trend = s.phi * trend + s.beta * error;
  }
  return { sse, level, trend };
}

function forecastSmoothing(x: Float64Array, s: Smoothing, h: number): Float64Array {
  const { level, trend } = runSmoothing(x, s);
  const out = new Float64Array(h);
  let cumulative = 0;
  let power = 1;
  for (let j = 0; j < h; j++) {
    power *= s.phi;
    cumulative += power;
    out[j] = level + (s.damped ? cumulative * trend : 0);
  }
  return out;
}

function aicc(n: number, sse: number, parameters: number): number {
  const k = parameters + 1;
  const aic = n * Math.log(Math.max(sse, 1e-300) / n) + 2 * k;
  return n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
}

function toSmoothing(fit: TrendFit): Smoothing {
  const p = fit.parameters;
  const damped = fit.name === "holt_damped";
  return { alpha: p.alpha, beta: damped ? p.beta : 0, phi: damped ? p.phi : 1, level0: p.level0, trend0: damped ? p.trend0 : 0, damped };
}

/** Starting level and slope: the least-squares line through the first (up to) ten values. */
function startingLine(x: Float64Array): { level: number; slope: number } {
  const m = Math.min(10, x.length);
  if (m < 2) return { level: x[0], slope: 0 };
  let sx = 0;
  let sy = 0;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < m; t++) {
    sx += t;
    sy += x[t];
    sxy += t * x[t];
    sxx += t * t;
  }
  const slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  return { level: (sy - slope * sx) / m, slope };
}

export const sesForecaster: TrendForecaster = {
  name: "ses",
  fit(x) {
    const start = startingLine(x);
    const toS = (v: ArrayLike<number>): Smoothing => ({ alpha: v[0], beta: 0, phi: 1, level0: v[1], trend0: 0, damped: false });
    const scale = Math.max(1, Math.abs(start.level)) * 1e6;
    const result = nelderMead((v) => runSmoothing(x, toS(v)).sse, [0.2, x[0]], [1e-4, -scale], [0.9999, scale]);
    const s = toS(result.x);
    const { sse } = runSmoothing(x, s);
    return { name: "ses", parameters: { alpha: s.alpha, level0: s.level0 }, aicc: aicc(x.length, sse, 2) };
  },
  forecast: (fit, x, h) => forecastSmoothing(x, toSmoothing(fit), h),
};

export const dampedHoltForecaster: TrendForecaster = {
  name: "holt_damped",
  fit(x) {
    const start = startingLine(x);
    // β is searched as a share of α, so the box stays a box while keeping β ≤ α.
    const toS = (v: ArrayLike<number>): Smoothing => ({ alpha: v[0], beta: v[0] * v[1], phi: v[2], level0: v[3], trend0: v[4], damped: true });
    const scale = Math.max(1, Math.abs(start.level)) * 1e6;
    const slopeScale = Math.max(1, Math.abs(start.slope)) * 1e6;
    const result = nelderMead(
      (v) => runSmoothing(x, toS(v)).sse,
      [0.2, 0.1, 0.9, start.level, start.slope],
      [1e-4, 1e-4, 0.8, -scale, -slopeScale],
      [0.9999, 1, 0.98, scale, slopeScale],
      { maxIterations: 2000 },
    );
    const s = toS(result.x);
    const { sse } = runSmoothing(x, s);
    return {
      name: "holt_damped",
      parameters: { alpha: s.alpha, beta: s.beta, phi: s.phi, level0: s.level0, trend0: s.trend0 },
      aicc: aicc(x.length, sse, 5),
    };
  },
  forecast: (fit, x, h) => forecastSmoothing(x, toSmoothing(fit), h),
};

export const autoSmoothingForecaster: TrendForecaster = {
  name: "auto",
  fit(x) {
    const ses = sesForecaster.fit(x);
    if (x.length < 10) return ses; // too few periods to tell a damped trend from noise
    const damped = dampedHoltForecaster.fit(x);
    return damped.aicc! < ses.aicc! ? damped : ses;
  },
  // The fit names the model that won; forecast with it.
  forecast: (fit, x, h) => forecastSmoothing(x, toSmoothing(fit), h),
};

export const BUILT_IN_TREND_FORECASTERS: Record<string, TrendForecaster> = {
  ses: sesForecaster,
  holt_damped: dampedHoltForecaster,
  auto: autoSmoothingForecaster,
};
