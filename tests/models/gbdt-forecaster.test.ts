// The global GBDT forecaster (src/models/gbdt/): its features against hand computation and
// against mlforecast's (tests/fixtures/gbdt-forecaster/mlforecast.json, written by
// tools/mlforecast_fixtures.py), no look-ahead, recursive and direct shapes, determinism, the
// JSON round trip, bad input, awkward series, and accuracy within 2% of mlforecast + LightGBM
// with the same features and parameters.
import { describe, expect, it } from "vitest";
import { ModelInputError } from "../../src/models/errors.js";
import {
  fitGbdtForecaster,
  forecastGbdtForecaster,
  gbdtForecasterRows,
  type GbdtForecasterFit,
  type GbdtForecasterOptions,
  type GbdtSeries,
} from "../../src/models/gbdt/index.js";
import { dayOfYear, isoWeek, mondayWeekday } from "../../src/models/gbdt/calendar.js";
import { epochDayFromIso } from "../../src/data/dates.js";
import { readFixture } from "./fixtures.js";

/** A seeded daily series: weekly cycle, slow wave, noise, at `level`. */
function daily(name: string, n: number, level: number, seed: number, start = "2022-01-03"): GbdtSeries {
  let state = seed;
  const noise = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const values = new Float64Array(n);
  for (let t = 0; t < n; t++)
    values[t] = Math.max(0, level * (1 + 0.4 * Math.sin((2 * Math.PI * (t + seed)) / 7) + 0.2 * Math.sin(t / 40)) + 0.2 * level * noise());
  return { name, values, start, frequency: "D" };
}

const SMALL: Partial<GbdtForecasterOptions> = { params: { num_iterations: 200, min_data_in_leaf: 5 }, numThreads: 1 };
const dataset = (): GbdtSeries[] => [daily("a", 150, 20, 1), daily("b", 150, 300, 2), daily("c", 120, 5, 3)];

