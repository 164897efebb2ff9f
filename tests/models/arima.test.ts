// ARIMA (src/models/arima) against R's forecast package on the fixtures tools/r_arima_fixtures.R
// wrote (tests/fixtures/arima/*.json), plus properties that need no R: the fast likelihood
// filter against the reference one, the stationary covariance against its defining equation,
// forecasts re-run over a longer history, and bad input.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ModelInputError } from "../../src/models/errors.js";
import {
  fitArima,
  forecastArima,
  forecastArimaWithVariance,
  kpssStatistic,
  ndiffs,
  nsdiffs,
  seasonalStrength,
  type ArimaCoefficients,
  type ArimaFit,
  type ArimaSpec,
} from "../../src/models/arima/index.js";
import { ArmaFilter } from "../../src/models/arima/arma-filter.js";
import { filterDiffuse, makeStateSpace } from "../../src/models/arima/kalman.js";
import { covarianceWork, stationaryCovariance } from "../../src/models/arima/stationary-covariance.js";
import { expandArma, pacfToAr, rootsOutside } from "../../src/models/arima/polynomials.js";

interface RModel {
  spec: ArimaSpec;
  coef: { ar: number[]; ma: number[]; sar: number[]; sma: number[]; intercept?: number; drift?: number };
  loglik: number;
  aicc: number;
  sigma2: number;
  forecast: number[];
}
interface Fixture {
  versions: string;
  name: string;
  period: number;
  x: number[];
  h: number;
  unit_root: { kpss: number[]; d: number; D?: number; seasonal_strength?: number };
  auto: RModel;
  models: RModel[];
}

const FIXTURES = join(import.meta.dirname, "../fixtures/arima");
const fixtures: Fixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as Fixture);

const relative = (ours: number, theirs: number) => Math.abs(ours - theirs) / Math.max(Math.abs(theirs), 1e-12);
const maxRelative = (ours: ArrayLike<number>, theirs: number[]) => Math.max(...theirs.map((v, i) => relative(ours[i], v)));
const label = (s: ArimaSpec) => `(${s.p},${s.d},${s.q})(${s.P},${s.D},${s.Q})[${s.period}]${s.constant ? "+c" : ""}`;
const sameOrders = (a: ArimaSpec, b: ArimaSpec) =>
  a.p === b.p && a.d === b.d && a.q === b.q && a.P === b.P && a.D === b.D && a.Q === b.Q && a.constant === b.constant;

function coefficients(m: RModel): ArimaCoefficients {
  return { ar: m.coef.ar, ma: m.coef.ma, sar: m.coef.sar, sma: m.coef.sma, intercept: m.coef.intercept ?? null, drift: m.coef.drift ?? null };
}

describe("fixtures", () => {
  it("were written by tools/r_arima_fixtures.R with R's forecast package", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const f of fixtures) expect(f.versions).toMatch(/^R 4\.\d+\.\d+, forecast \d+\.\d+/);
  });
});

describe("exact likelihood and forecasts at R's coefficients", () => {
  const cases = fixtures.flatMap((f) => [f.auto, ...f.models].map((m, i) => ({ f, m, i })));
  it.each(cases.map((c) => [`${c.f.name} ${label(c.m.spec)}`, c] as const))("%s: loglik and forecasts within 1e-6 of R's", (_, { f, m }) => {
    const y = Float64Array.from(f.x);
    const fit = fitArima(y, { period: f.period, spec: m.spec, fixed: coefficients(m) });
    const forecasts = forecastArima(fit, y, f.h);
    const loglikError = relative(fit.loglik!, m.loglik);
    const forecastError = maxRelative(forecasts, m.forecast);
    if (loglikError > 1e-9 || forecastError > 1e-9) {
      console.log(`${f.name} ${label(m.spec)}: loglik rel. diff ${loglikError.toExponential(2)}, forecasts ${forecastError.toExponential(2)}`);
    }
    expect(loglikError).toBeLessThan(1e-6);
    expect(forecastError).toBeLessThan(1e-6);
  });
});

