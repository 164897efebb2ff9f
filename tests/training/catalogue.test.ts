// train --catalogue on a small generated catalogue: one GBDT over every series with price,
// promotion, event and SNAP covariates, coherent levels, ONE registry version and ONE tracking
// run with per-level metrics; the forecast table (CSV, Parquet) and GET /api/forecasts/{level};
// and what is refused: no hierarchy, an unknown group_by column, a catalogue over the memory limit.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults, type ConfigSettings } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { covariatePeriods } from "../../src/data/covariate-periods.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadConfiguredData, type TrainingData } from "../../src/data/model-data.js";
import { ModelInputError } from "../../src/models/errors.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { LocalTrackingStore } from "../../src/tracking/index.js";
import { catalogueGbdtOptions, forecastCatalogue } from "../../src/training/catalogue/fit.js";
import { formatOfPath, forecastParquet, writeForecastTable } from "../../src/training/catalogue/forecast-export.js";
import { forecastCsv, rowsOfLevel, UnknownLevelError } from "../../src/training/catalogue/forecast-table.js";
import { CatalogueMemoryError } from "../../src/training/catalogue/memory.js";
import { trainCatalogue } from "../../src/training/catalogue/train.js";
import { readCatalogueVersion, type StoredCatalogue } from "../../src/training/catalogue/version-files.js";
import { covariatesOfCategory } from "../../src/training/train-all.js";
import { OutputTargetError } from "../../src/util/output-file.js";

const STORES = 2;
const ITEMS = 12;
const LEVELS = [[], ["state_id"], ["store_id"], ["dept_id"], ["store_id", "item_id"]];
const HORIZON = 14;

let root: string;
let config: Config;
let data: TrainingData;

