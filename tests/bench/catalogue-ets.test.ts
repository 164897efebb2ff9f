// bench:catalogue's bottom-up ETS on worker threads (bench/catalogue-ets.ts) gives the very same
// forecasts, bit for bit and in the same order, as fitting every series in one thread, on a small
// generated catalogue (intermittent items, items starting mid-history), for an odd number of
// threads and a sample; and the bench's command line refuses bad flags with a clear message.
// The threaded part needs the build (the worker is dist/bench/catalogue-ets-worker.js).
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogueArgumentProblem } from "../../bench/catalogue-options.js";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadConfiguredData, type TrainingData } from "../../src/data/model-data.js";
import { builtDistProblem } from "../built-dist.js";

describe("bench:catalogue's arguments", () => {
  it("accepts the known flags with their values and config overrides", () => {
    expect(
      catalogueArgumentProblem(["--stores", "2", "--ets-sample", "2000", "--threads", "3", "--no-lightgbm", "--selection", "catalogue.reconcile=mint_shrink"]),
    ).toBeUndefined();
    expect(catalogueArgumentProblem(["--data", "/tmp/a.parquet", "--json", "-h"])).toBeUndefined();
  });

  it("refuses an unknown flag, naming the known ones", () => {
    const problem = catalogueArgumentProblem(["--no-ets", "--thread", "2"]);
    expect(problem).toMatch(/unknown argument "--thread"/);
    expect(problem).toContain("--threads");
    expect(problem).toContain("--no-lightgbm");
  });

  it("refuses a missing or non-whole thread count", () => {
    expect(catalogueArgumentProblem(["--threads"])).toMatch(/--threads needs a value/);
    expect(catalogueArgumentProblem(["--threads", "--no-ets"])).toMatch(/--threads needs a value/);
    expect(catalogueArgumentProblem(["--threads", "0"])).toMatch(/--threads must be a whole number ≥ 1 \(got 0\)/);
    expect(catalogueArgumentProblem(["--threads", "1.5"])).toMatch(/got 1\.5/);
    expect(catalogueArgumentProblem(["--ets-sample", "many"])).toMatch(/--ets-sample must be a whole number/);
  });
});

const built = builtDistProblem(["dist/bench/catalogue.js"], ["bench", "src"]);

function bench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = fileURLToPath(new URL("../../dist/bench/catalogue.js", import.meta.url));
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(built !== undefined)(`the bench's command line${built ? ` (skipped: ${built})` : ""}`, () => {
  it("prints the usage and exits 0 on --help and -h, before any work", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await bench(["--stores", "1", flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^usage: node dist\/bench\/catalogue\.js/);
      expect(run.stdout).toContain("--threads N");
      expect(run.stderr).not.toMatch(/generating|ingested/);
    }
  }, 60_000);

  it("exits 1 on an unknown flag or a bad thread count, saying why", async () => {
    const unknown = await bench(["--no-lightgbms"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown argument "--no-lightgbms": known flags are .*--no-lightgbm/);
    const zero = await bench(["--threads", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/--threads must be a whole number ≥ 1 \(got 0\)/);
    expect(zero.stderr).not.toMatch(/generating|ingested/);
  }, 60_000);
});

const problem = builtDistProblem(["dist/bench/catalogue-ets.js", "dist/bench/catalogue-ets-worker.js"], ["bench", "src"]);

describe.skipIf(problem !== undefined)(`bottom-up ETS on worker threads${problem ? ` (skipped: ${problem})` : ""}`, () => {
  let dir: string;
  let config: Config;
  let data: TrainingData;
  // The built module: its worker URL resolves to dist/bench/catalogue-ets-worker.js.
  let ets: typeof import("../../bench/catalogue-ets.js");

  beforeAll(async () => {
    ets = (await import(new URL("../../dist/bench/catalogue-ets.js", import.meta.url).href)) as typeof ets;
    dir = await mkdtemp(join(tmpdir(), "salescast-catalogue-ets-test-"));
    const path = join(dir, "catalogue.parquet");
    await writeCatalogue(path, { stores: 1, items: 13, days: 150, seed: 11 });
    config = configFromDefaults({
      data: {
        csv_path: path,
        date_column: "date",
        value_column: "sales",
        series_key: ["store_id", "item_id"],
        hierarchy: [[], ["store_id"], ["store_id", "item_id"]],
      },
    });
    data = await loadConfiguredData(config);
  }, 120_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it("forecasts every series exactly as one thread does, for 3 threads", async () => {
    const matrix = data.catalogue!.matrix;
    const names = data.series.map((s) => s.category);
    const end = matrix.periods - 28;
    const all = ets.chosenSeries(matrix.series, undefined);
    expect(all).toHaveLength(13);
    // The catalogue has what makes fits differ: some items start selling after day 0.
    expect(Array.from(matrix.firstPeriod).some((p) => p > 0)).toBe(true);
    const lines: string[] = [];
    const single = await ets.forecastBottomEts(config, matrix, names, all, end, 28, { threads: 1 });
    const threaded = await ets.forecastBottomEts(config, matrix, names, all, end, 28, { threads: 3, log: (line) => lines.push(line) });
    expect(single.threads).toBe(1);
    expect(threaded.threads).toBe(3);
    expect(threaded.forecasts).toHaveLength(13 * 28);
    expect(Array.from(single.forecasts).every(Number.isFinite)).toBe(true);
    // Series differ, so a mix-up of the order would show.
    expect(single.forecasts.subarray(0, 28)).not.toEqual(single.forecasts.subarray(28, 56));
    expect(Buffer.from(threaded.forecasts.buffer).equals(Buffer.from(single.forecasts.buffer))).toBe(true);
    // The last progress line counts every series, with an ETA.
    expect(lines.at(-1)).toMatch(/^bottom-up ETS: 13\/13 series on 3 threads, .* elapsed, ETA /);
  }, 120_000);

  it("fits a sample the same way in threads as in one, in the sample's order", async () => {
    const matrix = data.catalogue!.matrix;
    const names = data.series.map((s) => s.category);
    const end = matrix.periods - 28;
    const sample = ets.chosenSeries(matrix.series, 5);
    expect(sample).toEqual([0, 2, 5, 7, 10]);
    const single = await ets.forecastBottomEts(config, matrix, names, sample, end, 28, { threads: 1 });
    const threaded = await ets.forecastBottomEts(config, matrix, names, sample, end, 28, { threads: 2 });
    expect(Buffer.from(threaded.forecasts.buffer).equals(Buffer.from(single.forecasts.buffer))).toBe(true);
    // Row i of the sample's forecasts is series sample[i]'s: the same as fitting it alone.
    const alone = await ets.forecastBottomEts(config, matrix, names, [sample[3]], end, 28, { threads: 1 });
    expect(single.forecasts.subarray(3 * 28, 4 * 28)).toEqual(alone.forecasts);
  }, 120_000);
});
