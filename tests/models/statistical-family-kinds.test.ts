// The statistical libraries as model kinds (theta, arima, croston, sba, tsb, intermittent, mstl,
// ensemble): each fits, saves to JSON, loads and forecasts the same numbers; its forecasts are
// the library's own (checked against R and statsforecast in the libraries' tests); series it
// cannot use are a ModelInputError before any work (training's skip reason), and the other
// awkward series (all zero, constant, negative, short) give finite forecasts.
import { describe, expect, it } from "vitest";
import { configSchema, type Config } from "../../src/config/schema.js";
import { ModelInputError } from "../../src/models/errors.js";
import { checkFitInput } from "../../src/models/fit-calibrated.js";
import { familyOf } from "../../src/models/families.js";
import { fitArima, forecastArima } from "../../src/models/arima/index.js";
import { fitIntermittent, forecastIntermittent } from "../../src/models/intermittent/index.js";
import { fitTheta, forecastTheta } from "../../src/models/theta/index.js";
import { ModelFileError } from "../../src/models/model-file-error.js";
import type { Frequency, SavedModel, SeriesInput } from "../../src/models/model.js";

const KINDS = ["theta", "arima", "croston", "sba", "tsb", "intermittent", "mstl", "ensemble"] as const;
const config = configSchema.parse({});
const withModel = (model: Record<string, unknown>): Config => configSchema.parse({ model });

/** A seeded generator so every series here is the same on every run. */
function noise(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}
const weeklyShape = [1.0, 1.2, 0.9, 1.1, 1.4, 0.6, 0.5];
function dailySeries(n: number, seed = 1): Float64Array {
  const r = noise(seed);
  return Float64Array.from({ length: n }, (_, t) => (100 + 0.05 * t) * weeklyShape[t % 7] + 8 * r());
}
/** Many zero days, sizes 1-5: intermittent demand (ADI about 3). */
function sparseSeries(n: number, seed = 2): Float64Array {
  const r = noise(seed);
  return Float64Array.from({ length: n }, () => (r() > 0.17 ? 0 : Math.round(3 + 4 * r())));
}
const input = (values: Float64Array, frequency: Frequency = "D", start = "2024-01-01"): SeriesInput => ({ name: "s", values, start, frequency });
const wholeSplit = (n: number) => ({ trainEnd: n, validationEnd: n, length: n });
const roundTrip = (saved: SavedModel): SavedModel => JSON.parse(JSON.stringify(saved));

