// One round of scheduled retraining (issue 18), on a real local registry, real data files and
// (for the promotion) real training: unchanged data trains nothing; changed data trains a new
// version that replaces the champion only when it forecasts the last periods better; a worse
// one stays "challenger" with the champion still served; the outcome is tagged on the run.
import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { SalesForecaster } from "../../src/forecaster/sales-forecaster.js";
import { saveCheckpoint } from "../../src/engine/checkpoint.js";
import { CnnLstmModel } from "../../src/engine/model.js";
import { CHALLENGER_ALIAS, retrainRound, type RetrainRoundOptions } from "../../src/server/retrain/retrain-round.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { trainAll } from "../../src/training/train-all.js";
import type { CategoryResult } from "../../src/training/result.js";
import { commitModel, createWorkspace, dailyDates, syntheticValues, TINY_SHAPE, type Workspace } from "./helpers.js";

/** A model whose forecasts are far off (its normalisation puts every forecast near 100,000). */
const TERRIBLE = { mean: 100_000, std: 1 };

let ws: Workspace;
let store: LocalTrackingStore;
beforeAll(async () => {
  ws = await createWorkspace({ categories: ["Beauty", "Clothing"], days: 90 });
  store = new LocalTrackingStore(ws.config.tracking.uri);
});
afterAll(() => ws?.cleanup());

function round(train: RetrainRoundOptions["train"]): Promise<Awaited<ReturnType<typeof retrainRound>>> {
  return retrainRound({
    registry: ws.registry,
    loadData: () => loadSales(ws.config.data),
    train,
    load: (info) => SalesForecaster.fromRegistered(info),
    statePath: join(ws.registryRoot, ".retrain-state.json"),
    recentPeriods: 14,
    store,
  });
}

const noTraining: RetrainRoundOptions["train"] = async (categories) => {
  throw new Error(`nothing should be trained, asked for ${categories.join(", ")}`);
};

/** Ten more days of Beauty in the data file (Clothing unchanged). */
async function moreBeautyDays(from: number): Promise<void> {
  const dates = dailyDates(from + 10).slice(from);
  const values = syntheticValues(from + 10, 1, 100).slice(from);
  await appendFile(ws.csvPath, dates.map((d, i) => `${d},Beauty,${values[i]}\n`).join(""));
}

describe("retrainRound", () => {
  it("trains nothing while the data is what the served models were trained on", async () => {
    await commitModel(ws.registry, "Beauty", { normalization: TERRIBLE });
    await commitModel(ws.registry, "Clothing");
    const outcomes = await round(noTraining);
    expect(outcomes.map((o) => [o.category, o.status])).toEqual([
      ["Beauty", "unchanged"],
      ["Clothing", "unchanged"],
    ]);
  });

  it("retrains only the category whose data changed, and promotes the new version when it beats the champion", async () => {
    await moreBeautyDays(90);
    const trained: string[] = [];
    const outcomes = await round(async (categories, data: SalesData) => {
      trained.push(...categories);
      return trainAll(ws.config, categories, { data, threads: 0, store });
    });
    expect(trained).toEqual(["Beauty"]);
    const beauty = outcomes.find((o) => o.category === "Beauty")!;
    expect(beauty.status, beauty.reason).toBe("promoted");
    expect(beauty.champion_version).toBe(1);
    expect(beauty.new_version).toBe(2);
    expect(beauty.new_mae!).toBeLessThan(beauty.champion_mae!);
    expect(outcomes.find((o) => o.category === "Clothing")?.status).toBe("unchanged");
    const served = await ws.registry.resolve("Beauty");
    expect(served?.version).toBe(2);
    expect(served?.aliases).toContain("champion");
    const run = await store.getRun(beauty.run_id!);
    expect(run.tags).toMatchObject({ retrain_outcome: "promoted", retrain_champion_version: "1" });
    expect(Number(run.tags.retrain_new_mae)).toBeCloseTo(beauty.new_mae!, 6);

    // The same data again: nothing to do.
    expect((await round(noTraining)).every((o) => o.status === "unchanged")).toBe(true);
  });

  it("keeps the champion served and marks a worse new version challenger", async () => {
    await moreBeautyDays(100);
    const worse = async (categories: string[]): Promise<CategoryResult[]> => {
      const experiment = await store.getOrCreateExperiment("retrain-test");
      return Promise.all(
        categories.map(async (category) => {
          const runId = await store.createRun(experiment, `worse-${category}`, { item_id: category });
          const staging = await ws.registry.stage(category);
          await saveCheckpoint(staging, new CnnLstmModel(TINY_SHAPE, 9), {
            normalization: TERRIBLE,
            data: { file: "sales.csv", sha256: "0".repeat(64), category, start: "2024-01-01", end: "2024-04-18", frequency: "D" },
          });
          const info = await ws.registry.commit(category, staging, { windowSize: TINY_SHAPE.windowSize, runId });
          return { category, status: "ok" as const, epochs: 1, bestEpoch: 1, seconds: 0, runId, version: info.version };
        }),
      );
    };
    const [beauty] = (await round(worse)).filter((o) => o.category === "Beauty");
    expect(beauty.status, beauty.reason).toBe("challenger");
    expect(beauty.reason).toMatch(/does not beat the champion's .*the champion stays served/);
    expect(beauty.new_mae!).toBeGreaterThan(beauty.champion_mae!);
    expect((await ws.registry.resolve("Beauty"))?.version).toBe(2);
    expect((await ws.registry.resolve("Beauty", CHALLENGER_ALIAS))?.version).toBe(3);
    expect((await store.getRun(beauty.run_id!)).tags.retrain_outcome).toBe("challenger");
  });

  it("reports a failed training and tries the category again next round", async () => {
    await moreBeautyDays(110);
    const failing = async (categories: string[]): Promise<CategoryResult[]> =>
      categories.map((category) => ({ category, status: "failed" as const, reason: "the disk is full", epochs: 0, bestEpoch: 0, seconds: 0 }));
    const [beauty] = (await round(failing)).filter((o) => o.category === "Beauty");
    expect(beauty).toMatchObject({ status: "failed", reason: "training failed: the disk is full" });
    const again: string[] = [];
    await round(async (categories) => {
      again.push(...categories);
      return [];
    });
    expect(again).toEqual(["Beauty"]);
  });
});
