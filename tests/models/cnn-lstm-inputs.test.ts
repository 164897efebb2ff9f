// Calendar channels and a direct horizon in the training data: window layout, targets, the
// model's input_size and the configuration checks.
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { CalendarEncoder } from "../../src/data/features.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { buildCategoryDataset } from "../../src/models/cnn_lstm/dataset.js";
import { checkTrainingConfig, modelShapeFor } from "../../src/models/cnn_lstm/network-config.js";
import { evaluateLoss, trainModel } from "../../src/models/cnn_lstm/trainer.js";
import { dailyDates, syntheticSeries, tinyConfig } from "../training/helpers.js";

const n = 60;
const series = syntheticSeries(n, 5);
const dates = dailyDates(n); // 2024-01-01 (Monday) ..
const T = 7;
const options = { windowSize: T, valFraction: 0.2, testFraction: 0 };
const calendar = new CalendarEncoder({ day_of_week: true, month: true, holidays: ["2024-01-10"] }, "D");

describe("windows with calendar channels", () => {
  const plain = buildCategoryDataset("A", series, dates, options);
  const withFeatures = buildCategoryDataset("A", series, dates, { ...options, encoder: calendar });

  it("keeps channel 0 and the targets of the plain dataset and adds 5 channels", () => {
    const F = 6;
    expect(withFeatures.train.inputSize).toBe(F);
    expect(withFeatures.train.count).toBe(plain.train.count);
    expect(withFeatures.train.inputs).toHaveLength(plain.train.count * F * T);
    for (let w = 0; w < plain.train.count; w++) {
      expect(Array.from(withFeatures.train.inputs.subarray(w * F * T, w * F * T + T))).toEqual(Array.from(plain.train.inputs.subarray(w * T, (w + 1) * T)));
    }
    expect(withFeatures.train.targets).toEqual(plain.train.targets);
    // Normalisation does not depend on the features.
    expect(withFeatures.stats).toEqual(plain.stats);
  });

  it("describes at position k the period after value k: the last position is the target's date", () => {
    const F = 6;
    const set = withFeatures.validation;
    for (let w = 0; w < set.count; w += 3) {
      const t = set.targetIndices[w];
      for (let k = 0; k < T; k++) {
        const expected = calendar.values(dates[t - T + k + 1]);
        const got = Array.from({ length: F - 1 }, (_, c) => set.inputs[w * F * T + (c + 1) * T + k]);
        got.forEach((value, c) => expect(value).toBeCloseTo(expected[c], 6));
      }
    }
    // The window whose target is the holiday 2024-01-10 (index 9) has holiday = 1 at its last position only.
    const train = withFeatures.train;
    const w = Array.from(train.targetIndices).indexOf(9);
    const holiday = Array.from({ length: T }, (_, k) => train.inputs[w * F * T + 5 * T + k]);
    expect(holiday).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });
});

describe("windows with a direct horizon", () => {
  it("gives each window H consecutive targets and only builds windows whose targets fit in the part", () => {
    const H = 3;
    const data = buildCategoryDataset("A", series, dates, { ...options, horizon: H });
    const { stats, split } = data;
    expect(data.validation.horizon).toBe(H);
    expect(data.train.count).toBe(split.trainEnd - T - H + 1);
    expect(data.validation.count).toBe(split.validationEnd - split.trainEnd - H + 1);
    for (let w = 0; w < data.validation.count; w++) {
      const t = data.validation.targetIndices[w];
      for (let j = 0; j < H; j++) expect(data.validation.targets[w * H + j]).toBeCloseTo((series[t + j] - stats.mean) / stats.std, 5);
      expect(t + H - 1).toBeLessThan(split.validationEnd);
    }
  });

  it("refuses a validation part shorter than the horizon, saying which setting to change", () => {
    expect(() => buildCategoryDataset("A", series.slice(0, 30), dates.slice(0, 30), { ...options, horizon: 8 })).toThrow(
      /validation part has 6 periods, fewer than model\.horizon 8.*a smaller model\.horizon \(now 8\)/,
    );
  });

  it("trains a model with H outputs and F inputs on these windows", async () => {
    const config = tinyConfig({ maxEpochs: 2 });
    const featured = {
      ...config,
      model: { ...config.model, horizon: 3, features: { day_of_week: true, month: true, holidays: ["2024-01-10"], covariates: [] } },
    };
    const shape = modelShapeFor(featured);
    expect(shape.inputSize).toBe(6);
    expect(shape.outputSize).toBe(3);
    const data = buildCategoryDataset("A", series, dates, { ...options, horizon: 3, encoder: calendar });
    const model = new CnnLstmModel(shape, 1);
    const outcome = await trainModel(model, data.train, data.validation, {
      maxEpochs: 2,
      patience: 2,
      batchSize: 8,
      lr: 0.01,
      weightDecay: 0,
      gradClip: 0,
      seed: 1,
    });
    expect(outcome.bestValLoss).toBe(evaluateLoss(model, data.validation, 8));
    // A plain model does not fit these windows: refused with the shapes named.
    await expect(
      trainModel(new CnnLstmModel(modelShapeFor(config), 1), data.train, data.validation, {
        maxEpochs: 1,
        patience: 1,
        batchSize: 8,
        lr: 0.01,
        weightDecay: 0,
        gradClip: 0,
        seed: 1,
      }),
    ).rejects.toThrow(/6 channels with 3 targets do not fit a model of window 7, input_size 1, 1 outputs/);
  });
});

describe("configuration of features and horizon", () => {
  it("defaults to the reference's one-input, one-output network", () => {
    const config = configSchema.parse({});
    expect(config.model.horizon).toBe(1);
    expect(config.model.features).toEqual({ day_of_week: false, month: false, holidays: [], covariates: [] });
    expect(modelShapeFor(config)).toMatchObject({ inputSize: 1, outputSize: 1 });
  });

  it("derives input_size from the features and refuses a different explicit value", () => {
    const base = tinyConfig();
    const features = { day_of_week: true, month: false, holidays: [], covariates: [] };
    const withFeatures = { ...base, model: { ...base.model, features } };
    expect(() => checkTrainingConfig(withFeatures)).not.toThrow(); // input_size 1 = derive
    expect(() => checkTrainingConfig({ ...withFeatures, model: { ...withFeatures.model, input_size: 3 } })).not.toThrow();
    expect(() => checkTrainingConfig({ ...withFeatures, model: { ...withFeatures.model, input_size: 4 } })).toThrow(
      /model\.input_size is 4, but the inputs are the sales value plus 2 feature channels \(dow_sin, dow_cos\) = 3.*set model\.input_size=3/,
    );
    expect(() => checkTrainingConfig({ ...base, model: { ...base.model, input_size: 2 } })).toThrow(/sales value alone = 1/);
  });

  it("refuses a horizon below 1 and holidays that are not dates", () => {
    expect(() => configSchema.parse({ model: { horizon: 0 } })).toThrow(/horizon/);
    const bad = configSchema.safeParse({ model: { features: { holidays: ["2024-12-25", "2024-13-01"] } } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/must be a date written YYYY-MM-DD/);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/"holidays",1/);
    expect(() => configSchema.parse({ model: { features: { weekday: true } } })).toThrow(/weekday/);
  });
});