describe("estimation of given orders", () => {
  const cases = fixtures.flatMap((f) => f.models.map((m) => ({ f, m })));
  it.each(cases.map((c) => [`${c.f.name} ${label(c.m.spec)}`, c] as const))("%s reaches R's likelihood", (_, { f, m }) => {
    const y = Float64Array.from(f.x);
    const fit = fitArima(y, { period: f.period, spec: m.spec });
    // Our optimum is at least as likely as R's (to rounding), and close to it.
    expect(fit.loglik!).toBeGreaterThanOrEqual(m.loglik - 1e-7 * Math.abs(m.loglik));
    expect(relative(fit.loglik!, m.loglik)).toBeLessThan(1e-3);
    expect(relative(fit.sigma2, m.sigma2)).toBeLessThan(2e-2);
  });
});

describe("unit-root tests", () => {
  it.each(fixtures.map((f) => [f.name, f] as const))("%s: KPSS statistics, seasonal strength and orders as R", (_, f) => {
    const y = Float64Array.from(f.x);
    let series = y;
    if (f.unit_root.D !== undefined) {
      const seasonal = nsdiffs(y, f.period);
      expect(seasonal.D).toBe(f.unit_root.D);
      expect(relative(seasonalStrength(y, f.period), f.unit_root.seasonal_strength!)).toBeLessThan(1e-9);
      if (seasonal.D > 0) series = Float64Array.from({ length: y.length - f.period }, (_, t) => y[t + f.period] - y[t]);
    }
    let tested = Float64Array.from(series);
    for (const expected of f.unit_root.kpss) {
      expect(relative(kpssStatistic(tested), expected)).toBeLessThan(1e-9);
      tested = Float64Array.from({ length: tested.length - 1 }, (_, t) => tested[t + 1] - tested[t]);
    }
    expect(ndiffs(series).d).toBe(f.unit_root.d);
  });
});

