// Issue 14, item 7: no upper bound on the model's size. model.lstm_hidden=20000 reached 3 GB in
// 18 s (about 25 GB projected), 100000 failed with "Invalid typed array length", and
// model.interval_horizon=100000 on 220 validation periods ran for over a minute. Each is now
// refused before any work, with the numbers and the setting to change.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { estimateTrainingMemory, parameterCount } from "../../src/engine/memory.js";
import { parameterLayout, type ModelShape } from "../../src/engine/model.js";
import { checkModelMemory, trainingMemoryLimit } from "../../src/models/cnn_lstm/model-size.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";

const GB = 1024 ** 3;
const shape = (over: Partial<ModelShape> = {}): ModelShape => ({
  windowSize: 14,
  inputSize: 1,
  convChannels: 32,
  lstmHidden: 64,
  lstmLayers: 1,
  outputSize: 1,
  ...over,
});

describe("the memory estimate", () => {
  it("counts exactly the parameters the model allocates", () => {
    for (const s of [shape(), shape({ inputSize: 5, lstmLayers: 3, outputSize: 7 }), shape({ convChannels: 1, lstmHidden: 1 })]) {
      const allocated = parameterLayout(s).reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
      expect(parameterCount(s)).toBe(allocated);
    }
  });
  it("the reference shape needs a few MB; lstm_hidden=20000 tens of GB (the issue's projection was about 25 GB)", () => {
    expect(estimateTrainingMemory(shape(), 32).bytes).toBeLessThan(16 * 1024 ** 2);
    const huge = estimateTrainingMemory(shape({ lstmHidden: 20000 }), 32);
    expect(huge.parameters).toBeGreaterThan(1.6e9);
    expect(huge.bytes).toBeGreaterThan(25 * GB);
  });
  it("grows with the batch and with every dimension", () => {
    const base = estimateTrainingMemory(shape(), 32).bytes;
    expect(estimateTrainingMemory(shape(), 256).bytes).toBeGreaterThan(base);
    for (const over of [{ convChannels: 64 }, { lstmHidden: 128 }, { lstmLayers: 2 }, { windowSize: 28 }]) {
      expect(estimateTrainingMemory(shape(over), 32).bytes).toBeGreaterThan(base);
    }
  });
});

describe("checkModelMemory", () => {
  const machine = 24 * GB;
  it("refuses a shape beyond half the machine, saying the estimate, the limit and the settings", () => {
    const config = tinyConfig();
    expect(() => checkModelMemory(config, shape({ lstmHidden: 20000 }), machine)).toThrow(
      /model\.lstm_hidden 20000, .* make 1,60\d,\d{3},\d{3} parameters and need about \d+\.\d GB to train .* more than the limit of 12\.0 GB \(half of this machine's 24\.0 GB; train\.max_memory_mb sets another limit\)\. Lower model\.lstm_hidden, model\.conv_channels or model\.lstm_layers/,
    );
  });
  it("accepts the reference shape, and takes train.max_memory_mb as the limit when set", () => {
    const config = tinyConfig();
    expect(() => checkModelMemory(config, shape(), machine)).not.toThrow();
    const capped = { ...config, train: { ...config.train, max_memory_mb: 1 } };
    expect(trainingMemoryLimit(capped, machine).bytes).toBe(1024 ** 2);
    expect(() => checkModelMemory(capped, shape(), machine)).toThrow(/more than the limit of 1\.0 MB \(train\.max_memory_mb 1\)/);
  });
});

describe("trainCategory refuses before any work", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "salescast-model-size-"));
    await writeSalesCsv(join(root, "sales.csv"), { categories: ["A"], days: 120 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("a network that cannot fit (lstm_hidden=100000: was 'Invalid typed array length')", async () => {
    const config = tinyConfig({ root });
    const huge = { ...config, model: { ...config.model, lstm_hidden: 100_000 } };
    await expect(trainCategory(huge, "A")).rejects.toThrow(/the network is too large to train: .*model\.lstm_hidden 100000/);
    expect(await readdir(root)).toEqual(["sales.csv"]); // no run, no registry
  });

  it("an interval horizon longer than the validation part, with the numbers and the fix", async () => {
    const config = tinyConfig({ root });
    const long = { ...config, model: { ...config.model, interval_horizon: 100_000 } };
    const result = await trainCategory(long, "A");
    expect(result.status).toBe("failed");
    expect(result.reason).toBe(
      'model.interval_horizon is 100000, but the validation part of "A" has 24 periods: prediction intervals are calibrated on it, ' +
        "and steps beyond 24 would have no forecast error to calibrate from. Set model.interval_horizon to at most 24 (or raise data.val_fraction, now 0.2).",
    );
    expect(result.epochs).toBe(0);
    expect(await readdir(root)).toEqual(["sales.csv"]);
  });
});
