import { describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { movingAverageFamily, naiveFamily, seasonalNaiveFamily } from "../../src/models/baselines/family.js";
import { EVALUATION_BASELINES } from "../../src/models/families.js";
import { oneStepAhead } from "../../src/models/forecast-at.js";
import type { FittedModel, Frequency, ModelFamily, SeriesInput } from "../../src/models/model.js";
import { tinyConfig } from "../training/helpers.js";

const series = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const base = tinyConfig();
/** Moving averages of 4 periods. */
const config: Config = { ...base, data: { ...base.data, window_size: 4 } };
const input = (values: Float64Array, frequency: Frequency = "D"): SeriesInput => ({ name: "A", values, start: "2024-01-01", frequency });
/** Fitted on the first 8 periods (the training part), as training fits the baselines. */
const fitted = (family: ModelFamily, frequency: Frequency = "D"): Promise<FittedModel> => family.fit([input(series, frequency)], { config, holdoutStart: 8 });

describe("baselines", () => {
  it("naive repeats the previous value", async () => {
    expect(Array.from(oneStepAhead(await fitted(naiveFamily), input(series), [8, 9, 11]))).toEqual([8, 9, 11]);
  });

  it("seasonal naive repeats the value one season earlier", async () => {
    expect(Array.from(oneStepAhead(await fitted(seasonalNaiveFamily), input(series), [8, 11]))).toEqual([2, 5]);
  });

  it("seasonal naive falls back to the previous value with less than a season of history", async () => {
    // Weekly data: a season of 52 periods.
    expect(Array.from(oneStepAhead(await fitted(seasonalNaiveFamily, "W"), input(series, "W"), [8, 10]))).toEqual([8, 10]);
  });

  it("moving average takes the mean of the window before the target", async () => {
    // target 8: mean of 5,6,7,8 = 6.5; target 11: mean of 8,9,10,11 = 9.5
    expect(Array.from(oneStepAhead(await fitted(movingAverageFamily), input(series), [8, 11]))).toEqual([6.5, 9.5]);
  });

  it("never reads the target or later values", async () => {
    const changed = series.slice();
    changed[8] = 1e9;
    changed[9] = -1e9;
    for (const family of EVALUATION_BASELINES) {
      const model = await fitted(family);
      expect(Array.from(oneStepAhead(model, input(changed), [8]))).toEqual(Array.from(oneStepAhead(model, input(series), [8])));
    }
  });

  it("share one interface and names used in metric keys", async () => {
    const models = await Promise.all(EVALUATION_BASELINES.map((family) => fitted(family)));
    expect(models.map((model) => model.name)).toEqual(["naive", "seasonal_naive", "moving_average"]);
    expect(models.map((model) => model.kind)).toEqual(["naive", "seasonal_naive", "moving_average"]);
  });

  it("keep only the periods before the held-out part as their history", async () => {
    const model = await fitted(naiveFamily);
    expect(Array.from(model.history!.values)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The stored model forecasts from that history: the training part's last value.
    expect(Array.from(model.forecast(model.history!, 2))).toEqual([8, 8]);
  });

  it("refuse targets without enough history or beyond the series", async () => {
    const model = await fitted(movingAverageFamily);
    expect(() => oneStepAhead(model, input(series), [3])).toThrow(/needs at least 4 periods of history, got 3/);
    expect(() => oneStepAhead(model, input(series), [13])).toThrow(/out of range/);
  });

  it("save and load back to the same forecasts, and refuse a damaged state", async () => {
    for (const family of EVALUATION_BASELINES) {
      for (const frequency of ["D", "W"] as const) {
        const model = await fitted(family, frequency);
        const saved = JSON.parse(JSON.stringify(model.save()));
        const loaded = family.load(saved);
        expect(loaded.kind).toBe(family.kind);
        expect(Array.from(loaded.history!.values)).toEqual(Array.from(model.history!.values));
        expect(Array.from(loaded.forecast(input(series, frequency), 9))).toEqual(Array.from(model.forecast(input(series, frequency), 9)));
      }
    }
    const saved = (await fitted(movingAverageFamily)).save();
    expect(() => movingAverageFamily.load({ ...saved, state: { ...(saved.state as object), window: 0 } })).toThrow(/window is 0, not a usable number/);
    const seasonal = (await fitted(seasonalNaiveFamily)).save();
    expect(() => seasonalNaiveFamily.load({ ...seasonal, state: { ...(seasonal.state as object), season: 1.5 } })).toThrow(/season is 1.5/);
    expect(() => naiveFamily.load({ ...saved, kind: "naive", format_version: 2 })).toThrow(/format_version 2/);
    expect(() => naiveFamily.load({ kind: "naive", format_version: 1, state: { history: { values: [] } } })).toThrow(/no usable history/);
  });
});