describe("features", () => {
  const y = Float64Array.from([4, 0, 6, 2, 8, 10, 3, 5, 7, 1, 9, 11]);
  const tiny: GbdtSeries = { name: "tiny", values: y, start: "2024-01-01", frequency: "D" }; // a Monday
  const options: GbdtForecasterOptions = {
    horizon: 2,
    lags: [1, 3],
    yearlyLag: null,
    calendar: ["day_of_week", "month", "day_of_year", "week_of_year"],
    rolling: [
      { stat: "mean", window: 3, lag: 1 },
      { stat: "std", window: 3, lag: 2 },
    ],
    validationPeriods: 2,
  };

  it("lags, lagged windows, calendar, series code and scale of a tiny series equal hand computation (mean_abs scaling)", () => {
    const scale = y.reduce((s, v) => s + Math.abs(v), 0) / y.length; // 5.5
    const z = Array.from(y, (v) => v / scale);
    const { feature_names, rows } = gbdtForecasterRows([tiny], options);
    expect(feature_names).toEqual([
      "series_code",
      "series_scale",
      "lag1",
      "lag3",
      "rolling_mean_lag1_window_size3",
      "rolling_std_lag2_window_size3",
      "day_of_week",
      "month",
      "day_of_year",
      "week_of_year",
    ]);
    // any_lag: rows from the shortest lag (t = 1) on; the last 2 periods held out.
    expect(rows.map((r) => r.t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rows.map((r) => r.validation)).toEqual([...Array(9).fill(false), true, true]);
    const row = rows.find((r) => r.t === 6)!; // 2024-01-07, a Sunday
    const mean = (z[3] + z[4] + z[5]) / 3;
    const windowStd = (a: number[]) => {
      const m = a.reduce((s, v) => s + v, 0) / a.length;
      return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
    };
    const expected = [0, scale, z[5], z[3], mean, windowStd([z[2], z[3], z[4]]), 6, 1, 7, 1];
    expected.forEach((v, i) => expect(row.features[i]).toBeCloseTo(v, 6));
    expect(row.label).toBeCloseTo(z[6], 6);
    // A lag or window before the first period is missing.
    const early = rows.find((r) => r.t === 1)!;
    expect(early.features[2]).toBeCloseTo(z[0], 6);
    expect(Number.isNaN(early.features[3]) && Number.isNaN(early.features[4]) && Number.isNaN(early.features[5])).toBe(true);
  });

  it("standard scaling is mlforecast's LocalStandardScaler (ddof 0); complete rows start where every lag is known", () => {
    const mean = y.reduce((s, v) => s + v, 0) / y.length;
    const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length);
    const { rows } = gbdtForecasterRows([tiny], { ...options, scaling: "standard", trainingRows: "complete", seriesScale: false });
    expect(rows[0].t).toBe(4); // rolling std of 3 ending at lag 2 needs t - 4 >= 0
    for (const r of rows) expect(r.label).toBeCloseTo((y[r.t] - mean) / std, 6);
    const fit = fitGbdtForecaster([tiny], { ...options, scaling: "standard" });
    expect(fit.series[0].center).toBeCloseTo(mean, 12);
    expect(fit.series[0].scale).toBeCloseTo(std, 12);
  });

  it("calendar numbers follow pandas: Monday 0, ISO weeks across a year end, day of year in a leap year", () => {
    const day = (iso: string) => epochDayFromIso(iso)!;
    expect(mondayWeekday(day("2024-01-01"))).toBe(0);
    expect(mondayWeekday(day("2024-01-07"))).toBe(6);
    expect(isoWeek(day("2020-12-31"))).toBe(53);
    expect(isoWeek(day("2021-01-03"))).toBe(53);
    expect(isoWeek(day("2021-01-04"))).toBe(1);
    expect(isoWeek(day("2019-12-30"))).toBe(1);
    expect(dayOfYear(day("2024-12-31"))).toBe(366);
    expect(dayOfYear(day("2023-03-01"))).toBe(60);
  });

  it("weekly series: the yearly lag 52 is used once some series has two years, and its absence is explained", () => {
    const weekly = (n: number): GbdtSeries => ({
      name: `w${n}`,
      values: Float64Array.from({ length: n }, (_, t) => 10 + (t % 52 === 50 ? 20 : 0) + (t % 3)),
      start: "2020-01-03",
      frequency: "W",
    });
    const short = fitGbdtForecaster([weekly(103)], { horizon: 4, ...SMALL });
    expect(short.features.lags).not.toContain(52);
    expect(short.features.dropped[0]).toEqual({ feature: "lag52", reason: "the longest series has 103 periods, fewer than 104 (two years)" });
    const long = fitGbdtForecaster([weekly(104), weekly(60)], { horizon: 4, ...SMALL });
    expect(long.features.lags).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 13, 26, 52]);
    expect(long.features.calendar).toEqual(["week_of_year", "month"]);
  });
});

describe("no look-ahead", () => {
  it.each(["recursive", "direct"] as const)("%s: values after the cutoff (and covariates after the forecast periods) change nothing", (strategy) => {
    const n = 140;
    const h = 5;
    const make = (poison: number): GbdtSeries[] =>
      dataset().map((s) => {
        const buffer = new Float64Array(n + 30);
        buffer.set(s.values.subarray(0, n));
        buffer.fill(poison, n);
        const promo = Float64Array.from({ length: n + 30 }, (_, t) => (t >= n + h ? poison : t % 5 === 0 ? 1 : 0));
        return { ...s, values: buffer.subarray(0, n), covariates: { promo } }; // views over a longer, poisoned buffer
      });
    const options: GbdtForecasterOptions = { horizon: h, strategy, ...SMALL };
    const clean = make(0);
    const poisoned = make(1e9);
    const fitClean = fitGbdtForecaster(clean, options);
    const fitPoisoned = fitGbdtForecaster(poisoned, options);
    expect(JSON.stringify(fitPoisoned)).toBe(JSON.stringify(fitClean));
    for (let i = 0; i < clean.length; i++) {
      expect(forecastGbdtForecaster(fitPoisoned, poisoned[i], h)).toEqual(forecastGbdtForecaster(fitClean, clean[i], h));
    }
  });

  it("the scale comes from the history given: forecasting from an earlier cutoff ignores later values", () => {
    const series = dataset();
    const fit = fitGbdtForecaster(series, { horizon: 3, ...SMALL });
    const cut = (s: GbdtSeries, n: number, tail: number): GbdtSeries => {
      const values = Float64Array.from(s.values.subarray(0, n + 10));
      values.fill(tail, n);
      return { ...s, values: values.subarray(0, n) };
    };
    expect(forecastGbdtForecaster(fit, cut(series[0], 100, 5e6), 3)).toEqual(forecastGbdtForecaster(fit, cut(series[0], 100, -7), 3));
  });
});

