// The gbdt model kind (src/models/gbdt/family.ts): the global GBDT forecaster through the model
// interface. Fitted on several series it forecasts each with the library's own answer; saved and
// loaded (the trees in gbdt_fit.json, the served series' history in the state) it forecasts the
// same numbers; bad input never gives NaN.
import { describe, expect, it } from "vitest";
import { familyOf } from "../../src/models/families.js";
import { gbdtFamily, gbdtOptions, GBDT_FIT_FILE } from "../../src/models/gbdt/family.js";
import { fitGbdtForecaster, forecastGbdtForecaster } from "../../src/models/gbdt/index.js";
import { ModelFileError } from "../../src/models/model-file-error.js";
import type { SeriesInput } from "../../src/models/model.js";
import { syntheticSeries, tinyConfig } from "../training/helpers.js";
import { gbdtConfig } from "./gbdt-helpers.js";

const daily = (name: string, values: Float64Array): SeriesInput => ({ name, values, start: "2024-01-01", frequency: "D" });
const series = [daily("A", syntheticSeries(160, 1, 100)), daily("B", syntheticSeries(160, 2, 1000)), daily("C", syntheticSeries(120, 3, 10))];

describe("the gbdt kind", () => {
  const config = gbdtConfig();

  it("is in the families list as a global kind, with settings from model.gbdt", () => {
    expect(familyOf("gbdt")).toBe(gbdtFamily);
    expect(gbdtFamily.scope).toBe("global");
    expect(gbdtOptions(config)).toMatchObject({ horizon: 14, strategy: "recursive", loss: "l1", params: { num_iterations: 60, num_leaves: 7 }, seed: 42 });
    expect(gbdtOptions(gbdtConfig(tinyConfig(), { yearly_lag: false, lags: [1, 7] }))).toMatchObject({ yearlyLag: null, lags: [1, 7] });
  });

  it("fits once on every series and forecasts each as the library does", async () => {
    const model = await gbdtFamily.fit(series, { config });
    const fit = fitGbdtForecaster(series, gbdtOptions(config));
    for (const s of series) expect(Array.from(model.forecast(s, 7))).toEqual(Array.from(forecastGbdtForecaster(fit, s, 7)));
    // A model of A alone is another model: the fit above learnt from every series.
    const alone = fitGbdtForecaster([series[0]], gbdtOptions(config));
    expect(Array.from(model.forecast(series[0], 7))).not.toEqual(Array.from(forecastGbdtForecaster(alone, series[0], 7)));
    expect(model.describe()).toMatch(/^GBDT \(recursive, L1\): \d+ trees, lags 7\.\.28 \(22\), trained on 3 series$/);
    expect(model.history).toBeUndefined();
  });

  it("narrowed to one series, saves the trees beside model.json and that series' history; loads to identical forecasts", async () => {
    const model = (await gbdtFamily.fit(series, { config, name: "gbdt_row" })).forSeries!(series[1]);
    const saved = model.save();
    expect(Object.keys(saved.files!)).toEqual([GBDT_FIT_FILE]);
    const state = saved.state as { series: string; history: { name: string; values: number[] }; name: string };
    expect(state.series).toBe("B");
    expect(state.name).toBe("gbdt_row");
    expect(state.history.values).toEqual(Array.from(series[1].values));
    // Through JSON, as a registry version stores it.
    const reread = { ...JSON.parse(JSON.stringify({ ...saved, files: undefined })), files: { [GBDT_FIT_FILE]: Uint8Array.from(saved.files![GBDT_FIT_FILE]) } };
    const loaded = gbdtFamily.load(reread);
    expect(loaded.name).toBe("gbdt_row");
    expect(Array.from(loaded.history!.values)).toEqual(Array.from(series[1].values));
    for (const s of series) expect(Array.from(loaded.forecast(s, 10))).toEqual(Array.from(model.forecast(s, 10)));
  });

  it("says which file is missing or damaged", async () => {
    const saved = (await gbdtFamily.fit(series, { config })).save();
    expect(() => gbdtFamily.load({ ...saved, files: {} })).toThrow(ModelFileError);
    expect(() => gbdtFamily.load({ ...saved, files: {} })).toThrow(/gbdt_fit\.json: file not found/);
    const broken = new TextEncoder().encode('{"family":"gbdt",');
    expect(() => gbdtFamily.load({ ...saved, files: { [GBDT_FIT_FILE]: broken } })).toThrow(/gbdt_fit\.json: the saved GBDT is damaged/);
    const wrong = new TextEncoder().encode(
      JSON.stringify({ family: "gbdt", format_version: 1, frequency: "D", strategy: "recursive", horizon: 7, models: [] }),
    );
    expect(() => gbdtFamily.load({ ...saved, files: { [GBDT_FIT_FILE]: wrong } })).toThrow(ModelFileError);
  });

  it("works for a single series, holding out the periods it is told to", async () => {
    const model = await gbdtFamily.fit([series[0]], { config, holdoutStart: 130 });
    expect(model.history!.values.length).toBe(130);
    const forecast = model.forecast(series[0], 7);
    expect(forecast).toHaveLength(7);
    expect(forecast.every(Number.isFinite)).toBe(true);
  });

  it("never forecasts NaN: all-zero, constant, and a series shorter than its lags", async () => {
    const zero = daily("Zero", new Float64Array(90));
    const constant = daily("Flat", new Float64Array(90).fill(5));
    const short = daily("Short", Float64Array.from([3, 4, 5]));
    const model = await gbdtFamily.fit([zero, constant, short, series[0]], { config });
    for (const s of [zero, constant, short]) {
      const forecast = model.forecast(s, 14);
      expect(forecast.every(Number.isFinite), s.name).toBe(true);
    }
    // All zero: scaled by 1 (not 0), the forecast stays near zero (not the other series' levels).
    for (const v of model.forecast(zero, 3)) expect(Math.abs(v)).toBeLessThan(0.5);
    // Only all-zero and constant series: each is forecast at its own level.
    const flat = await gbdtFamily.fit([zero, constant], { config });
    for (const v of flat.forecast(constant, 3)) expect(v).toBeCloseTo(5, 1);
    for (const v of flat.forecast(zero, 3)) expect(Math.abs(v)).toBeLessThan(0.1);
    // Constant series only: every scaled label is 1, the model is that constant.
    const same = await gbdtFamily.fit([constant, daily("Flat2", new Float64Array(90).fill(40))], { config });
    expect(Array.from(same.forecast(constant, 3))).toEqual([5, 5, 5]);
  });

  it("refuses, before fitting, a category too short for its lags or negative values under a log-link loss", () => {
    const split = (n: number) => ({ trainEnd: Math.floor(n * 0.8), validationEnd: n, length: n });
    expect(() => gbdtFamily.checkSeries!(daily("Tiny", new Float64Array(6)), config, split(6))).toThrow(/needs at least 8/);
    expect(() => gbdtFamily.checkSeries!(series[0], config, split(160))).not.toThrow();
    const poisson = gbdtConfig(tinyConfig(), { loss: "poisson" });
    const returns = daily(
      "Returns",
      Float64Array.from({ length: 60 }, (_, t) => (t % 5 === 0 ? -2 : 3)),
    );
    expect(() => gbdtFamily.checkSeries!(returns, poisson, split(60))).toThrow(/negative value at period 0[\s\S]*model\.gbdt\.loss=l1/);
  });
});
