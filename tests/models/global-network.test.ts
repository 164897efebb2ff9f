// The global_network kind (src/models/global_network/): one CNN+LSTM trained on windows of every
// series at once. On synthetic series sharing one weekly pattern at very different levels it
// forecasts far better than each series' naive forecast; it fits a single series; a saved and
// reloaded model forecasts the same numbers; series too short are left out with the reason, and
// bad input is refused with a message saying what to change.
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { splitBounds } from "../../src/data/split.js";
import { l1Loss, pinballLoss } from "../../src/engine/loss.js";
import { ModelInputError } from "../../src/models/errors.js";
import { familyOf } from "../../src/models/families.js";
import { GLOBAL_NETWORK_WEIGHTS_FILE, globalNetworkFamily, globalNetworkMinHistory, type GlobalNetworkModel } from "../../src/models/global_network/family.js";
import { channelNames } from "../../src/models/global_network/layout.js";
import { windowScale, windowWriter, writeWindow } from "../../src/models/global_network/windows.js";
import { ModelFileError } from "../../src/models/model-file-error.js";
import type { SeriesInput } from "../../src/models/model.js";

const WEEK = [1.0, 1.6, 0.8, 1.2, 1.5, 0.5, 0.4];

/** The shared weekly pattern at `level`, with ±10% seeded noise. */
function weeklySeries(name: string, n: number, seed: number, level: number, start = "2024-01-01"): SeriesInput {
  let state = seed >>> 0 || 1;
  const noise = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return { name, start, frequency: "D", values: Float64Array.from({ length: n }, (_, i) => level * (WEEK[i % 7] + 0.2 * noise())) };
}

/** A small, quick global network. */
function gnConfig(changes: Partial<Config["model"]["global_network"]> = {}): Config {
  return configFromDefaults(
    {
      model: {
        architecture: "global_network",
        global_network: { window_size: 14, horizon: 7, conv_channels: 8, lstm_hidden: 16, max_epochs: 15, lr: 0.01, batch_size: 32, ...changes },
      },
      train: { mlflow_tracking_uri: "" },
    },
    { folder: "/nonexistent" },
  );
}

const LEVELS = [10, 50, 200, 1000, 3000, 20];
const N = 140;
const H = 7;
const full = LEVELS.map((level, i) => weeklySeries(`S${i}`, N, i + 1, level));
const cut = full.map((s) => ({ ...s, values: s.values.subarray(0, N - H) }));

/** Mean over series of the MAE of the last H periods, relative to the series' level. */
function relativeMae(forecast: (s: SeriesInput, i: number) => Float64Array): number {
  let sum = 0;
  cut.forEach((s, i) => {
    const f = forecast(s, i);
    for (let j = 0; j < H; j++) sum += Math.abs(f[j] - full[i].values[N - H + j]) / LEVELS[i];
  });
  return sum / (cut.length * H);
}

/** A saved model as a registry version holds it: the state through JSON, the files as bytes. */
function throughJson(saved: ReturnType<GlobalNetworkModel["save"]>) {
  return {
    ...JSON.parse(JSON.stringify({ ...saved, files: undefined })),
    files: { [GLOBAL_NETWORK_WEIGHTS_FILE]: Uint8Array.from(saved.files![GLOBAL_NETWORK_WEIGHTS_FILE]) },
  };
}

