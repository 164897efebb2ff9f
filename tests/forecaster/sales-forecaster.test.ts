import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../src/engine/checkpoint.js";
import { activeBackend, getBackend } from "../../src/engine/index.js";
import { ForecastInputError, MAX_HORIZON, SalesForecaster } from "../../src/forecaster/index.js";
import type { ModelVersionInfo } from "../../src/registry/index.js";
import { commitModel, createWorkspace, NORMALIZATION, sampleWindow, WINDOW, type Workspace } from "../server/helpers.js";

let ws: Workspace;
let info: ModelVersionInfo;
let forecaster: SalesForecaster;

beforeAll(async () => {
  ws = await createWorkspace();
  info = await commitModel(ws.registry, "Beauty", { seed: 7 });
  forecaster = await SalesForecaster.fromRegistered(info);
});
afterAll(() => ws.cleanup());

/** The computation written out by hand: normalise, one engine call, denormalise. */
async function byHand(window: number[]): Promise<number> {
  const { model } = await loadCheckpoint(info.dir);
  const z = Float32Array.from(window, (x) => (x - NORMALIZATION.mean) / NORMALIZATION.std);
  return model.predict(z, 1)[0] * NORMALIZATION.std + NORMALIZATION.mean;
}

describe("SalesForecaster", () => {
  it("knows its category, version and window from the registry", () => {
    expect(forecaster.category).toBe("Beauty");
    expect(forecaster.version).toBe(info.version);
    expect(forecaster.windowSize).toBe(WINDOW);
  });

  it("normalises, predicts and denormalises one window", async () => {
    const window = sampleWindow();
    expect(forecaster.forecast(window)).toBeCloseTo(await byHand(window), 4);
  });

  it("refuses a window of the wrong length, naming both lengths", () => {
    for (const length of [0, WINDOW - 1, WINDOW + 1]) {
      let caught: unknown;
      try {
        forecaster.forecast(sampleWindow(length));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ForecastInputError);
      expect((caught as ForecastInputError).code).toBe("invalid_series_length");
      expect((caught as Error).message).toContain(`Series must contain exactly ${WINDOW} values, got ${length}`);
    }
  });

  it("refuses values that are not finite numbers, naming the position", () => {
    const window = sampleWindow();
    window[3] = Number.NaN;
    expect(() => forecaster.forecast(window)).toThrow(/series\[3\] must be a finite number/);
    window[3] = Number.POSITIVE_INFINITY;
    expect(() => forecaster.forecast(window)).toThrow(/series\[3\] must be a finite number/);
    window[3] = 1e300;
    expect(() => forecaster.forecast(window)).toThrow(/series\[3\] = 1e\+300 is too far/);
  });

  it("forecasts a horizon recursively, feeding each prediction back", async () => {
    const window = sampleWindow();
    const steps = forecaster.forecast(window, { horizon: 3 });
    expect(steps).toHaveLength(3);
    const rolling = [...window];
    for (let h = 0; h < 3; h++) {
      const next = await byHand(rolling);
      expect(steps[h]).toBeCloseTo(next, 3);
      rolling.shift();
      rolling.push(next);
    }
    expect(forecaster.forecast(window, { horizon: 1 })[0]).toBeCloseTo(forecaster.forecast(window), 6);
  });

  it("refuses a horizon outside 1..MAX_HORIZON", () => {
    for (const horizon of [0, -1, 1.5, MAX_HORIZON + 1]) {
      expect(() => forecaster.forecast(sampleWindow(), { horizon })).toThrow(/horizon must be an integer from 1 to 365/);
    }
  });

  it("answers a batch exactly like one window at a time", () => {
    const windows = [sampleWindow(WINDOW, 80), sampleWindow(WINDOW, 120), sampleWindow(WINDOW, 200)];
    const batch = forecaster.predictBatch(windows);
    windows.forEach((window, i) => expect(batch[i]).toBeCloseTo(forecaster.forecast(window), 4));
    const multi = forecaster.forecastBatch(windows, 4);
    windows.forEach((window, i) => {
      const single = forecaster.forecast(window, { horizon: 4 });
      single.forEach((value, h) => expect(multi[i][h]).toBeCloseTo(value, 3));
    });
    expect(forecaster.predictBatch([])).toEqual([]);
  });

  it("names the instance in batch errors", () => {
    expect(() => forecaster.predictBatch([sampleWindow(), sampleWindow(5)])).toThrow(/instances\[1\]: Series must contain exactly 14 values, got 5/);
  });

  it("computes on the engine's backend (native when built), or the one it is given, with the same answers", async () => {
    expect(forecaster.backend).toBe(activeBackend().name);
    const reference = await SalesForecaster.fromRegistered(info, { backend: getBackend("reference") });
    expect(reference.backend).toBe("reference");
    const windows = [sampleWindow(WINDOW, 60), sampleWindow(WINDOW, 120), sampleWindow(WINDOW, 400)];
    const served = forecaster.forecastBatch(windows, 5);
    const slow = reference.forecastBatch(windows, 5);
    served.forEach((steps, i) => steps.forEach((value, h) => expect(Math.abs(value - slow[i][h])).toBeLessThan(1e-3)));
  });

  it("loads a checkpoint folder outside the registry", async () => {
    const direct = await SalesForecaster.fromDirectory(info.dir);
    expect(direct.version).toBeUndefined();
    expect(direct.category).toBe("Beauty");
    expect(direct.forecast(sampleWindow())).toBeCloseTo(forecaster.forecast(sampleWindow()), 6);
  });
});