function catalogueConfig(settings: ConfigSettings = {}): Config {
  return configFromDefaults(
    {
      data: { csv_path: join(root, "catalogue.parquet"), date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"], hierarchy: LEVELS },
      model: { features: { covariates: ["sell_price", "promo", "event", "snap"] }, gbdt: { threads: 1 } },
      catalogue: { horizon: HORIZON, max_rounds: 15, training_days: 120, ...settings.catalogue },
    },
    { folder: root },
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-catalogue-"));
  await writeCatalogue(join(root, "catalogue.parquet"), { stores: STORES, items: ITEMS, days: 300, seed: 5 });
  config = catalogueConfig();
  data = await loadConfiguredData(config);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("train --catalogue", () => {
  let result: Awaited<ReturnType<typeof trainCatalogue>>;
  let stored: StoredCatalogue;
  beforeAll(async () => {
    result = await trainCatalogue(config, data);
    stored = await readCatalogueVersion(result.dir);
  });

  it("registers ONE version of the catalogue model, not a folder per series", async () => {
    const registry = new LocalRegistry(join(root, "checkpoints"));
    expect(await registry.categories()).toEqual(["catalogue"]);
    expect((await registry.versions("catalogue")).map((v) => v.version)).toEqual([1]);
    expect(result.series).toBe(STORES * ITEMS);
    expect(stored.meta.levels).toEqual(["total", "state_id", "store_id", "dept_id", "store_id/item_id"]);
  });

  it("tracks ONE run with the WRMSSE of every level and the leaderboard as an artifact", async () => {
    const store = new LocalTrackingStore(join(root, "mlruns"));
    const runs = await store.listRuns();
    expect(runs).toHaveLength(1);
    const run = runs[0];
    expect(run.runId).toBe(result.run_id);
    expect(run.status).toBe("FINISHED");
    for (const key of ["wrmsse", "wrmsse_total", "wrmsse_state_id", "wrmsse_store_id", "wrmsse_dept_id", "wrmsse_store_id__item_id", "seasonal_naive_wrmsse"]) {
      expect(Number.isFinite(run.metrics[key]), key).toBe(true);
    }
    expect(run.artifacts).toContain("leaderboard.json");
    expect(run.artifacts).toContain("model/catalogue.json");
    const leaderboard = JSON.parse(await readFile(await store.artifactPath!(run.runId, "leaderboard.json"), "utf8"));
    expect(leaderboard.models.map((m: { model: string }) => m.model)).toContain("seasonal_naive");
    expect(run.metrics.wrmsse).toBeCloseTo(result.metrics!.wrmsse, 10);
  });

  it("stores forecasts that add up: every aggregate is the sum of its bottom series, day by day", () => {
    const h = stored.meta.horizon;
    expect(h).toBe(HORIZON);
    const bottomLevel = stored.meta.levels.indexOf("store_id/item_id");
    const bottomRows = rowsOfLevel(stored, "store_id/item_id");
    const bottomTotal = new Float64Array(h);
    for (const r of bottomRows) for (let t = 0; t < h; t++) bottomTotal[t] += stored.forecasts[r * h + t];
    for (const level of ["total", "state_id", "store_id", "dept_id"]) {
      const sum = new Float64Array(h);
      for (const r of rowsOfLevel(stored, level)) for (let t = 0; t < h; t++) sum[t] += stored.forecasts[r * h + t];
      for (let t = 0; t < h; t++) expect(sum[t]).toBeCloseTo(bottomTotal[t], 6);
    }
    expect(bottomRows.every((r) => stored.meta.row_levels[r] === bottomLevel)).toBe(true);
    expect(bottomTotal.some((v) => v > 0)).toBe(true);
    // The first forecast day is the day after the data's last.
    const last = new Date(`${stored.meta.data.last_date}T00:00:00Z`).getTime();
    expect(new Date(`${stored.meta.first_forecast_date}T00:00:00Z`).getTime() - last).toBe(86_400_000);
  });

  it("gives every row an interval per level, wider at 95% than at 80%, never below 0", () => {
    const lines = [...forecastCsv(stored, rowsOfLevel(stored, "store_id"))].join("").trim().split("\n");
    expect(lines[0]).toBe("level,series,date,forecast,lo_80,hi_80,lo_95,hi_95");
    expect(lines).toHaveLength(1 + STORES * HORIZON);
    for (const line of lines.slice(1)) {
      const [, , , f, lo80, hi80, lo95, hi95] = line.split(",").map((cell, i) => (i < 3 ? cell : Number(cell))) as number[];
      expect(lo95).toBeLessThanOrEqual(lo80);
      expect(lo80).toBeLessThanOrEqual(f);
      expect(hi80).toBeGreaterThan(f);
      expect(hi95).toBeGreaterThan(hi80);
      expect(lo95).toBeGreaterThanOrEqual(0);
    }
  });

  it("writes the table as CSV and as Parquet, whole, and refuses an unknown level and another extension", async () => {
    const csv = join(root, "out", "forecasts.csv");
    const rows = rowsOfLevel(stored, undefined);
    expect(await writeForecastTable(stored, rows, csv)).toEqual({ format: "csv", where: "file" });
    expect((await readFile(csv, "utf8")).trim().split("\n")).toHaveLength(1 + rows.length * HORIZON);
    const parquet = join(root, "out", "forecasts.parquet");
    await writeForecastTable(stored, rowsOfLevel(stored, "dept_id"), parquet);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:");
    const connection = await instance.connect();
    const read = await (
      await connection.run(`SELECT count(*)::INTEGER AS n, count(DISTINCT series)::INTEGER AS s, min(level) AS level FROM '${parquet}'`)
    ).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(read[0]).toEqual({ n: rowsOfLevel(stored, "dept_id").length * HORIZON, s: rowsOfLevel(stored, "dept_id").length, level: "dept_id" });
    expect(() => rowsOfLevel(stored, "aisle")).toThrow(UnknownLevelError);
    expect(() => rowsOfLevel(stored, "aisle")).toThrow(/levels: total, state_id, store_id, dept_id, store_id\/item_id/);
    expect(() => formatOfPath("forecasts.xlsx")).toThrow(OutputTargetError);
    expect((await readdir(join(root, "out"))).sort()).toEqual(["forecasts.csv", "forecasts.parquet"]);
  });
});

describe("catalogue fits", () => {
  it("fit one GBDT per value of catalogue.group_by (per store), still coherent", async () => {
    const perStore = catalogueConfig({ catalogue: { group_by: "store_id", reconcile: "wls_struct", evaluate: false } });
    const forecast = await forecastCatalogue(perStore, data);
    const stores = [...new Set(data.catalogue!.parts.map((parts) => parts[0]))].sort();
    expect(stores).toHaveLength(STORES);
    expect(forecast.fits.map((f) => f.group).sort()).toEqual(stores);
    expect(forecast.fits.every((f) => f.series === ITEMS)).toBe(true);
    // wls_struct moves the bottom series away from the GBDT's own forecasts, and keeps the sums.
    const h = forecast.horizon;
    let total = 0;
    const nb = STORES * ITEMS;
    const na = forecast.rows.rowNames.length - nb;
    for (let b = 0; b < nb; b++) total += forecast.forecasts[(na + b) * h];
    expect(forecast.forecasts[0]).toBeCloseTo(total, 6);
    expect(forecast.forecasts.some((v, i) => Math.abs(v - forecast.base[i]) > 1e-9)).toBe(true);
  });

  it("uses the per-series covariates: the fit's features name them", async () => {
    const forecast = await forecastCatalogue(catalogueConfig({ catalogue: { evaluate: false } }), data, { end: data.catalogue!.matrix.periods - HORIZON });
    expect(forecast.fits[0].fit.features.covariates.sort()).toEqual(["event", "promo", "sell_price", "snap"]);
    expect(forecast.fits[0].fit.models[0].feature_names).toEqual(expect.arrayContaining(["cov_sell_price", "cov_promo"]));
  });

  it("early-stops the GBDT on its own loss's metric (tweedie, poisson), not model.gbdt's L1", () => {
    expect(catalogueGbdtOptions(config).params).toMatchObject({ metric: "tweedie", num_iterations: 15, learning_rate: 0.1 });
    expect(catalogueGbdtOptions(catalogueConfig({ catalogue: { loss: "poisson" } })).params).toMatchObject({ metric: "poisson" });
  });

  it("refuses an unknown group_by column, naming the known ones", async () => {
    await expect(forecastCatalogue(catalogueConfig({ catalogue: { group_by: "region" } }), data)).rejects.toThrow(
      /catalogue.group_by is "region", not a column of the catalogue \(known: store_id, item_id/,
    );
  });

  it("refuses a catalogue too large for the memory limit before any work, with the figure and what to change", async () => {
    const small = catalogueConfig({ catalogue: { max_memory_mb: 1, training_days: 0 } });
    const error = await forecastCatalogue(small, data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogueMemoryError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /24 series give [\d,]+ training rows × \d+ features in the largest fit, about [\d.]+ (MiB|GiB), more than the limit of 1 MiB \(catalogue.max_memory_mb 1\)/,
    );
    expect(message).toMatch(/catalogue.training_days \(now 0: every day\)/);
    expect(message).toMatch(/catalogue.group_by=store_id/);
  });

  it("refuses data without hierarchy levels, saying what to set", async () => {
    const flat = configFromDefaults(
      {
        data: { csv_path: join(root, "catalogue.parquet"), date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"] },
      },
      { folder: root },
    );
    const flatData = await loadConfiguredData(flat);
    await expect(forecastCatalogue(flat, flatData)).rejects.toThrow(ModelInputError);
    await expect(forecastCatalogue(flat, flatData)).rejects.toThrow(/data.hierarchy has none/);
  });
});

describe("per-series covariates on the way to training worker threads", () => {
  it("keep the series' own row of the catalogue's covariate matrices (the values the whole data gives)", () => {
    const name = data.series[5].category;
    const narrowed = covariatesOfCategory(data.covariates!, name);
    expect(Object.keys(narrowed.bySeries!.index)).toEqual([name]);
    const { start, values } = data.series[5];
    const whole = covariatePeriods(data.covariates!, name, start, values.length, "D", "zero");
    const part = covariatePeriods(narrowed, name, start, values.length, "D", "zero");
    expect(part).toEqual(whole);
    // And the prices are real ones, not the zeros the lost matrix used to give.
    expect(part[data.covariates!.names.indexOf("sell_price")].some((v) => v > 0)).toBe(true);
  });
});

// The parquet bytes the API sends are the same table.
it("forecastParquet builds a Parquet file's bytes (magic PAR1 at both ends)", async () => {
  const stored = await readCatalogueVersion((await new LocalRegistry(join(root, "checkpoints")).resolve("catalogue"))!.dir);
  const bytes = await forecastParquet(stored, rowsOfLevel(stored, "total"));
  const text = new TextDecoder().decode(bytes.subarray(0, 4)) + new TextDecoder().decode(bytes.subarray(bytes.length - 4));
  expect(text).toBe("PAR1PAR1");
});