describe("the global_network kind", () => {
  const config = gnConfig();

  it("is a global kind in the families list, opt-in for the tournament, with settings from model.global_network", () => {
    expect(familyOf("global_network")).toBe(globalNetworkFamily);
    expect(globalNetworkFamily.scope).toBe("global");
    expect(globalNetworkFamily.defaultCandidate).toBe(false);
    // window 14 + one training window's 7 targets + 2 × 7 held out.
    expect(globalNetworkMinHistory(config)).toBe(35);
    expect(configFromDefaults({}, { folder: "/nonexistent" }).model.global_network).toMatchObject({
      loss: "l1",
      series_identity: "one_hot",
      horizon: 7,
      window_size: 28,
    });
  });

  it("learns the weekly pattern the series share: much better than each series' naive forecast", async () => {
    const model = (await globalNetworkFamily.fit(cut, { config })) as GlobalNetworkModel;
    const network = relativeMae((s) => model.forecast(s, H));
    const naive = relativeMae((s) => new Float64Array(H).fill(s.values[s.values.length - 1]));
    expect(network).toBeLessThan(naive / 3);
    expect(model.fitStats.training_series).toBe(6);
    expect(model.history).toBeUndefined();
    expect(model.describe()).toMatch(/^global CNN\+LSTM: window 14, .*identity of 6 series; trained on 6 series$/);
    // Every series through one call gives each series' own forecast.
    const many = model.forecastMany(cut, 10);
    cut.forEach((s, i) => expect(Array.from(many[i])).toEqual(Array.from(model.forecast(s, 10))));
  });

  it("reads the channels the layout names: scaled values, the year-before value where history has it, calendar, identity", () => {
    const layout = {
      frequency: "D" as const,
      window_size: 4,
      horizon: 2,
      yearly_harmonics: 1,
      calendar: { day_of_week: true, month: false, holidays: [] },
      series: ["A", "B"],
    };
    expect(channelNames(layout)).toEqual(["value", "lag_year", "lag_year_known", "dow_sin", "dow_cos", "year_sin_1", "year_cos_1", "id_A", "id_B"]);
    const values = Float64Array.from({ length: 370 }, (_, t) => t + 1);
    const w = windowWriter(layout);
    const out = new Float32Array(w.channels * 4);
    // Forecasting periods 366 and 367: the window reads 362..365, scaled by their mean 364.5.
    const scale = writeWindow(w, values, 0, 366, "B", out, 0);
    expect(scale).toBe(364.5);
    expect(Array.from(out.subarray(0, 4))).toEqual([363, 364, 365, 366].map((v) => Math.fround(v / 364.5)));
    // Position k describes period 362 + k + 2; a year (364 periods) before is 0..3 (values 1..4).
    expect(Array.from(out.subarray(4, 8))).toEqual([1, 2, 3, 4].map((v) => Math.fround(v / 364.5)));
    expect(Array.from(out.subarray(8, 12))).toEqual([1, 1, 1, 1]);
    expect(Array.from(out.subarray(w.channels * 4 - 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    // Too little history for the lag: zero, marked unknown; a series without a channel gets 1/N.
    writeWindow(w, values, 0, 10, "C", out, 0);
    expect(Array.from(out.subarray(4, 12))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(out.subarray(w.channels * 4 - 8))).toEqual(new Array(8).fill(0.5));
    // An all-zero window falls back to the history's scale, then to 1.
    expect(windowScale(Float64Array.from([4, 0, 0, 0]), 4, 2)).toBe(1);
    expect(windowScale(new Float64Array(5), 5, 2)).toBe(1);
  });

  it("works for a single series: fitted alone, it keeps that series as its history", async () => {
    const model = await globalNetworkFamily.fit([cut[3]], { config });
    expect(model.history?.name).toBe("S3");
    const forecast = model.forecast(cut[3], 14);
    expect(forecast).toHaveLength(14);
    expect(forecast.every(Number.isFinite)).toBe(true);
    expect(model.describe()).toMatch(/identity of 1 series; trained on 1 series$/);
  });

  it("forecasts the window's level, not zero, when it has learnt little (one short series, one epoch)", async () => {
    const one = weeklySeries("One", 60, 3, 1000);
    const model = await globalNetworkFamily.fit([one], { config: gnConfig({ max_epochs: 1, lr: 1e-4 }) });
    for (const v of model.forecast(one, 14)) expect(v).toBeGreaterThan(500);
  });

  it("forecasts a series it never saw (the identity channels at 1/N) and refuses another frequency or too short a history", async () => {
    const model = await globalNetworkFamily.fit(cut.slice(0, 3), { config: gnConfig({ max_epochs: 3 }) });
    const unseen = weeklySeries("New", 60, 99, 400);
    expect(model.forecast(unseen, 7).every(Number.isFinite)).toBe(true);
    expect(() => model.forecast({ ...unseen, frequency: "W" }, 7)).toThrow(/trained on daily series, but "New" is weekly/);
    expect(() => model.forecast({ ...unseen, values: unseen.values.subarray(0, 5) }, 7)).toThrow(/reads the last 14 periods, but "New" has 5/);
  });

  it("leaves the identity channels out with series_identity none, or more series than max_identity_series", async () => {
    const none = (await globalNetworkFamily.fit(cut, { config: gnConfig({ max_epochs: 1, series_identity: "none" }) })) as GlobalNetworkModel;
    const many = (await globalNetworkFamily.fit(cut, { config: gnConfig({ max_epochs: 1, max_identity_series: 5 }) })) as GlobalNetworkModel;
    const six = (await globalNetworkFamily.fit(cut, { config: gnConfig({ max_epochs: 1, max_identity_series: 6 }) })) as GlobalNetworkModel;
    expect(none.layout.series).toEqual([]);
    expect(many.layout.series).toEqual([]);
    expect(six.layout.series).toEqual(["S0", "S1", "S2", "S3", "S4", "S5"]);
    expect(channelNames(none.layout).some((c) => c.startsWith("id_"))).toBe(false);
    expect(none.describe()).toMatch(/no identity/);
  });

  it("narrowed to one series, saves the weights and that series' history; loads to identical forecasts", async () => {
    const fitted = await globalNetworkFamily.fit(cut, { config: gnConfig({ max_epochs: 3 }), name: "gn_row" });
    const model = fitted.forSeries!(cut[2]);
    const saved = model.save();
    expect(Object.keys(saved.files!)).toEqual([GLOBAL_NETWORK_WEIGHTS_FILE]);
    expect(saved.state).toMatchObject({ name: "gn_row", series: "S2", history: { name: "S2", values: Array.from(cut[2].values) } });
    const loaded = globalNetworkFamily.load(throughJson(saved));
    expect(loaded.name).toBe("gn_row");
    expect(loaded.describe()).toBe(model.describe());
    for (const s of [...cut, weeklySeries("New", 40, 7, 5)]) expect(Array.from(loaded.forecast(s, 10))).toEqual(Array.from(model.forecast(s, 10)));
  });

  it("says which file is missing or damaged", async () => {
    const saved = (await globalNetworkFamily.fit(cut, { config: gnConfig({ max_epochs: 1 }) })).save();
    expect(() => globalNetworkFamily.load({ ...saved, files: {} })).toThrow(ModelFileError);
    expect(() => globalNetworkFamily.load({ ...saved, files: {} })).toThrow(/global_network\.safetensors: file not found/);
    const state = saved.state as Record<string, unknown>;
    expect(() => globalNetworkFamily.load({ ...saved, state: { ...state, layout: { ...(state.layout as object), window_size: "x" } } })).toThrow(
      /input layout is damaged/,
    );
    // A layout that does not match the weights' shape.
    expect(() => globalNetworkFamily.load({ ...saved, state: { ...state, layout: { ...(state.layout as object), series: ["only"] } } })).toThrow(
      ModelFileError,
    );
    expect(() => globalNetworkFamily.load({ ...saved, format_version: 9 })).toThrow(/format_version 9/);
  });

  it("leaves out a series too short, with the reason; refuses when none is long enough", async () => {
    const short = weeklySeries("Short", 20, 5, 100);
    const model = (await globalNetworkFamily.fit([...cut.slice(0, 2), short], { config: gnConfig({ max_epochs: 2 }) })) as GlobalNetworkModel;
    expect(model.fitStats.training_series).toBe(2);
    expect(model.leftOut.Short).toMatch(/category "Short" has 20 periods, but the global_network model needs at least 35/);
    expect(model.describe()).toMatch(/1 left out: too short/);
    await expect(globalNetworkFamily.fit([short], { config })).rejects.toThrow(ModelInputError);
    await expect(globalNetworkFamily.fit([short], { config })).rejects.toThrow(/no series can be fitted .* needs at least 35[\s\S]*hint: use longer series/);
    // The check training runs before any work (a category skipped with this reason).
    expect(() => globalNetworkFamily.checkSeries!(short, config, splitBounds(20, 0.2, 0))).toThrow(
      /the training part has 16 periods of 20, .* needs at least 35/,
    );
    expect(() => globalNetworkFamily.checkSeries!(cut[0], config, splitBounds(cut[0].values.length, 0.2, 0))).not.toThrow();
  });

  it("refuses mixed frequencies, duplicate names, and non-finite values", async () => {
    const weekly = { ...cut[1], name: "W", frequency: "W" as const };
    await expect(globalNetworkFamily.fit([cut[0], weekly], { config })).rejects.toThrow(/one frequency: "S0" and "W" differ/);
    await expect(globalNetworkFamily.fit([cut[0], cut[0]], { config })).rejects.toThrow(/two series named "S0"/);
    const gap = Float64Array.from(cut[0].values);
    gap[50] = Number.NaN;
    await expect(globalNetworkFamily.fit([{ ...cut[0], values: gap }], { config })).rejects.toThrow(/value NaN at period 50; fill gaps/);
  });

  it("trains on the quantile loss when asked: a high quantile forecasts higher than a low one", async () => {
    const low = await globalNetworkFamily.fit(cut, { config: gnConfig({ loss: "quantile", quantile: 0.1 }) });
    const high = await globalNetworkFamily.fit(cut, { config: gnConfig({ loss: "quantile", quantile: 0.9 }) });
    const mean = (f: Float64Array) => f.reduce((a, b) => a + b, 0) / f.length;
    const above = cut.filter((s) => mean(high.forecast(s, H)) > mean(low.forecast(s, H))).length;
    expect(above).toBe(cut.length);
  });
});

describe("the L1 and pinball losses", () => {
  it("give the hand-computed value and gradient", () => {
    const pred = Float32Array.from([1, 2, 3, 4]);
    const target = Float32Array.from([2, 2, 1, 8]);
    const d = new Float32Array(4);
    expect(l1Loss(pred, target, d)).toBeCloseTo((1 + 0 + 2 + 4) / 4, 6);
    expect(Array.from(d)).toEqual([-0.25, 0, 0.25, -0.25]);
    // q = 0.9: under-forecasts cost 0.9 per unit, over-forecasts 0.1.
    expect(pinballLoss(0.9)(pred, target, d)).toBeCloseTo((0.9 * 1 + 0 + 0.1 * 2 + 0.9 * 4) / 4, 6);
    expect(Array.from(d)).toEqual([-0.9 / 4, 0, 0.1 / 4, -0.9 / 4].map(Math.fround));
    expect(() => pinballLoss(1)).toThrow(/strictly between 0 and 1/);
    expect(() => l1Loss(pred, target.subarray(0, 2))).toThrow(/pred has 4 values but target has 2/);
  });
});