describe("recursive and direct", () => {
  const h = 4;
  const weekly = (name: string, n: number, level: number): GbdtSeries => ({
    name,
    start: "2019-01-04",
    frequency: "W",
    values: Float64Array.from({ length: n }, (_, t) => level * (1 + 0.5 * Math.exp(-0.5 * ((t % 52) - 50) ** 2) + 0.1 * Math.sin(t))),
  });
  const series = [weekly("x", 120, 50), weekly("y", 120, 500), weekly("z", 90, 8)];

  it("recursive: one model of the spec's lags; it forecasts any number of steps, feeding each forecast back", () => {
    const fit = fitGbdtForecaster(series, { horizon: h, strategy: "recursive", scaling: "none", ...SMALL });
    expect(fit.models).toHaveLength(1);
    expect(fit.models[0].step).toBeNull();
    expect(fit.models[0].lags).toEqual(fit.features.lags);
    const long = forecastGbdtForecaster(fit, series[0], 3 * h);
    expect(long).toHaveLength(3 * h);
    // Step 2 from the history is step 1 from the history with step 1's forecast appended.
    const two = forecastGbdtForecaster(fit, series[0], 2);
    const appended = { ...series[0], values: Float64Array.from([...series[0].values, two[0]]) };
    expect(forecastGbdtForecaster(fit, appended, 1)[0]).toBeCloseTo(two[1], 10);
  });

  it("direct: one model per step, step k reading only lags ≥ k (and windows ending at lag ≥ k); no more steps than fitted", () => {
    const fit = fitGbdtForecaster(series, { horizon: h, strategy: "direct", ...SMALL });
    expect(fit.models.map((m) => m.step)).toEqual([1, 2, 3, 4]);
    fit.models.forEach((m, i) => {
      const k = i + 1;
      expect(m.lags[0]).toBe(k);
      expect(m.lags.every((l) => l >= k)).toBe(true);
      expect(m.lags).toEqual([...new Set([k, ...fit.features.lags.filter((l) => l >= k)])].sort((a, b) => a - b));
      expect(m.rolling.every((r) => r.lag >= k)).toBe(true);
      expect(m.feature_names).toContain(`lag${k}`);
    });
    expect(forecastGbdtForecaster(fit, series[1], h)).toHaveLength(h);
    expect(() => forecastGbdtForecaster(fit, series[1], h + 1)).toThrow(/fitted for 4 steps, 5 asked/);
  });
});

