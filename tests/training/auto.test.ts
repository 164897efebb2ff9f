// Training with model.architecture auto: the tournament's champion is trained and registered
// with its leaderboard, its intervals from the backtest residuals, tracking metrics per
// candidate, and the champion/challenger decision against the version served before.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { parseLeaderboard } from "../../src/backtest/leaderboard.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import type { ProgressEvent } from "../../src/training/progress.js";
import { trainAll } from "../../src/training/train-all.js";
import { trainCategory } from "../../src/training/train-category.js";
import { trainedResultJson } from "../../src/training/result-json.js";
import { formatSummaryTable } from "../../src/training/summary.js";
import { writeSalesCsv } from "./helpers.js";

let root: string;
let data: SalesData;

/** combine_max 1: a single champion (the cases about combinations set it). */
function autoConfig(candidates: string[], combineMax = 1): Config {
  return configFromDefaults(
    {
      data: { item_id: "Beauty" },
      model: {
        architecture: "auto",
        auto: { candidates: candidates as never, selection_windows: 3, evaluation_windows: 2, horizon: 7, combine_max: combineMax },
      },
      train: { mlflow_tracking_uri: "", experiment_name: "auto-test" },
    },
    { folder: root },
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-auto-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty", "Clothing"], days: 160, shortCategories: ["Tiny"], shortDays: 30 });
  data = await loadSales(autoConfig([]).data);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("train with model.architecture auto", () => {
  it("train --all runs a tournament per category (auto is no kind of its own)", async () => {
    const config = autoConfig(["ets", "holt_winters"]);
    const results = await trainAll({ ...config, train: { ...config.train, checkpoint_path: join(root, "all", "model.ckpt") } }, ["Beauty", "Clothing"], {
      data,
      threads: 0,
    });
    expect(results.map((r) => [r.category, r.status])).toEqual([
      ["Beauty", "ok"],
      ["Clothing", "ok"],
    ]);
    for (const r of results) expect(["ets", "holt_winters"]).toContain(r.model);
  });

  it("a combination champion is registered as an ensemble of exactly its members, by their mean", async () => {
    // On this seeded data the selection windows' leave-one-window-out prefers the mean of both candidates.
    const config = autoConfig(["ets", "holt_winters"], 5);
    const result = await trainCategory({ ...config, train: { ...config.train, checkpoint_path: join(root, "combined", "model.ckpt") } }, "Beauty", { data });
    expect(result.status).toBe("ok");
    expect(result.model).toBe("ensemble");
    const version = (await new LocalRegistry(join(root, "combined")).resolve("Beauty"))!;
    const board = parseLeaderboard(JSON.parse(await readFile(join(version.dir, "leaderboard.json"), "utf8")))!;
    expect(board.champion.kind).toBe("ensemble");
    expect([...board.champion.members!].sort()).toEqual(["ets", "holt_winters"]); // best first
    const meta = JSON.parse(await readFile(join(version.dir, "model.json"), "utf8"));
    expect(meta.kind ?? meta.model?.kind).toBe("ensemble");
    const state = meta.state ?? meta.model?.state;
    expect(state.combination).toBe("mean");
    expect(state.members.map((m: { kind: string }) => m.kind)).toEqual(board.champion.members);
  });

  it("registers the champion with its leaderboard, intervals from the tournament and one metric per candidate", async () => {
    const events: ProgressEvent[] = [];
    const result = await trainCategory(autoConfig(["ets", "holt_winters"]), "Beauty", { data, progress: { report: (e) => events.push(e) } });
    expect(result.status).toBe("ok");
    const registry = new LocalRegistry(join(root, "checkpoints"));
    const version = (await registry.resolve("Beauty"))!;
    expect(version.aliases).toEqual(["champion"]);
    const board = parseLeaderboard(JSON.parse(await readFile(join(version.dir, "leaderboard.json"), "utf8")))!;
    expect(board.entries.map((e) => e.model)).toEqual(["ets", "holt_winters", "naive", "seasonal_naive", "moving_average"]);
    const best = Math.min(...board.entries.filter((e) => e.role === "candidate").map((e) => e.selection_mase!));
    expect(board.champion.selection_mase).toBe(best);
    expect(result.model).toBe(board.champion.kind);
    expect(result.auto).toMatchObject({ champion: board.champion.model, decision: "champion" });
    expect(trainedResultJson(result).auto).toMatchObject({ champion: board.champion.model, decision: "champion" });
    const table = formatSummaryTable([result]).split("\n");
    expect(table[0]).toMatch(/^category\s+status\s+model\s+auto eval MASE\s+alias/);
    expect(table[2]).toContain(board.champion.model);

    const meta = JSON.parse(await readFile(join(version.dir, "model.json"), "utf8"));
    expect(meta.extra.intervals.source).toBe("tournament windows");
    // 3 selection + 2 evaluation windows of 7 origins each at step 1.
    expect(meta.extra.intervals.steps[0].n).toBe(35);
    expect(existsSync(join(version.dir, "champion_challenger.json"))).toBe(true);

    const store = openTrackingStore(join(root, "mlruns"));
    const run = await store.getRun(result.runId!);
    const keys = Object.keys(run.metrics ?? {});
    expect(keys).toContain("auto.ets.selection_mase");
    expect(keys).toContain("auto.holt_winters.evaluation_mase");
    // Progress per candidate.
    const messages = events.filter((e) => e.kind === "message").map((e) => (e as { text: string }).text);
    expect(messages.some((m) => /^ets selection \d/.test(m))).toBe(true);
    expect(messages.some((m) => /^champion /.test(m))).toBe(true);
  });

  it("a new version that loses on the same recent windows becomes the challenger; the champion keeps serving", async () => {
    // Only the naive method competes now: on a weekly-seasonal series it loses to the served ETS/Holt-Winters.
    const result = await trainCategory(autoConfig(["naive"]), "Beauty", { data });
    expect(result.status).toBe("ok");
    expect(result.auto?.decision).toBe("challenger");
    expect(result.auto?.comparison).toMatch(/the served version stays champion: its MASE is lower/);
    const registry = new LocalRegistry(join(root, "checkpoints"));
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    expect((await registry.resolve("Beauty", "challenger"))?.version).toBe(2);
    const comparison = JSON.parse(await readFile(join((await registry.resolve("Beauty", 2))!.dir, "champion_challenger.json"), "utf8"));
    expect(comparison).toMatchObject({ decision: "challenger", current_version: 1, new_kind: "naive" });
    expect(comparison.current_mase).toBeLessThan(comparison.new_mase);
  });

  it("a series too short for the tournament's windows is skipped with the reason", async () => {
    const result = await trainCategory(autoConfig(["ets"]), "Tiny", { data });
    expect(result.status).toBe("skipped");
    expect(result.reason).toMatch(/too short for 3 selection and 2 evaluation windows/);
  });
});
