// Serving models trained with calendar features and/or a direct horizon: the inputs are rebuilt
// from the spec in model.json, last_date is required, outputs beyond H are block-recursive.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel, type ModelShape } from "../../src/engine/model.js";
import { CalendarEncoder, type FeatureSpec } from "../../src/data/features.js";
import { ForecastInputError, SalesForecaster } from "../../src/forecaster/index.js";
import { forecastNormalisedPaths } from "../../src/models/cnn_lstm/paths.js";
import { createWorkspace, NORMALIZATION, sampleWindow, TINY_SHAPE, WINDOW, type Workspace } from "../server/helpers.js";

const FEATURES: FeatureSpec = { day_of_week: true, month: true, holidays: ["2024-04-01"] };
const T = WINDOW;
let ws: Workspace;

async function saveModel(name: string, shape: ModelShape, features?: FeatureSpec): Promise<{ model: CnnLstmModel; forecaster: SalesForecaster }> {
  const dir = `${ws.root}/${name}`;
  const model = new CnnLstmModel(shape, 3);
  await saveCheckpoint(dir, model, {
    normalization: NORMALIZATION,
    data: { file: "sales.csv", sha256: "0".repeat(64), category: "Beauty", start: "2024-01-01", end: "2024-03-30", frequency: "D" },
    extra: features ? { features } : {},
  });
  return { model, forecaster: await SalesForecaster.fromDirectory(dir) };
}

beforeAll(async () => {
  ws = await createWorkspace();
});
afterAll(() => ws.cleanup());

const z = (window: number[]) => window.map((x) => (x - NORMALIZATION.mean) / NORMALIZATION.std);