describe("determinism and the JSON round trip", () => {
  const bagging: GbdtForecasterOptions = { horizon: 3, ...SMALL, params: { ...SMALL.params, bagging_fraction: 0.6, bagging_freq: 1, feature_fraction: 0.7 } };

  it("the same seed gives the same fit and forecasts; another seed other forecasts", () => {
    const a = fitGbdtForecaster(dataset(), { ...bagging, seed: 11 });
    const b = fitGbdtForecaster(dataset(), { ...bagging, seed: 11 });
    const c = fitGbdtForecaster(dataset(), { ...bagging, seed: 12 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const s = dataset()[1];
    expect(forecastGbdtForecaster(a, s, 3)).toEqual(forecastGbdtForecaster(b, s, 3));
    expect(forecastGbdtForecaster(c, s, 3)).not.toEqual(forecastGbdtForecaster(a, s, 3));
  });

  it("the reference and the native learner give the same forecasts", () => {
    const fast = fitGbdtForecaster(dataset(), { horizon: 3, ...SMALL, learner: "fast" });
    const reference = fitGbdtForecaster(dataset(), { horizon: 3, ...SMALL, learner: "reference" });
    for (const s of dataset()) expect(forecastGbdtForecaster(reference, s, 3)).toEqual(forecastGbdtForecaster(fast, s, 3));
  });

  it.each(["recursive", "direct"] as const)("%s: a fit written as JSON and read back forecasts exactly the same", (strategy) => {
    const fit = fitGbdtForecaster(dataset(), { horizon: 3, strategy, ...SMALL });
    const back = JSON.parse(JSON.stringify(fit)) as GbdtForecasterFit;
    for (const s of dataset()) expect(forecastGbdtForecaster(back, s, 3)).toEqual(forecastGbdtForecaster(fit, s, 3));
  });

  it("a damaged fit is refused with what is wrong", () => {
    const fit = fitGbdtForecaster(dataset(), { horizon: 2, ...SMALL });
    const copy = () => JSON.parse(JSON.stringify(fit)) as GbdtForecasterFit;
    const s = dataset()[0];
    expect(() => forecastGbdtForecaster({ ...copy(), format_version: 9 } as unknown as GbdtForecasterFit, s, 2)).toThrow(/format_version is 9/);
    expect(() => forecastGbdtForecaster({ ...copy(), models: [] }, s, 2)).toThrow(/must hold 1 model/);
    const badTree = copy();
    badTree.models[0].gbdt!.trees[0].left_child[0] = 99;
    expect(() => forecastGbdtForecaster(badTree, s, 2)).toThrow(ModelInputError);
    const fewer = copy();
    fewer.models[0].lags = fewer.models[0].lags.slice(1);
    expect(() => forecastGbdtForecaster(fewer, s, 2)).toThrow(/features but its feature spec gives/);
  });
});

describe("bad input", () => {
  const good = dataset();
  const fit =
    (series: GbdtSeries[], options: Partial<GbdtForecasterOptions> = {}) =>
    () =>
      fitGbdtForecaster(series, { horizon: 3, ...SMALL, ...options } as GbdtForecasterOptions);
  it.each([
    ["no series", fit([]), /no series to fit/],
    ["two series of one name", fit([good[0], { ...good[1], name: "a" }]), /two series are named "a"/],
    ["daily and weekly together", fit([good[0], { ...good[1], frequency: "W" }]), /is daily but "b" is not/],
    ["a non-finite value", fit([{ ...good[0], values: Float64Array.from([1, 2, NaN, 4]) }]), /value NaN at period 2/],
    ["values not a Float64Array", fit([{ ...good[0], values: [1, 2, 3] as unknown as Float64Array }]), /must be a Float64Array/],
    ["a bad start date", fit([{ ...good[0], start: "2024-02-30" }]), /start must be an ISO date/],
    ["an unknown frequency", fit([{ ...good[0], frequency: "M" as "D" }]), /frequency must be "D"/],
    [
      "poisson on negative values",
      fit([{ ...good[0], values: Float64Array.from(good[0].values, (v, t) => (t === 9 ? -1 : v)) }], { loss: "poisson" }),
      /negative value \(-1 at period 9\).*needs values ≥ 0/,
    ],
    ["poisson with standard scaling", fit(good, { loss: "poisson", scaling: "standard" }), /standard scaling centres them/],
    ["horizon 0", fit(good, { horizon: 0 }), /horizon must be a whole number ≥ 1/],
    ["an unknown strategy", fit(good, { strategy: "both" as "direct" }), /strategy must be one of recursive, direct/],
    ["a lag of 0", fit(good, { lags: [0, 7] }), /lags\[0\] must be a whole number ≥ 1/],
    ["a rolling std of one period", fit(good, { rolling: [{ stat: "std", window: 1, lag: 1 }] }), /rolling\[0\].window must be a whole number ≥ 2/],
    ["an unknown calendar feature", fit(good, { calendar: ["weekday" as "month"] }), /calendar must be an array of day_of_week/],
    ["the objective in params", fit(good, { params: { objective: "l2" } }), /params.objective is set by the forecaster/],
    ["a bad engine parameter", fit(good, { params: { num_leaves: 1 } }), /num_leaves must be an integer in \[2/],
    [
      "a covariate some series lack",
      fit([{ ...good[0], covariates: { promo: new Float64Array(150) } }, good[1]], { covariates: ["promo"] }),
      /series "b" has no covariate "promo"/,
    ],
    [
      "a covariate shorter than the history",
      fit([{ ...good[0], covariates: { promo: new Float64Array(10) } }]),
      /covariate "promo" has 10 values for 150 periods/,
    ],
    ["series too short for any row", fit([daily("s", 6, 10, 1)]), /no series is long enough for a training row: that needs 8 periods/],
  ])("%s", (_, run, message) => {
    expect(run).toThrow(ModelInputError);
    expect(run).toThrow(message);
  });

  it("forecasting: a wrong horizon, frequency, unknown stand-in series or missing future covariates", () => {
    const withPromo = good.map((s) => ({ ...s, covariates: { promo: new Float64Array(s.values.length + 3) } }));
    const f = fitGbdtForecaster(withPromo, { horizon: 3, ...SMALL });
    expect(f.features.covariates).toEqual(["promo"]);
    expect(() => forecastGbdtForecaster(f, withPromo[0], 2.5)).toThrow(/horizon must be a whole number/);
    expect(() => forecastGbdtForecaster(f, { ...withPromo[0], frequency: "W" }, 2)).toThrow(/is weekly but the model was fitted on daily data/);
    expect(() => forecastGbdtForecaster(f, withPromo[0], 2, { asSeries: "nope" })).toThrow(/asSeries "nope" is not a series the model was trained on/);
    expect(() => forecastGbdtForecaster(f, withPromo[0], 4)).toThrow(
      /needs covariate "promo" for its 150 periods and the 4 forecast periods \(154 values; got 153\)/,
    );
    expect(() => forecastGbdtForecaster(f, good[0], 1)).toThrow(/got none/);
  });
});

describe("awkward series", () => {
  const finite = (a: Float64Array) => a.every(Number.isFinite);

  it("a single series", () => {
    const s = daily("only", 200, 40, 5);
    const f = fitGbdtForecaster([s], { horizon: 7, ...SMALL });
    const forecast = forecastGbdtForecaster(f, s, 7);
    expect(finite(forecast)).toBe(true);
    // It learnt the weekly cycle: closer to the truth than the series' mean would be.
    const truth = daily("only", 207, 40, 5).values.subarray(200);
    const mean = s.values.reduce((a, b) => a + b, 0) / s.values.length;
    const error = (f: (k: number) => number) => truth.reduce((e, v, k) => e + Math.abs(v - f(k)), 0);
    expect(error((k) => forecast[k])).toBeLessThan(error(() => mean));
  });

  it("very short series (fewer periods than the longest lag): missing features, finite forecasts", () => {
    const short = daily("short", 20, 30, 7);
    const f = fitGbdtForecaster([short], { horizon: 7, ...SMALL });
    expect(f.features.lags).toContain(28);
    expect(finite(forecastGbdtForecaster(f, short, 7))).toBe(true);
    // A model trained on long series forecasts a 10-period one, and a 1-period one.
    const global = fitGbdtForecaster(dataset(), { horizon: 7, ...SMALL });
    expect(finite(forecastGbdtForecaster(global, daily("new", 10, 30, 9), 7))).toBe(true);
    expect(finite(forecastGbdtForecaster(global, { ...daily("new", 1, 30, 9) }, 7))).toBe(true);
  });

  it.each(["l1", "l2", "poisson", "tweedie"] as const)("all-zero and constant series with %s: finite, zero and constant forecasts", (loss) => {
    const zeros: GbdtSeries = { name: "zeros", values: new Float64Array(60), start: "2023-01-01", frequency: "D" };
    const constant: GbdtSeries = { name: "constant", values: new Float64Array(60).fill(12.5), start: "2023-01-01", frequency: "D" };
    const f0 = fitGbdtForecaster([zeros], { horizon: 7, loss, ...SMALL });
    expect(Array.from(forecastGbdtForecaster(f0, zeros, 7))).toEqual(new Array(7).fill(0));
    for (const scaling of loss === "l1" || loss === "l2" ? (["mean_abs", "standard", "none"] as const) : (["mean_abs", "none"] as const)) {
      const fc = fitGbdtForecaster([constant], { horizon: 7, loss, scaling, ...SMALL });
      forecastGbdtForecaster(fc, constant, 7).forEach((v) => expect(v).toBeCloseTo(12.5, 9));
    }
    // Zeros beside a real series: the zero series is forecast finite (and near 0).
    const both = fitGbdtForecaster([zeros, daily("real", 60, 10, 3, "2023-01-01")], { horizon: 7, loss, ...SMALL });
    const z = forecastGbdtForecaster(both, zeros, 7);
    expect(finite(z)).toBe(true);
    expect(Math.max(...z.map(Math.abs))).toBeLessThan(1); // the other series sells about 10 a day
  });

  it.each(["l1", "l2"] as const)("negative values (returns) with %s", (loss) => {
    let state = 3;
    const returns = Float64Array.from(
      { length: 300 },
      (_, t) => ((state = (state * 69069 + 1) % 4294967296) / 4294967296 - 0.5) * 0.04 + 0.01 * Math.sin((2 * Math.PI * t) / 7),
    );
    const s: GbdtSeries = { name: "returns", values: returns, start: "2021-03-01", frequency: "D" };
    for (const scaling of ["mean_abs", "standard"] as const) {
      const forecast = forecastGbdtForecaster(fitGbdtForecaster([s], { horizon: 7, loss, scaling, ...SMALL }), s, 7);
      expect(finite(forecast)).toBe(true);
      expect(forecast.some((v) => v < 0)).toBe(true);
      expect(Math.max(...forecast.map(Math.abs))).toBeLessThan(0.1);
    }
  });

  it("an unseen series is forecast as the mean over the training series' codes (direct: exactly)", () => {
    const f = fitGbdtForecaster(dataset(), { horizon: 3, strategy: "direct", ...SMALL });
    const stranger = { ...daily("stranger", 100, 60, 8) };
    const own = forecastGbdtForecaster(f, stranger, 3);
    const each = f.series.map((s) => forecastGbdtForecaster(f, stranger, 3, { asSeries: s.name }));
    for (let k = 0; k < 3; k++) expect(own[k]).toBeCloseTo(each.reduce((sum, e) => sum + e[k], 0) / each.length, 9);
    expect(forecastGbdtForecaster(f, { ...dataset()[0], name: "renamed" }, 3, { asSeries: "a" })).toEqual(forecastGbdtForecaster(f, dataset()[0], 3));
  });

  it("a known-in-advance covariate is learnt and read for the forecast periods", () => {
    const n = 200;
    const withPromo = [0, 1, 2].map((i): GbdtSeries => {
      const base = daily(`p${i}`, n + 7, 50 * (i + 1), i + 1);
      const promo = Float64Array.from({ length: n + 7 }, (_, t) => ((t * 7 + i) % 11 < 3 ? 1 : 0));
      const values = Float64Array.from(base.values.subarray(0, n), (v, t) => v * (1 + promo[t]));
      return { ...base, values, covariates: { promo } };
    });
    const f = fitGbdtForecaster(withPromo, { horizon: 7, ...SMALL });
    expect(f.models[0].feature_names).toContain("cov_promo");
    const s = withPromo[1];
    const on = forecastGbdtForecaster(f, { ...s, covariates: { promo: Float64Array.from(s.covariates!.promo, (v, t) => (t >= n ? 1 : v)) } }, 7);
    const off = forecastGbdtForecaster(f, { ...s, covariates: { promo: Float64Array.from(s.covariates!.promo, (v, t) => (t >= n ? 0 : v)) } }, 7);
    for (let k = 0; k < 7; k++) expect(on[k]).toBeGreaterThan(1.15 * off[k]);
  });
});

interface MlforecastCase {
  name: string;
  frequency: "D" | "W";
  h: number;
  windows: number;
  options: GbdtForecasterOptions;
  series: { name: string; start: string; values: number[] }[];
  feature_names: string[];
  feature_rows: { series: string; t: number; features: number[]; label: number }[];
  forecasts: { series: string; window: number; cutoff_length: number; y_hat: number[]; y_hat_float32: number[] }[];
}

describe("against mlforecast + LightGBM (same features and parameters)", () => {
  const fixture = readFixture<MlforecastCase>("gbdt-forecaster", "mlforecast.json");
  const ourName: Record<string, string> = { dayofweek: "day_of_week", dayofyear: "day_of_year" };

  for (const c of fixture.cases) {
    const series = (length?: (name: string) => number): GbdtSeries[] =>
      c.series.map((s) => ({
        name: s.name,
        start: s.start,
        frequency: c.frequency,
        values: Float64Array.from(s.values.slice(0, length ? length(s.name) : undefined)),
      }));

    it(`${c.name}: our training rows equal mlforecast's preprocess (scaled lags, windows, calendar, series code)`, () => {
      const last = new Map(c.forecasts.filter((f) => f.window === c.windows - 1).map((f) => [f.series, f.cutoff_length]));
      const { feature_names, rows } = gbdtForecasterRows(
        series((name) => last.get(name)!),
        { ...c.options, validationPeriods: 0 },
      );
      expect(feature_names).toEqual(c.feature_names.map((n) => ourName[n] ?? n));
      let worst = 0;
      for (const expected of c.feature_rows) {
        const ours = rows.find((r) => r.series === expected.series && r.t === expected.t);
        expect(ours, `row ${expected.series}@${expected.t}`).toBeDefined();
        expected.features.forEach((v, i) => (worst = Math.max(worst, Math.abs(ours!.features[i] - v) / Math.max(1, Math.abs(v)))));
        worst = Math.max(worst, Math.abs(ours!.label - expected.label) / Math.max(1, Math.abs(expected.label)));
      }
      // float32 rounding of values that are float64 in mlforecast
      expect(worst).toBeLessThan(1e-6);
      expect(rows.length).toBeGreaterThan(c.feature_rows.length);
    });

    it(`${c.name}: the forecasts of mlforecast's pipeline with LightGBM on float32 features (the same trees), and accuracy within 2% of mlforecast's own over ${c.windows} cutoffs × ${c.h} steps`, () => {
      const full = new Map(series().map((s) => [s.name, s]));
      let oursError = 0;
      let theirError = 0;
      let difference = 0;
      let float32Difference = 0;
      for (let w = 0; w < c.windows; w++) {
        const cuts = c.forecasts.filter((f) => f.window === w);
        const length = new Map(cuts.map((f) => [f.series, f.cutoff_length]));
        const fit = fitGbdtForecaster(
          series((name) => length.get(name)!),
          c.options,
        );
        for (const f of cuts) {
          const s = full.get(f.series)!;
          const history = { ...s, values: s.values.slice(0, f.cutoff_length) };
          const forecast = forecastGbdtForecaster(fit, history, c.h);
          // MASE-style scale per series: the in-sample seasonal naive error of the history.
          const m = c.frequency === "D" ? 7 : 52;
          let scale = 0;
          for (let t = m; t < f.cutoff_length; t++) scale += Math.abs(s.values[t] - s.values[t - m]);
          scale /= f.cutoff_length - m;
          for (let k = 0; k < c.h; k++) {
            float32Difference = Math.max(float32Difference, Math.abs(forecast[k] - f.y_hat_float32[k]) / Math.max(1, Math.abs(f.y_hat_float32[k])));
            const actual = s.values[f.cutoff_length + k];
            oursError += Math.abs(actual - forecast[k]) / scale;
            theirError += Math.abs(actual - f.y_hat[k]) / scale;
            difference += Math.abs(forecast[k] - f.y_hat[k]) / scale;
          }
        }
      }
      const count = c.forecasts.length * c.h;
      console.log(
        `${c.name}: MASE ours ${(oursError / count).toFixed(4)}, mlforecast ${(theirError / count).toFixed(4)}, mean |difference| ${(difference / count).toFixed(4)} (scaled); largest relative difference from the float32 pipeline ${float32Difference.toExponential(2)}`,
      );
      expect(float32Difference).toBeLessThan(1e-6);
      expect(oursError).toBeLessThanOrEqual(1.02 * theirError);
    });
  }
});