describe("auto.arima's stepwise search", () => {
  const results = fixtures.map((f) => ({ f, fit: fitArima(Float64Array.from(f.x), { period: f.period }) }));

  it("chooses R's orders on the fixture series (all 10 when this was written)", () => {
    const matched = results.filter(({ f, fit }) => sameOrders(fit.spec, f.auto.spec));
    for (const { f, fit } of results) console.log(`${f.name.padEnd(16)} ours ${label(fit.spec).padEnd(24)} R ${label(f.auto.spec)}`);
    expect(matched.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures.map((f, i) => [f.name, i] as const))("%s: AICc no worse than R's and forecasts finite", (_, i) => {
    const { f, fit } = results[i];
    expect(fit.aicc!).toBeLessThanOrEqual(f.auto.aicc + 1e-3);
    const forecasts = forecastArima(fit, Float64Array.from(f.x), f.h);
    expect(forecasts.every(Number.isFinite)).toBe(true);
    if (sameOrders(fit.spec, f.auto.spec)) expect(maxRelative(forecasts, f.auto.forecast)).toBeLessThan(1e-3);
  });

  it("records what it tried, and a fit survives a JSON round trip", () => {
    const { f, fit } = results.find((r) => r.f.name === "seasonal12")!;
    expect(fit.search!.tried.length).toBeGreaterThan(4);
    expect(fit.search!.seasonalStrength.length).toBe(1);
    const copy = JSON.parse(JSON.stringify(fit)) as ArimaFit;
    expect(Array.from(forecastArima(copy, Float64Array.from(f.x), 5))).toEqual(Array.from(forecastArima(fit, Float64Array.from(f.x), 5)));
  });
});

describe("the fast likelihood filter", () => {
  // A seeded generator, so that the random models are the same on every run.
  let state = 12345;
  const uniform = () => {
    state = (1103515245 * state + 12345) % 2147483648;
    return state / 2147483648;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());

  it("gives the reference Kalman filter's likelihood sums on random stationary models", () => {
    for (let trial = 0; trial < 40; trial++) {
      const counts = { p: trial % 3, q: (trial >> 1) % 3, P: trial % 2, Q: (trial >> 2) % 2, period: [4, 7, 12][trial % 3] };
      const n = counts.p + counts.q + counts.P + counts.Q;
      const raw = Float64Array.from({ length: n }, () => normal());
      const params = Float64Array.from(raw);
      // AR blocks through the pacf map: stationary; MA blocks as drawn (invertible or not).
      pacfToAr(raw, params, 0, counts.p, new Float64Array(4));
      pacfToAr(raw, params, counts.p + counts.q, counts.P, new Float64Array(4));
      for (let i = counts.p; i < counts.p + counts.q; i++) params[i] = 0.6 * Math.tanh(raw[i]);
      const phi = new Float64Array(counts.p + counts.period * counts.P);
      const theta = new Float64Array(counts.q + counts.period * counts.Q);
      expandArma(params, counts, phi, theta);
      const w = Float64Array.from({ length: 80 }, () => 10 * normal());
      const fast = new ArmaFilter(phi.length, theta.length).run(w, phi, theta)!;
      const reference = filterDiffuse(w, makeStateSpace(phi, theta, new Float64Array(0))!);
      expect(reference.nu).toBe(fast.nu);
      expect(relative(fast.ssq, reference.ssq)).toBeLessThan(1e-9);
      expect(Math.abs(fast.sumlog - reference.sumlog)).toBeLessThan(1e-9 * Math.max(1, Math.abs(reference.sumlog)));
    }
  });

  it("starts from the stationary covariance: P0 = T P0 T' + R R'", () => {
    const phi = Float64Array.from([0.5, -0.2, 0, 0, 0, 0, 0.3, -0.15, 0.06]);
    const theta = Float64Array.from([0.4, 0, 0, 0, 0, 0, -0.5, -0.2]);
    const r = Math.max(phi.length, theta.length + 1);
    const P = new Float64Array(r * r);
    expect(stationaryCovariance(phi, phi.length, theta, theta.length, P, covarianceWork(r, phi.length))).toBe(true);
    const load = (i: number) => (i === 0 ? 1 : i - 1 < theta.length ? theta[i - 1] : 0);
    const get = (i: number, j: number) => (i < r && j < r ? P[i * r + j] : 0);
    let worst = 0;
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        const phiI = i < phi.length ? phi[i] : 0;
        const phiJ = j < phi.length ? phi[j] : 0;
        const next = phiI * phiJ * get(0, 0) + phiI * get(0, j + 1) + phiJ * get(i + 1, 0) + get(i + 1, j + 1) + load(i) * load(j);
        worst = Math.max(worst, Math.abs(next - get(i, j)));
      }
    expect(worst).toBeLessThan(1e-12);
  });

  it("refuses a non-stationary AR polynomial", () => {
    expect(new ArmaFilter(1, 0).run(Float64Array.from([1, 2, 3]), Float64Array.from([1.2]), new Float64Array(0))).toBeNull();
    expect(rootsOutside([1.2], -1, 1)).toBe(false);
    expect(rootsOutside([0.5, 0.3], -1, 1)).toBe(true);
    // 1 + 0.995 z: root at -1.005, inside radius 1.01.
    expect(rootsOutside([0.995], 1, 1.01)).toBe(false);
    expect(rootsOutside([0.995], 1, 1)).toBe(true);
  });
});

describe("forecasts from a new history", () => {
  const f = fixtures.find((x) => x.name === "seasonal12")!;
  const y = Float64Array.from(f.x);
  const fit = fitArima(y, { period: f.period, spec: f.auto.spec, fixed: coefficients(f.auto) });

  it("continue their own path when the history is extended by them", () => {
    const base = forecastArima(fit, y, 12);
    const extended = Float64Array.from([...y, ...base.subarray(0, 5)]);
    const next = forecastArima(fit, extended, 7);
    expect(maxRelative(next, Array.from(base.subarray(5)))).toBeLessThan(1e-9);
  });

  it("follow a changed last value, with growing variance", () => {
    const changed = Float64Array.from(y);
    changed[changed.length - 1] += 50;
    expect(forecastArima(fit, changed, 1)[0]).not.toBeCloseTo(forecastArima(fit, y, 1)[0], 3);
    const { variance } = forecastArimaWithVariance(fit, y, 24);
    // One step ahead: sigma^2 times the filter's prediction variance, which is 1 once converged.
    expect(relative(variance[0], fit.sigma2)).toBeLessThan(1e-3);
    for (let k = 1; k < 24; k++) expect(variance[k]).toBeGreaterThanOrEqual(variance[k - 1] - 1e-9);
  });

  it("refuse a bad horizon or history with a clear message", () => {
    expect(() => forecastArima(fit, y, 0)).toThrow(/horizon must be a positive whole number/);
    expect(() => forecastArima(fit, y.subarray(0, 10), 3)).toThrow(/give at least 14 values/);
    const holed = Float64Array.from(y);
    holed[3] = Number.NaN;
    expect(() => forecastArima(fit, holed, 3)).toThrow(ModelInputError);
  });
});

describe("bad input", () => {
  const finite = (fit: ArimaFit, y: Float64Array, h = 10) => {
    const fc = forecastArima(fit, y, h);
    expect(fc.length).toBe(h);
    for (const v of fc) expect(Number.isFinite(v)).toBe(true);
    expect(Number.isFinite(fit.sigma2)).toBe(true);
    return fc;
  };

  it("forecasts a constant series as that constant", () => {
    const y = new Float64Array(60).fill(42);
    const fit = fitArima(y, { period: 7 });
    expect(fit.constantSeries).toBe(true);
    expect(Array.from(finite(fit, y))).toEqual(new Array(10).fill(42));
  });

  it("forecasts an all-zero series as zero", () => {
    const y = new Float64Array(30);
    expect(Array.from(finite(fitArima(y, { period: 1 }), y))).toEqual(new Array(10).fill(0));
  });

  it("continues a straight line exactly (the differenced series is constant)", () => {
    const y = Float64Array.from({ length: 40 }, (_, t) => 3 + 2 * t);
    const fit = fitArima(y, { period: 1 });
    const fc = finite(fit, y, 3);
    expect(Array.from(fc).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([83, 85, 87]);
  });

  it("refuses too short or non-finite series with a message saying what to do", () => {
    expect(() => fitArima(Float64Array.from([1, 2]), { period: 1 })).toThrow(/has 2 value\(s\); give at least 3/);
    expect(() => fitArima(Float64Array.from([1, Number.NaN, 3, 4]), { period: 1 })).toThrow(/value 2 of the series is NaN/);
    expect(() => fitArima(Float64Array.from([1, Infinity, 3, 4]), { period: 1 })).toThrow(ModelInputError);
    expect(() => fitArima(Float64Array.from([1, 2, 3, 4]), { period: 0 })).toThrow(/seasonal period must be 1/);
    expect(() => fitArima(Float64Array.from([1, 2, 3, 4]), { period: 4, spec: { p: 0, d: 0, q: 0, P: 0, D: 1, Q: 0, period: 4, constant: false } })).toThrow(
      /differences 4 periods away but the series has 4 values/,
    );
  });

  it("never returns NaN on short, spiky, intermittent or huge series", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const series: Float64Array[] = [
      Float64Array.from([5, 7, 6]),
      Float64Array.from([0, 0, 0, 9, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0]),
      Float64Array.from({ length: 25 }, () => (next() < 0.6 ? 0 : Math.round(next() * 10))),
      Float64Array.from({ length: 16 }, (_, t) => (t === 8 ? 1000 : 10 + next())),
      Float64Array.from({ length: 120 }, (_, t) => 1e9 * (1 + 0.3 * Math.sin((2 * Math.PI * t) / 7)) + 1e7 * next()),
      Float64Array.from({ length: 60 }, (_, t) => -50 + t * 0.1 + next()),
    ];
    for (const y of series) {
      for (const period of [1, 7]) finite(fitArima(y, { period }), y, 8);
    }
  });
});