describe("forecastNormalisedPaths", () => {
  it("uses the H outputs of a direct model, then slides the window by H (recursion beyond H)", () => {
    const calls: Float32Array[] = [];
    // A fake network: its O = 3 outputs are last value + 1, + 2, + 3.
    const predict = (x: Float32Array, batch: number) => {
      calls.push(x.slice());
      const out = new Float32Array(batch * 3);
      for (let b = 0; b < batch; b++) for (let j = 0; j < 3; j++) out[b * 3 + j] = x[b * 4 - 1 + 4] + j + 1;
      return out;
    };
    const layout = { windowSize: 4, inputSize: 1, outputSize: 3, stats: { mean: 0, std: 1 } };
    const path = forecastNormalisedPaths(predict, layout, Float32Array.from([1, 2, 3, 4]), undefined, 1, 7);
    expect(Array.from(path)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(calls.map((x) => Array.from(x))).toEqual([
      [1, 2, 3, 4],
      [4, 5, 6, 7],
      [7, 8, 9, 10],
    ]);
  });

  it("moves the feature channels on with the window", () => {
    const encoder = new CalendarEncoder({ day_of_week: true, month: false, holidays: [] }, "D");
    const layout = { windowSize: 3, inputSize: 3, outputSize: 2, stats: { mean: 0, std: 1 }, encoder };
    const seen: number[][] = [];
    const predict = (x: Float32Array) => {
      seen.push(Array.from(x.subarray(3, 6))); // dow_sin of the 3 positions
      return new Float32Array(2);
    };
    // Last value on Sunday 2024-01-07 (epoch day 19729): positions describe Sat, Sun, Mon;
    // after sliding by 2 (last value Tue 2024-01-09): Mon, Tue, Wed.
    forecastNormalisedPaths(predict, layout, new Float32Array(3), [19_729], 1, 4);
    const sin = (d: number) => Math.sin((2 * Math.PI * d) / 7);
    [
      [sin(5), sin(6), sin(0)],
      [sin(0), sin(1), sin(2)],
    ].forEach((expected, call) => expected.forEach((v, k) => expect(seen[call][k]).toBeCloseTo(v, 6)));
  });
});

describe("SalesForecaster with calendar features", () => {
  it("rebuilds the calendar channels from last_date: same answer as the model on a hand-built input", async () => {
    const { model, forecaster } = await saveModel("calendar", { ...TINY_SHAPE, inputSize: 6 }, FEATURES);
    expect(forecaster.needsLastDate).toBe(true);
    const window = sampleWindow();
    const encoder = new CalendarEncoder(FEATURES, "D");
    const x = new Float32Array(6 * T);
    x.set(z(window));
    // Last value on 2024-03-31: position k describes 2024-03-31 + (k - T + 2) days; the last one 2024-04-01 (a holiday).
    const lastDay = Date.UTC(2024, 2, 31) / 86_400_000;
    for (let k = 0; k < T; k++) encoder.encode(lastDay + k - T + 2, x, T + k, T);
    expect(x[5 * T + T - 1]).toBe(1);
    const expected = model.predict(x, 1)[0] * NORMALIZATION.std + NORMALIZATION.mean;
    expect(forecaster.forecast(window, { lastDate: "2024-03-31" })).toBeCloseTo(expected, 4);
    // Another date is another input: the answer changes.
    expect(forecaster.forecast(window, { lastDate: "2024-06-15" })).not.toBeCloseTo(expected, 4);
    // A batch of instances with one last_date for all gives the single-window answer.
    expect(forecaster.predictBatch([window, window], "2024-03-31")[1]).toBeCloseTo(expected, 4);
  });

  it("refuses a forecast without last_date, or with one that is not a date", async () => {
    const { forecaster } = await saveModel("calendar2", { ...TINY_SHAPE, inputSize: 6 }, FEATURES);
    const codeOf = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        expect(error).toBeInstanceOf(ForecastInputError);
        return [(error as ForecastInputError).code, (error as Error).message];
      }
      throw new Error("no error");
    };
    const [code, message] = codeOf(() => forecaster.forecast(sampleWindow(), { horizon: 2 }));
    expect(code).toBe("invalid_last_date");
    expect(message).toMatch(/reads calendar features \(dow_sin, dow_cos, month_sin, month_cos, holiday\), so it needs "last_date".*e\.g\. "2024-03-30"/);
    expect(codeOf(() => forecaster.forecast(sampleWindow(), { lastDate: "2024-02-30" }))[1]).toMatch(
      /last_date must be a date written YYYY-MM-DD.*"2024-02-30"/,
    );
    expect(codeOf(() => forecaster.forecastBatch([sampleWindow()], 1, "yesterday"))[0]).toBe("invalid_last_date");
    // The window is still checked first.
    expect(codeOf(() => forecaster.forecast(sampleWindow(3), { lastDate: "2024-03-31" }))[0]).toBe("invalid_series_length");
  });

  it("refuses a checkpoint whose channels disagree with its feature spec", async () => {
    await expect(saveModel("mismatch", { ...TINY_SHAPE, inputSize: 3 }, FEATURES)).rejects.toThrow(/reads 3 input channels, but its model\.json describes 6/);
    await expect(saveModel("nospec", { ...TINY_SHAPE, inputSize: 2 })).rejects.toThrow(/reads 2 input channels, but its model\.json describes 1/);
  });

  it("ignores last_date for a model without features", async () => {
    const { forecaster } = await saveModel("plain", TINY_SHAPE);
    const window = sampleWindow();
    expect(forecaster.needsLastDate).toBe(false);
    expect(forecaster.forecast(window, { lastDate: "not a date" })).toBe(forecaster.forecast(window));
  });
});

describe("SalesForecaster with a direct horizon", () => {
  it("answers steps 1..H from one network call and recurses beyond H", async () => {
    const { model, forecaster } = await saveModel("direct", { ...TINY_SHAPE, outputSize: 3 });
    expect(forecaster.directHorizon).toBe(3);
    const window = sampleWindow();
    const x = Float32Array.from(z(window));
    const first = Array.from(model.predict(x, 1)).map((v) => v * NORMALIZATION.std + NORMALIZATION.mean);
    const path = forecaster.forecast(window, { horizon: 5 });
    expect(path).toHaveLength(5);
    path.slice(0, 3).forEach((v, i) => expect(v).toBeCloseTo(first[i], 4));
    // Steps 4..5: the window slid by 3 with the three predictions appended (normalised).
    const next = new Float32Array(T);
    next.set(x.subarray(3));
    next.set(model.predict(x, 1).subarray(0, 3), T - 3);
    const second = Array.from(model.predict(next, 1)).map((v) => v * NORMALIZATION.std + NORMALIZATION.mean);
    expect(path[3]).toBeCloseTo(second[0], 4);
    expect(path[4]).toBeCloseTo(second[1], 4);
    // Horizon 1 is the first output.
    expect(forecaster.forecast(window)).toBeCloseTo(first[0], 4);
  });
});
