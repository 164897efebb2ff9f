import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { ForecastInputError, SalesForecaster } from "../../src/forecaster/index.js";
import type { IntervalCalibration } from "../../src/models/intervals.js";

const SHAPE = { windowSize: 7, inputSize: 1, convChannels: 4, lstmHidden: 8, lstmLayers: 1, outputSize: 1 };
const window = [100, 120, 90, 110, 140, 60, 50];

/** Step 1..3 calibrated for 80%; 95% only at step 1 (as if the validation part were short). */
const CALIBRATION: IntervalCalibration = {
  method: "split-conformal",
  levels: [80, 95],
  source: "validation",
  steps: [
    { step: 1, n: 20, halfWidth: { "80": 4, "95": 9 } },
    { step: 2, n: 19, halfWidth: { "80": 5, "95": null } },
    { step: 3, n: 18, halfWidth: { "80": 6, "95": null } },
  ],
};

let root: string;
let calibrated: SalesForecaster;
let plain: SalesForecaster;

async function save(dir: string, extra?: Record<string, unknown>): Promise<SalesForecaster> {
  await saveCheckpoint(dir, new CnnLstmModel(SHAPE, 3), {
    normalization: { mean: 100, std: 30 },
    data: { file: "x.csv", sha256: "0".repeat(64), category: "Beauty", start: "2024-01-01", end: "2024-03-01", frequency: "D" },
    ...(extra ? { extra } : {}),
  });
  return SalesForecaster.fromDirectory(dir);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-fc-intervals-"));
  calibrated = await save(join(root, "calibrated"), { intervals: CALIBRATION });
  plain = await save(join(root, "plain"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function inputError(run: () => unknown): ForecastInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ForecastInputError);
    return error as ForecastInputError;
  }
  throw new Error("expected a ForecastInputError");
}

describe("SalesForecaster intervals", () => {
  it("reads the calibration from model.json and lists the levels with their calibrated steps", () => {
    expect(calibrated.intervals).toEqual(CALIBRATION);
    expect(calibrated.intervalLevels()).toEqual([
      { level: 80, steps: 3 },
      { level: 95, steps: 1 },
    ]);
    expect(plain.intervals).toBeUndefined();
    expect(plain.intervalLevels()).toEqual([]);
  });

  it("answers forecast ± the half-width of each step, the forecast unchanged", () => {
    const { forecast, intervals } = calibrated.forecastWithIntervals(window, { horizon: 3, levels: [80] });
    expect(forecast).toEqual(calibrated.forecast(window, { horizon: 3 }));
    expect(intervals).toEqual([{ level: 80, lower: forecast.map((f, i) => f - [4, 5, 6][i]), upper: forecast.map((f, i) => f + [4, 5, 6][i]) }]);
    const one = calibrated.forecastWithIntervals(window, { levels: [95, 80] });
    expect(one.forecast).toHaveLength(1);
    expect(one.intervals.map((b) => [b.level, b.upper[0] - one.forecast[0]])).toEqual([
      [95, 9],
      [80, 4],
    ]);
  });

  it("refuses a level that was not calibrated, naming the available ones", () => {
    const error = inputError(() => calibrated.forecastWithIntervals(window, { levels: [90] }));
    expect(error.code).toBe("invalid_level");
    expect(error.message).toMatch(/level 90 is not calibrated/);
    expect(error.message).toMatch(/available levels: 80 \(up to 3 steps ahead\), 95 \(up to 1 step ahead\)/);
  });

  it("refuses a horizon beyond the calibrated steps of a level", () => {
    expect(inputError(() => calibrated.forecastWithIntervals(window, { horizon: 2, levels: [95] })).message).toMatch(
      /level 95 is calibrated up to 1 step ahead .* but horizon is 2/,
    );
    expect(inputError(() => calibrated.forecastWithIntervals(window, { horizon: 4, levels: [80] })).message).toMatch(/at most 3/);
  });

  it("says a model without calibration has no intervals and how to get them", () => {
    const error = inputError(() => plain.forecastWithIntervals(window, { levels: [80] }));
    expect(error.code).toBe("invalid_level");
    expect(error.message).toMatch(/no calibrated prediction intervals.*retrain/);
  });

  it("checks the window before the levels (the reference's length message wins)", () => {
    const error = inputError(() => calibrated.forecastWithIntervals([1, 2, 3], { levels: [90] }));
    expect(error.code).toBe("invalid_series_length");
  });
});
