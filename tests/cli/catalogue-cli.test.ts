// `salescast train --catalogue` and `salescast forecast` as a user runs them (the built CLI):
// a small catalogue trained end to end, its forecasts written, and the command lines refused.
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { runCli } from "./run-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;
const CAT = [
  "data.csv_path=catalogue.parquet",
  "data.date_column=date",
  "data.value_column=sales",
  "data.series_key=[store_id,item_id]",
  "data.hierarchy=[[],[store_id],[store_id,item_id]]",
  "model.features.covariates=[sell_price,promo]",
  "catalogue.horizon=7",
  "catalogue.max_rounds=10",
  "catalogue.training_days=60",
];
const salescast = (args: string[]) => runCli(dir, [...args, ...CAT], { timeout: 240_000 });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-catalogue-cli-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(root, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeCatalogue(join(dir, "catalogue.parquet"), { stores: 2, items: 5, days: 150, seed: 4 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("salescast train --catalogue and forecast", () => {
  it("says to train first when no catalogue model is registered", async () => {
    const run = await salescast(["forecast", "--out", "f.csv"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/catalogue/);
  });

  it("trains the catalogue as one model, then writes every series' forecast", async () => {
    const train = await salescast(["train", "--catalogue", "--json"]);
    expect(train.code, train.stderr).toBe(0);
    const result = JSON.parse(train.stdout);
    expect(result).toMatchObject({ model_name: "catalogue", version: 1, series: 10, rows: 13, levels: ["total", "store_id", "store_id/item_id"] });
    expect(result.metrics.levels.map((l: { level: string }) => l.level)).toEqual(["total", "store_id", "store_id/item_id"]);
    const forecast = await salescast(["forecast", "--out", "out/all.csv", "--json"]);
    expect(forecast.code, forecast.stderr).toBe(0);
    expect(JSON.parse(forecast.stdout)).toMatchObject({ version: 1, level: null, series: 13, rows: 13 * 7, format: "csv" });
    expect((await readFile(join(dir, "out", "all.csv"), "utf8")).trim().split("\n")).toHaveLength(1 + 13 * 7);
  });

  it("refuses a bad command line: no --out, another extension, an unknown level, --catalogue with --all", async () => {
    expect((await salescast(["forecast"])).code).toBe(2);
    const extension = await salescast(["forecast", "--out", "f.xlsx"]);
    expect(extension.code).toBe(1);
    expect(extension.stderr).toMatch(/ending in \.csv or \.parquet/);
    const level = await salescast(["forecast", "--level", "aisle", "--out", "f.csv"]);
    expect(level.code).toBe(1);
    expect(level.stderr).toMatch(/level "aisle" is not a level of the catalogue model \(levels: total, store_id, store_id\/item_id\)/);
    expect((await salescast(["train", "--catalogue", "--all"])).code).toBe(2);
  });
});
