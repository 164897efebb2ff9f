// Each statistical kind end to end: `train` with model.architecture=<kind> (trainCategory) fits,
// calibrates, registers and stores it; the registered version loads in SalesForecaster and
// POST /api/predict/{category} serves it (the latest window: the forecast from the stored
// history), the same numbers the family's own load gives; and `salescast backtest --category X
// model.architecture=<kind>` runs it at every cutoff beside the baselines.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { familyOf } from "../../src/models/families.js";
import { trainCategory } from "../../src/training/train-category.js";
import { bin, builtCliProblem, projectRoot } from "../reliability/helpers.js";
import { createWorkspace, testApp, WINDOW, type Workspace } from "../server/helpers.js";

const KINDS = ["theta", "arima", "croston", "sba", "tsb", "intermittent", "mstl", "ensemble"] as const;
const DAYS = 120;
let ws: Workspace;
let values: Float64Array;
const versions = new Map<string, { version: number; dir: string }>();

beforeAll(async () => {
  ws = await createWorkspace({ days: DAYS });
  values = (await loadSales(ws.config.data)).series.find((s) => s.category === "Beauty")!.values;
  for (const kind of KINDS) {
    const result = await trainCategory({ ...ws.config, model: { ...ws.config.model, architecture: kind } }, "Beauty");
    expect(result.status, `${kind}: ${result.reason}`).toBe("ok");
    expect(result.model).toBe(kind);
    versions.set(kind, { version: result.version!, dir: result.checkpointDir! });
  }
}, 300_000);
afterAll(() => ws?.cleanup());

describe.each(KINDS)("a trained %s version", (kind) => {
  it("stores its state and history in model.json, and serves the family's forecast", async () => {
    const { version, dir } = versions.get(kind)!;
    const meta = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    expect(meta.model).toMatchObject({ kind, format_version: 1 });
    expect(meta.extra.intervals.method).toBe("split-conformal");
    const own = familyOf(kind).load({ ...meta.model, files: {} });
    // Refitted on every period after calibration: its history is the whole series.
    expect(Array.from(own.history!.values)).toEqual(Array.from(values));
    const expected = Array.from(own.forecast(own.history!, 3));
    expect(expected.every(Number.isFinite)).toBe(true);

    const info = await ws.registry.resolve("Beauty", version);
    const served = await SalesForecaster.fromRegistered(info!);
    const latest = Array.from(values.subarray(DAYS - WINDOW));
    expect(served.forecast(latest, { horizon: 3 })).toEqual(expected);
    const banded = served.forecastWithIntervals(latest, { horizon: 2, levels: [80] });
    expect(banded.forecast).toEqual(expected.slice(0, 2));
  });
});

describe("POST /api/predict/{category}", () => {
  it("serves each kind once it is the champion", async () => {
    const app = await testApp(ws);
    try {
      for (const kind of KINDS) {
        const { version, dir } = versions.get(kind)!;
        await ws.registry.setAlias("Beauty", "champion", version);
        const meta = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
        const own = familyOf(kind).load({ ...meta.model, files: {} });
        const response = await app.inject({
          method: "POST",
          url: "/api/predict/Beauty",
          payload: { series: Array.from(values.subarray(DAYS - WINDOW)), horizon: 2 },
        });
        expect(response.statusCode, `${kind}: ${response.body}`).toBe(200);
        expect(response.headers["x-model-version"]).toBe(String(version));
        expect(response.json().forecast).toEqual(Array.from(own.forecast(own.history!, 2)));
      }
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe("training a series a kind cannot fit", () => {
  it("is skipped with the reason, never a crash", async () => {
    const csv = join(ws.root, "awkward.csv");
    const lines = ["Date,Product Category,Total Amount"];
    for (let i = 0; i < 90; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},Returns,${-5 - (i % 7)}`);
    for (let i = 0; i < 2; i++) lines.push(`${new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},Short,${10 + i}`);
    await writeFile(csv, `${lines.join("\n")}\n`);
    const config = (kind: (typeof KINDS)[number]) => ({
      ...ws.config,
      data: { ...ws.config.data, csv_path: csv },
      model: { ...ws.config.model, architecture: kind },
    });
    const croston = await trainCategory(config("croston"), "Returns");
    expect(croston).toMatchObject({
      status: "skipped",
      reason: expect.stringMatching(/a croston model forecasts demand quantities, but the training part has -5 at period 1/),
    });
    const chosen = await trainCategory(config("intermittent"), "Returns");
    expect(chosen.status, chosen.reason).toBe("ok");
    for (const kind of KINDS) {
      const short = await trainCategory(config(kind), "Short");
      expect(short.status, kind).toBe("skipped");
      expect(short.reason).toMatch(
        /the training part has \d periods of 2, but a \w+ model needs at least \d+|no member of the ensemble can fit category "Short"/,
      );
    }
  }, 60_000);
});

const problem = builtCliProblem();
describe.skipIf(problem)("salescast backtest with model.architecture=<kind>", () => {
  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [bin, ...args], { cwd: ws.root, env: { PATH: process.env.PATH }, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it.each(KINDS)(
    "%s: rows at every cutoff beside the baselines, finite MASE",
    async (kind) => {
      const config = [
        "--config",
        join(projectRoot, "config", "config.yaml"),
        `data.csv_path=${ws.csvPath}`,
        `train.checkpoint_path=${join(ws.root, "bt", "model.ckpt")}`,
        "tracking.uri=mlruns-bt",
        `data.window_size=${WINDOW}`,
      ];
      const { code, stdout, stderr } = await run([
        "backtest",
        "--category",
        "Beauty",
        "--json",
        "--horizon",
        "3",
        "--windows",
        "2",
        "--refit",
        "every",
        `model.architecture=${kind}`,
        ...config,
      ]);
      expect(code, stderr).toBe(0);
      const report = JSON.parse(stdout);
      const rows = report.rows.filter((row: { model: string }) => row.model === kind);
      expect(rows).toHaveLength(2 * 3);
      expect(rows.every((row: { forecast: number }) => Number.isFinite(row.forecast))).toBe(true);
      expect(new Set(report.rows.map((row: { model: string }) => row.model))).toEqual(
        new Set([kind, "naive", "seasonal_naive", "moving_average", "holt_winters"]),
      );
      const all = report.categories[0].aggregates.find((a: { model: string; step: unknown }) => a.model === kind && a.step === "all");
      expect(Number.isFinite(all.mase)).toBe(true);
    },
    120_000,
  );
});
