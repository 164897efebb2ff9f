// Bad input to the GBDT is refused with a message saying what was wrong and how to fix it.
import { describe, expect, it } from "vitest";
import { GbdtDataError, GbdtParamError, predictGbdt, trainGbdt, type GbdtDataset } from "../../src/engine/gbdt/index.js";
import { syntheticDataset } from "./gbdt-data.js";

const good = (): GbdtDataset => syntheticDataset({ rows: 200, cols: 3, seed: 1 });
const counts = (): GbdtDataset => syntheticDataset({ rows: 200, cols: 3, seed: 1, kind: "count" });
const train =
  (data: GbdtDataset, params: Record<string, unknown> = {}, valid?: GbdtDataset) =>
  () =>
    trainGbdt(data, { num_iterations: 2, ...params }, { learner: "reference", valid });

describe("training data", () => {
  it("refuses NaN and infinite labels, naming the row", () => {
    const data = good();
    data.label[17] = NaN;
    expect(train(data)).toThrow(GbdtDataError);
    expect(train(data)).toThrow(/label of row 17 is NaN; labels must be finite/);
    data.label[17] = Infinity;
    expect(train(data)).toThrow(/label of row 17 is Infinity/);
  });

  it("refuses empty data", () => {
    expect(train({ features: new Float32Array(0), cols: 3, label: new Float32Array(0) })).toThrow(/there are no rows/);
  });

  it("refuses features and labels of different lengths", () => {
    const data = good();
    expect(train({ ...data, label: data.label.subarray(0, 150) })).toThrow(
      /features has 600 values but label has 150 rows and cols is 3 \(expected 450 = rows × cols\)/,
    );
    expect(train({ ...data, cols: 0 })).toThrow(/cols must be a positive integer/);
    expect(train({ ...data, weight: new Float32Array(10) })).toThrow(/weight must be a Float32Array with one value per row \(200\), got 10/);
    expect(train({ ...data, features: Array.from(data.features) as unknown as Float32Array })).toThrow(/features must be a Float32Array/);
  });

  it("refuses infinite feature values (NaN is a missing value, Infinity is a mistake)", () => {
    const data = good();
    data.features[3 * 5 + 2] = -Infinity;
    expect(train(data)).toThrow(/feature 2 of row 5 is -Infinity/);
  });

  it("refuses negative or all-zero labels for poisson and tweedie", () => {
    for (const objective of ["poisson", "tweedie"]) {
      const data = counts();
      data.label[4] = -1;
      expect(train(data, { objective })).toThrow(new RegExp(`label of row 4 is -1, but the ${objective} objective needs labels >= 0`));
      expect(train({ ...data, label: new Float32Array(200) }, { objective })).toThrow(/every label is 0/);
    }
    const weighted = counts();
    weighted.weight = Float32Array.from(weighted.label, (y) => (y > 0 ? 0 : 1));
    expect(train(weighted, { objective: "poisson" })).toThrow(/the weighted mean label is 0/);
    const data = good();
    expect(train(data, { objective: "regression" })).not.toThrow(); // negative labels are fine for L2
  });

  it("refuses negative or all-zero weights", () => {
    const data = good();
    expect(train({ ...data, weight: new Float32Array(200).fill(-1) })).toThrow(/weight of row 0 is -1; weights must be finite and >= 0/);
    expect(train({ ...data, weight: new Float32Array(200) })).toThrow(/the weights sum to 0/);
  });

  it("refuses a validation set with other features, and early stopping without one", () => {
    const valid = syntheticDataset({ rows: 50, cols: 4, seed: 2 });
    expect(train(good(), {}, valid)).toThrow(/validation data has 4 features per row, the training data 3/);
    expect(train(good(), { early_stopping_round: 5 })).toThrow(/early_stopping_round is 5 but no validation set was given/);
    const badValid = syntheticDataset({ rows: 50, cols: 3, seed: 2 });
    badValid.label[3] = NaN;
    expect(train(good(), {}, badValid)).toThrow(/validation data: label of row 3 is NaN/);
  });

  it("trains a constant model when no feature can be split (and says so)", () => {
    const data = good();
    data.features.fill(1);
    const model = trainGbdt(data, {}, { learner: "reference" });
    expect(model.trees).toEqual([]);
    expect(model.training.unused_features).toEqual([0, 1, 2]);
    expect(model.training.stopped_by).toBe("no_split");
    let mean = 0;
    for (const y of data.label) mean += y / 200;
    expect(predictGbdt(model, new Float32Array(3), 1)[0]).toBeCloseTo(mean, 6);
  });
});

describe("parameters", () => {
  it("refuses unknown names, listing the known ones", () => {
    expect(train(good(), { n_estimators: 10 })).toThrow(GbdtParamError);
    expect(train(good(), { n_estimators: 10 })).toThrow(
      /Unknown GBDT parameter "n_estimators". Known parameters \(LightGBM's names\): objective, num_iterations/,
    );
  });

  it("refuses values out of range, saying the range", () => {
    expect(train(good(), { num_leaves: 1 })).toThrow(/num_leaves must be an integer in \[2, 131072\], got 1/);
    expect(train(good(), { learning_rate: 0 })).toThrow(/learning_rate must be a number in \(0, /);
    expect(train(good(), { max_bin: 300 })).toThrow(/max_bin must be an integer in \[2, 255\], got 300/);
    expect(train(good(), { bagging_fraction: 1.5 })).toThrow(/bagging_fraction must be a number in \(0, 1\]/);
    expect(train(good(), { objective: "huber" })).toThrow(/objective must be one of regression, .*regression_l1/);
    expect(train(good(), { tweedie_variance_power: 2 })).toThrow(/tweedie_variance_power must be a number in \[1, 2\), got 2/);
    expect(train(good(), { feature_pre_filter: "yes" })).toThrow(/feature_pre_filter must be true or false/);
  });

  it("accepts LightGBM's other names of the objectives", () => {
    expect(trainGbdt(good(), { objective: "mae", num_iterations: 1 }, { learner: "reference" }).params.objective).toBe("regression_l1");
    expect(trainGbdt(good(), { objective: "l2", num_iterations: 1 }, { learner: "reference" }).params.objective).toBe("regression");
  });
});

describe("prediction input", () => {
  const model = trainGbdt(good(), { num_iterations: 3 }, { learner: "reference" });

  it("refuses a feature matrix of the wrong size", () => {
    expect(() => predictGbdt(model, new Float32Array(10), 3)).toThrow(
      /features has 10 values for 3 rows, but the model takes 3 features per row \(expected 9\)/,
    );
    expect(() => predictGbdt(model, new Float32Array(9), -1)).toThrow(/rows must be a non-negative integer/);
  });

  it("predicts nothing for no rows, and a finite value for all-missing rows", () => {
    expect(predictGbdt(model, new Float32Array(0), 0).length).toBe(0);
    expect(Number.isFinite(predictGbdt(model, new Float32Array(3).fill(NaN), 1)[0])).toBe(true);
  });
});
