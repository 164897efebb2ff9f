// Issue 14, item 4: a model with MASE 41,099 was registered and served. The rule that holds such
// a model back (registered, not served) is in src/training/promotion.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalRegistry } from "../../src/registry/index.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import type { ForecastMetrics } from "../../src/models/metrics.js";
import { holdBackReason } from "../../src/training/promotion.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "./helpers.js";

const m = (mae: number, rmse = mae * 1.2, mase = mae / 10): ForecastMetrics => ({ mae, rmse, smape: 10, mase });
const baselines = { naive: m(12), seasonal_naive: m(9), moving_average: m(10) };
const actual = Float64Array.from({ length: 30 }, (_, i) => 100 + (i % 7));

describe("holdBackReason", () => {
  it("serves an honest model, also a weak one up to the ratio", () => {
    expect(holdBackReason({ metrics: m(8), baselines, actual }, 3)).toBeUndefined();
    expect(holdBackReason({ metrics: m(35), baselines, actual }, 3)).toBeUndefined(); // 2.9 x the worst (naive, 12)
  });
  it("holds back a model more than train.max_baseline_ratio times worse than the worst baseline", () => {
    expect(holdBackReason({ metrics: m(37), baselines, actual }, 3)).toBe(
      "its validation MAE 37.00 is 3.08 times that of the worst baseline (naive, 12.00), more than train.max_baseline_ratio (3)",
    );
    expect(holdBackReason({ metrics: m(37), baselines, actual }, 4)).toBeUndefined();
  });
  it("holds back the model of issue 14 (MASE 16,372: 4.7 times the worst baseline's MAE) with the default ratio", () => {
    // The figures of that model, trained on a 200-day series behind 738,519 filled days.
    const issue = { naive: m(0.02318, 1, 2740), seasonal_naive: m(0.00794, 1, 938.4), moving_average: m(0.02925, 1, 3457) };
    const mostlyZeros = Float64Array.from({ length: 147_744 }, (_, i) => (i < 147_544 ? 0 : 110));
    expect(holdBackReason({ metrics: m(0.1385, 1, 16_372), baselines: issue, actual: mostlyZeros }, 3)).toMatch(
      /4\.74 times that of the worst baseline \(moving_average/,
    );
  });
  it("holds back non-finite errors whatever the ratio, even with the comparison off", () => {
    expect(holdBackReason({ metrics: m(Number.NaN), baselines, actual }, 3)).toMatch(/not finite numbers \(RMSE NaN, MAE NaN\)/);
    expect(holdBackReason({ metrics: { ...m(5), rmse: Number.POSITIVE_INFINITY }, baselines, actual }, 0)).toMatch(/RMSE Infinity/);
    expect(holdBackReason({ metrics: m(1e6), baselines, actual }, 0)).toBeUndefined();
  });
  it("does not call a tiny error absurd where the baselines are exact (a constant series)", () => {
    const exact = { naive: m(0), seasonal_naive: m(0), moving_average: m(0) };
    const flat = new Float64Array(30).fill(100);
    expect(holdBackReason({ metrics: m(0.5), baselines: exact, actual: flat }, 3)).toBeUndefined(); // 0.5% of the level
    expect(holdBackReason({ metrics: m(5), baselines: exact, actual: flat }, 3)).toMatch(/infinitely many times that of the worst baseline/);
  });
});

describe("training holds back an absurd model (train.max_baseline_ratio)", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "salescast-promotion-"));
    await writeSalesCsv(join(root, "sales.csv"), { categories: ["A"], days: 120 });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("registers it, tags its run, says why, and keeps serving the version before", async () => {
    const config = tinyConfig({ root, maxEpochs: 2 });
    const first = await trainCategory(config, "A");
    expect(first).toMatchObject({ status: "ok", version: 1 });
    expect(first.heldBack).toBeUndefined();

    // A ratio no network can meet stands in for a broken one: the path from the rule to the registry.
    const strict = { ...config, train: { ...config.train, max_baseline_ratio: 1e-6 } };
    const messages: string[] = [];
    const second = await trainCategory(strict, "A", { progress: { report: (event) => void (event.kind === "message" && messages.push(event.text)) } });
    expect(second.status).toBe("ok");
    expect(second.version).toBe(2);
    expect(second.heldBack).toMatch(/^its validation MAE .* times that of the worst baseline \(.*\), more than train\.max_baseline_ratio \(0\.000001\)$/);
    expect(second.reason).toBe(
      `registered as version 2 but not served: ${second.heldBack}; the version served before stays served (salescast promote serves it anyway)`,
    );
    expect(messages).toContain(`registered as version 2 but not served: ${second.heldBack}`);

    const registry = new LocalRegistry(join(root, "checkpoints"));
    expect((await registry.resolve("A"))?.version).toBe(1);
    const run = await new LocalTrackingStore(join(root, "mlruns")).getRun(second.runId!);
    expect(run.status).toBe("FINISHED");
    expect(run.tags.held_back).toBe(second.heldBack);
    expect(run.tags.registry_version).toBe("2");
  }, 60_000);
});
