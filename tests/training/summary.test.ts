import { describe, expect, it } from "vitest";
import { evaluationJson, resultJson, trainedResultJson } from "../../src/training/result-json.js";
import { formatEvaluationTable, formatSummaryTable } from "../../src/training/summary.js";
import type { CategoryEvaluation } from "../../src/training/evaluate.js";
import type { CategoryResult } from "../../src/training/result.js";

const ok: CategoryResult = {
  category: "Beauty",
  status: "ok",
  metrics: { rmse: 12.345, mae: 8.5, smape: 41.25, mase: 0.8 },
  baselines: {
    naive: { rmse: 20, mae: 15, smape: 60, mase: 1.2 },
    seasonal_naive: { rmse: 18, mae: 13, smape: 55, mase: 0.95 },
    moving_average: { rmse: 15, mae: 10, smape: 50, mase: Number.NaN },
  },
  epochs: 10,
  bestEpoch: 7,
  seconds: 3.21,
};
const skipped: CategoryResult = { category: "Tiny", status: "skipped", reason: "too short", epochs: 0, bestEpoch: 0, seconds: 0 };

describe("summary", () => {
  it("prints one row per category with network and baseline MASE side by side", () => {
    const text = formatSummaryTable([ok, skipped]);
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/category\s+status\s+RMSE\s+MAE\s+sMAPE%\s+MASE\s+naive MASE\s+s.naive MASE\s+mov.avg MASE\s+best\/epochs\s+seconds/);
    expect(lines[2]).toMatch(/^Beauty\s+ok\s+12\.35\s+8\.50\s+41\.3\s+0\.800\s+1\.200\s+0\.950\s+n\/a\s+7\/10\s+3\.2$/);
    expect(lines[3]).toMatch(/^Tiny\s+skipped\s+0\.0$/);
    expect(text).toContain("Tiny (skipped): too short");
    expect(text).toContain("beats the seasonal naive forecast (by MASE) on 1 of 1 categories");
  });

  it("JSON form turns NaN into null", () => {
    const json = [ok].map(trainedResultJson);
    expect(json[0].baselines!.moving_average.mase).toBeNull();
    expect(json[0].baselines!.naive.mase).toBe(1.2);
  });

  it("JSON form uses snake_case keys, the same as the API's job results, plus the local-only parts", () => {
    const trained: CategoryResult = {
      ...ok,
      heldBack: "too far off",
      version: 3,
      runId: "abc",
      checkpointDir: "/models/beauty/v3",
      testMetrics: ok.metrics,
      testBaselines: ok.baselines,
    };
    const json = trainedResultJson(trained);
    expect(json).toMatchObject({
      best_epoch: 7,
      run_id: "abc",
      held_back: "too far off",
      version: 3,
      checkpoint_dir: "/models/beauty/v3",
      test_metrics: { mase: 0.8 },
    });
    expect(json.test_baselines?.moving_average.mase).toBeNull();
    expect(Object.keys(json).filter((key) => /[A-Z]/.test(key))).toEqual([]);
    const { checkpoint_dir: _dir, test_baselines: _test, ...api } = json;
    expect(api).toEqual(resultJson(trained));
    // Absent parts: null in the API's form, left out of the local-only ones.
    expect(trainedResultJson(skipped)).toEqual({ ...resultJson(skipped), reason: "too short" });
    expect(resultJson(skipped)).toMatchObject({ held_back: null, version: null, run_id: null, metrics: null, baselines: null, test_metrics: null });
  });
});

const evaluation: CategoryEvaluation = {
  category: "Beauty",
  version: 3,
  model: "cnn_lstm",
  checkpointDir: "/models/beauty/v3",
  metrics: ok.metrics!,
  baselines: ok.baselines!,
  targets: 24,
  from: "2024-04-06",
  to: "2024-04-29",
  dataChanged: true,
};

describe("evaluation table", () => {
  it("lists the network and each baseline per part, and warns when the data changed", () => {
    const text = formatEvaluationTable(evaluation);
    const lines = text.split("\n");
    expect(lines[0]).toBe("Beauty, model version 3: 24 validation targets 2024-04-06 .. 2024-04-29");
    expect(lines[4]).toMatch(/^validation\s+cnn_lstm\s+12\.35\s+8\.50\s+41\.3\s+0\.800$/);
    expect(lines[6]).toMatch(/^validation\s+seasonal_naive\s+18\.00\s+13\.00\s+55\.0\s+0\.950$/);
    expect(text).not.toContain("test ");
    expect(text).toContain("data file differs");
  });

  it("JSON form (salescast evaluate --json) uses snake_case keys and null for NaN", () => {
    const json = evaluationJson(evaluation);
    expect(json).toMatchObject({ checkpoint_dir: "/models/beauty/v3", data_changed: true, targets: 24, metrics: { mase: 0.8 } });
    expect(json.baselines.moving_average.mase).toBeNull();
    expect(Object.keys(json).filter((key) => /[A-Z]/.test(key))).toEqual([]);
    expect(json).not.toHaveProperty("test_metrics");
  });
});