describe.each(KINDS)("the %s kind", (kind) => {
  const family = familyOf(kind);
  const series = input(dailySeries(200));

  it("fits, saves as JSON, loads and forecasts the same numbers", async () => {
    const model = await family.fit([series], { config });
    expect(model.kind).toBe(kind);
    expect(family.scope).toBe("local");
    const forecast = model.forecast(series, 14);
    expect(forecast).toHaveLength(14);
    expect(forecast.every(Number.isFinite)).toBe(true);
    const saved = roundTrip(model.save());
    expect(saved).toMatchObject({ kind, format_version: 1 });
    const loaded = family.load(saved);
    expect(Array.from(loaded.forecast(series, 14))).toEqual(Array.from(forecast));
    expect(loaded.describe()).toBe(model.describe());
    expect(loaded.history?.values).toEqual(series.values);
    // A longer history (a later cutoff, a served window): the states are re-run over it.
    const longer = input(dailySeries(207));
    expect(Array.from(loaded.forecast(longer, 3))).toEqual(Array.from(model.forecast(longer, 3)));
  });

  it("fits only the periods before holdoutStart", async () => {
    const held = await family.fit([series], { config, holdoutStart: 150 });
    expect(held.history?.values).toHaveLength(150);
    const direct = await family.fit([input(series.values.slice(0, 150))], { config });
    expect(Array.from(held.forecast(series, 5))).toEqual(Array.from(direct.forecast(series, 5)));
  });

  it("refuses a damaged saved state with a ModelFileError", async () => {
    const saved = roundTrip((await family.fit([series], { config })).save());
    const state = saved.state as Record<string, unknown>;
    expect(() => family.load({ ...saved, format_version: 99 })).toThrow(ModelFileError);
    expect(() => family.load({ ...saved, state: { ...state, history: { values: [1, "x"] } } })).toThrow(ModelFileError);
    const key = "fit" in state ? "fit" : "choice" in state ? "choice" : "members";
    expect(() => family.load({ ...saved, state: { ...state, [key]: { nonsense: true } } })).toThrow(ModelFileError);
  });

  it("says a too-short series is too short before any work (training's skip reason)", () => {
    const short = input(Float64Array.of(5));
    const error = (() => {
      try {
        checkFitInput(family, short, config, wholeSplit(1));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ModelInputError);
    expect((error as Error).message).toMatch(/training part has 1 periods of 1, but a .* model needs at least \d+|no member of the ensemble can fit/);
  });

  it.each([
    ["all zero", new Float64Array(60)],
    ["constant", new Float64Array(60).fill(42)],
    ["short (minimum history)", Float64Array.of(3, 5, 4, 6, 5, 7)],
    ["sparse", sparseSeries(120)],
  ])("%s: a finite forecast", async (_, values) => {
    checkFitInput(family, input(values), config, wholeSplit(values.length));
    const model = await family.fit([input(values)], { config });
    const forecast = model.forecast(input(values), 7);
    expect(forecast.every(Number.isFinite)).toBe(true);
    // A constant (or all-zero) history forecasts that constant; SBA's debiasing factor 1 − α/2 included.
    const expected = values[0] * (kind === "sba" ? 0.95 : 1);
    if (values.every((v) => v === values[0])) for (const f of forecast) expect(f).toBeCloseTo(expected, 6);
  });

  it("negative values: a skip reason for the demand methods, a finite forecast for the others", async () => {
    const values = Float64Array.from(dailySeries(120), (v, t) => v - 100 + (t % 5 === 0 ? -30 : 0));
    const demandOnly = kind === "croston" || kind === "sba" || kind === "tsb";
    if (demandOnly) {
      expect(() => checkFitInput(family, input(values), config, wholeSplit(120))).toThrow(
        /forecasts demand quantities, but the training part has -?\d.* at period 1[\s\S]*hint: use a kind that takes negative values/,
      );
      await expect(family.fit([input(values)], { config })).rejects.toThrow(ModelInputError);
      return;
    }
    checkFitInput(family, input(values), config, wholeSplit(120));
    const forecast = (await family.fit([input(values)], { config })).forecast(input(values), 7);
    expect(forecast.every(Number.isFinite)).toBe(true);
  });
});

describe("each kind forecasts what its library does", () => {
  const values = dailySeries(200);
  const forecastOf = async (kind: string, c = config) => Array.from((await familyOf(kind).fit([input(values)], { config: c })).forecast(input(values), 7));

  it("theta: AutoTheta with the data's season (model.theta.model picks one model)", async () => {
    expect(await forecastOf("theta")).toEqual(Array.from(forecastTheta(fitTheta(values, { seasonPeriod: 7 }), values, 7)));
    const stm = withModel({ theta: { model: "STM" } });
    expect(await forecastOf("theta", stm)).toEqual(Array.from(forecastTheta(fitTheta(values, { seasonPeriod: 7, model: "STM" }), values, 7)));
    expect((await familyOf("theta").fit([input(values)], { config: stm })).describe()).toMatch(/^Theta STM: α [\d.]+, θ 2, multiplicative season 7$/);
  });

  it("arima: auto.arima with the season, or non-seasonal orders only", async () => {
    expect(await forecastOf("arima")).toEqual(Array.from(forecastArima(fitArima(values, { period: 7 }), values, 7)));
    const flat = await familyOf("arima").fit([input(values)], { config: withModel({ arima: { seasonal: false } }) });
    expect(flat.describe()).toMatch(/^ARIMA\(\d,\d,\d\)( with (drift|non-zero mean))?$/);
  });

  it("croston, sba and tsb: the library's methods, model.intermittent.alpha for croston and sba", async () => {
    const sparse = sparseSeries(150);
    const of = async (kind: string, c = config) => (await familyOf(kind).fit([input(sparse)], { config: c })).forecast(input(sparse), 3)[0];
    expect(await of("croston")).toBe(forecastIntermittent(fitIntermittent(sparse, { method: "croston", alpha: 0.1 }), sparse, 1)[0]);
    expect(await of("sba", withModel({ intermittent: { alpha: 0.2 } }))).toBe(
      forecastIntermittent(fitIntermittent(sparse, { method: "sba", alpha: 0.2 }), sparse, 1)[0],
    );
    expect(await of("tsb")).toBe(forecastIntermittent(fitIntermittent(sparse, { method: "tsb" }), sparse, 1)[0]);
    expect((await familyOf("sba").fit([input(sparse)], { config })).describe()).toMatch(
      /^SBA \(α 0\.1; (intermittent|lumpy) demand, ADI [\d.]+, CV² [\d.]+\): [\d.]+ per period$/,
    );
  });
});

describe("the intermittent kind chooses by the Syntetos-Boylan classification", () => {
  const family = familyOf("intermittent");
  const describeFit = async (values: Float64Array, c = config) => (await family.fit([input(values)], { config: c })).describe();

  it("sporadic demand (ADI ≥ 1.32): SBA, or model.intermittent.sporadic_method", async () => {
    const sparse = sparseSeries(150);
    expect(await describeFit(sparse)).toMatch(/^(intermittent|lumpy) demand \(ADI [\d.]+, CV² [\d.]+; ADI ≥ 1\.32\) → SBA/);
    expect(await describeFit(sparse, withModel({ intermittent: { sporadic_method: "tsb" } }))).toMatch(/→ TSB/);
    const model = await family.fit([input(sparse)], { config });
    expect(model.forecast(input(sparse), 1)[0]).toBe(forecastIntermittent(fitIntermittent(sparse, { method: "sba" }), sparse, 1)[0]);
  });

  it("demand in most periods: ETS (or theta), which keeps the weekly pattern", async () => {
    const smooth = dailySeries(150);
    expect(await describeFit(smooth)).toMatch(/^smooth demand \(ADI 1, CV² [\d.]+; ADI < 1\.32\) → ETS\(/);
    expect(await describeFit(smooth, withModel({ intermittent: { smooth_method: "theta" } }))).toMatch(/→ Theta /);
    const forecast = (await family.fit([input(smooth)], { config })).forecast(input(smooth), 7);
    expect(Math.max(...forecast) - Math.min(...forecast)).toBeGreaterThan(30);
  });

  it("no demand forecasts 0; returns (negative values) go to the smooth method", async () => {
    const zeros = new Float64Array(40);
    expect(await describeFit(zeros)).toMatch(/^no demand in the history → SBA/);
    expect(Array.from((await family.fit([input(zeros)], { config })).forecast(input(zeros), 3))).toEqual([0, 0, 0]);
    const returns = Float64Array.from(sparseSeries(100), (v, t) => (t === 10 ? -4 : v));
    expect(await describeFit(returns)).toMatch(/^negative value -4 at period 11 \(returns\): not demand counts → ETS\(/);
  });

  it("saves the chosen model nested in its own state", async () => {
    const saved = roundTrip((await family.fit([input(sparseSeries(150))], { config })).save());
    expect(saved.state).toMatchObject({ choice: { method: "sba", classification: { intermittent: true } }, member: { kind: "sba", format_version: 1 } });
  });
});

describe("the mstl kind", () => {
  const family = familyOf("mstl");

  it("daily data: seasons 7 and 365 once the history holds more than two years, else 7", async () => {
    const r = noise(5);
    const long = Float64Array.from({ length: 800 }, (_, t) => 200 + 30 * Math.sin((2 * Math.PI * t) / 365.25) + 20 * weeklyShape[t % 7] + 5 * r());
    expect((await family.fit([input(long)], { config })).describe()).toMatch(/^MSTL seasons \[7, 365\] \+ ETS\(/);
    const short = await family.fit([input(long.slice(0, 700))], { config });
    expect(short.describe()).toMatch(/^MSTL seasons \[7\] \+ ETS\(.*left out: 365\.25, the series \(700 periods\) holds no more than two cycles of 365/);
    expect((await family.fit([input(long)], { config: withModel({ mstl: { trend: "ses" } }) })).describe()).toMatch(/^MSTL seasons \[7, 365\] \+ SES$/);
  });

  it("weekly data: the yearly season (52.18 weeks) puts the December peak in a forecast from late October", async () => {
    // Three years of weeks from 2010-02-05 with a peak in the week before Christmas and a smaller one at Thanksgiving.
    const start = Date.UTC(2010, 1, 5);
    const r = noise(9);
    const dates = Array.from({ length: 143 }, (_, t) => new Date(start + t * 7 * 86_400_000));
    const values = Float64Array.from(dates, (d) => {
      const month = d.getUTCMonth();
      const day = d.getUTCDate();
      const christmas = month === 11 && day >= 17 && day <= 24 ? 0.7 : 0;
      const thanksgiving = month === 10 && day >= 23 && day <= 29 ? 0.3 : 0;
      return 1000 * (1 + christmas + thanksgiving + 0.03 * r());
    });
    // Fitted up to 2012-10-26 (index 142): the next ten weeks reach Christmas.
    const history = input(values, "W", "2010-02-05");
    const model = await family.fit([history], { config });
    expect(model.describe()).toMatch(/^MSTL seasons \[52\] \+ /);
    const forecast = Array.from(model.forecast(history, 10));
    const peak = forecast.indexOf(Math.max(...forecast));
    const peakDate = new Date(start + (143 + peak) * 7 * 86_400_000).toISOString().slice(0, 10);
    expect(peakDate).toBe("2012-12-21");
    expect(forecast[peak] / forecast[0]).toBeGreaterThan(1.4);
  });
});

describe("the ensemble kind", () => {
  const family = familyOf("ensemble");
  const values = dailySeries(200);
  const memberForecast = async (kind: string) => (await familyOf(kind).fit([input(values)], { config })).forecast(input(values), 7);

  it("is the mean of ets, theta and arima by default, or their median", async () => {
    const members = await Promise.all(["ets", "theta", "arima"].map(memberForecast));
    const mean = (await family.fit([input(values)], { config })).forecast(input(values), 7);
    mean.forEach((v, j) => expect(v).toBeCloseTo((members[0][j] + members[1][j] + members[2][j]) / 3, 9));
    const median = (await family.fit([input(values)], { config: withModel({ ensemble: { combination: "median" } }) })).forecast(input(values), 7);
    median.forEach((v, j) => expect(v).toBe([members[0][j], members[1][j], members[2][j]].sort((a, b) => a - b)[1]));
  });

  it("inverse-error weights favour the member with the smaller error on the history's last windows", async () => {
    // A pure weekly pattern: the seasonal naive forecast is exact, the naive one is not.
    const pattern = Float64Array.from({ length: 100 }, (_, t) => 50 * weeklyShape[t % 7]);
    const c = withModel({ ensemble: { members: ["naive", "seasonal_naive"], combination: "inverse_error" } });
    const model = await family.fit([input(pattern)], { config: c });
    expect(model.fitStats).toMatchObject({ members: 2, weight_naive: 0, weight_seasonal_naive: 1 });
    expect(Array.from(model.forecast(input(pattern), 7))).toEqual(Array.from({ length: 7 }, (_, j) => pattern[93 + j]));
    // Weights by hand for two imperfect members: MAE over two windows of 7, w ∝ 1/MAE.
    const noisy = dailySeries(120, 3);
    const c2 = withModel({ ensemble: { members: ["naive", "moving_average"], combination: "inverse_error" } });
    const weighted = await family.fit([input(noisy)], { config: c2 });
    const maeAt = async (kind: string) => {
      let sum = 0;
      for (const cutoff of [106, 113]) {
        const f = (await familyOf(kind).fit([input(noisy.slice(0, cutoff))], { config: c2 })).forecast(input(noisy.slice(0, cutoff)), 7);
        for (let j = 0; j < 7; j++) sum += Math.abs(noisy[cutoff + j] - f[j]);
      }
      return sum / 14;
    };
    const [a, b] = [await maeAt("naive"), await maeAt("moving_average")];
    expect(weighted.fitStats!.weight_naive).toBeCloseTo(1 / a / (1 / a + 1 / b), 12);
    expect(roundTrip(weighted.save()).state).toMatchObject({
      combination: "inverse_error",
      weights: [weighted.fitStats!.weight_naive, weighted.fitStats!.weight_moving_average],
    });
  });

  it("leaves out a member that cannot fit the series, with the reason; none fitting is a skip", async () => {
    const returns = Float64Array.from(dailySeries(100), (v) => v - 110);
    const c = withModel({ ensemble: { members: ["croston", "theta"] } });
    const model = await family.fit([input(returns)], { config: c });
    expect(model.describe()).toMatch(
      /^ensemble, mean of Theta .*; left out: croston \(a croston model forecasts demand quantities, but the training part has -?[\d.]+ at period 1\)$/,
    );
    expect(Array.from(model.forecast(input(returns), 3))).toEqual(
      Array.from(await (await familyOf("theta").fit([input(returns)], { config: c })).forecast(input(returns), 3)),
    );
    expect(roundTrip(model.save()).state).toMatchObject({ members: [{ kind: "theta" }], dropped: [{ kind: "croston" }] });
    const none = withModel({ ensemble: { members: ["croston", "sba"] } });
    expect(() => checkFitInput(family, input(returns), none, wholeSplit(100))).toThrow(/no member of the ensemble can fit category "s": croston: .*; sba: /);
    await expect(family.fit([input(returns)], { config: none })).rejects.toThrow(ModelInputError);
  });

  it("refuses members it cannot combine before any work", () => {
    expect(() => family.checkConfig!(withModel({ ensemble: { members: ["ets", "ensemble"] } }))).toThrow(/cannot hold ensemble itself/);
    expect(() => family.checkConfig!(withModel({ ensemble: { members: ["cnn_lstm", "ets"] } }))).toThrow(/cnn_lstm cannot be a member/);
    expect(() => family.checkConfig!(withModel({ ensemble: { members: ["ets", "ets"] } }))).toThrow(/lists ets twice/);
    expect(() => family.checkConfig!(withModel({ ensemble: { members: [] } }))).toThrow(/model\.ensemble\.members is empty/);
    expect(configSchema.safeParse({ model: { ensemble: { members: ["prophet"] } } }).success).toBe(false);
    expect(configSchema.safeParse({ model: { ensemble: { combination: "max" } } }).success).toBe(false);
  });

  it("saves each member's saved model nested, and loads them back", async () => {
    const model = await family.fit([input(values)], { config: withModel({ ensemble: { members: ["ets", "mstl"], combination: "median" } }) });
    const saved = roundTrip(model.save());
    expect(saved.state).toMatchObject({
      combination: "median",
      members: [
        { kind: "ets", saved: { kind: "ets" }, files: [] },
        { kind: "mstl", saved: { kind: "mstl" }, files: [] },
      ],
      weights: null,
    });
    expect(Array.from(family.load(saved).forecast(input(values), 7))).toEqual(Array.from(model.forecast(input(values), 7)));
  });
});
