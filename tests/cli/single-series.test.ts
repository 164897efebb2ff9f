// A new user's single-series files through the real command (issue 15): a long file without a
// category column, a wide store file with flag columns, a list key given one value, and the
// default category (data.item_id, the demo's Beauty) on a file of one series.
// Needs the build (npm test runs it first through the pretest script).
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtDistProblem } from "../built-dist.js";
import { camelCaseKeys } from "./json-keys.js";
import { runCli, type CliRun } from "./run-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const problem = builtDistProblem(["dist/src/cli.js"], ["src"]);
let dir: string;

function salescast(args: string[]): Promise<CliRun> {
  return runCli(dir, args);
}

const tiny = [
  "model.architecture=CNNLSTM",
  "model.conv_channels=4",
  "model.lstm_hidden=8",
  "train.max_epochs=2",
  "data.window_size=7",
  "model.interval_horizon=7",
];
const single = ["data.csv_path=store.csv", "data.category_column=", "data.value_column=Sales"];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-single-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(root, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  const days = Array.from({ length: 90 }, (_, i) => new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().slice(0, 10));
  const rows = days.map((date, i) => `${date},${1000 + 200 * ((i * 3) % 7) + (i % 5)},${100 + (i % 9)},${i % 7 < 3 ? 1 : 0},${i % 2}`);
  await writeFile(join(dir, "store.csv"), ["Date,Sales,Customers,Promo,SchoolHoliday", ...rows].join("\n") + "\n");
  await writeFile(
    join(dir, "two.csv"),
    ["Date,Product Category,Total Amount", ...days.flatMap((date, i) => [`${date},A,${i}`, `${date},B,${i + 1}`])].join("\n") + "\n",
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe.skipIf(problem !== undefined)(`one series, no category column${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  it("ingest reads it as one series named after the value column", async () => {
    const { code, stdout, stderr } = await salescast(["ingest", "--json", ...single]);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).categories.map((c: { category: string }) => c.category)).toEqual(["Sales"]);
  });

  it("train, evaluate and predict without --category use that series and say so", async () => {
    const train = await salescast(["train", "--json", ...single, ...tiny]);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain('data.item_id is "Beauty", which is not in the data; the data has one series, "Sales": using it');
    expect(JSON.parse(train.stdout).categories).toEqual([
      expect.objectContaining({ category: "Sales", status: "ok", version: 1, best_epoch: expect.any(Number) }),
    ]);
    expect(camelCaseKeys(JSON.parse(train.stdout))).toEqual([]);

    const evaluate = await salescast(["evaluate", "--json", ...single, ...tiny]);
    expect(evaluate.code, evaluate.stderr).toBe(0);
    expect(JSON.parse(evaluate.stdout).category).toBe("Sales");
    expect(JSON.parse(evaluate.stdout)).toMatchObject({ version: 1, data_changed: false });
    expect(camelCaseKeys(JSON.parse(evaluate.stdout))).toEqual([]);

    const predict = await salescast(["predict", "--json", ...single, ...tiny]);
    expect(predict.code, predict.stderr).toBe(0);
    expect(JSON.parse(predict.stdout).category).toBe("Sales");
    expect(predict.stderr).toContain('using it (set data.item_id="Sales"');

    // --series reads no data: the registry's only category is used.
    const series = await salescast(["predict", "--json", "--series", "1,2,3,4,5,6,7", ...single, ...tiny]);
    expect(series.code, series.stderr).toBe(0);
    expect(JSON.parse(series.stdout).category).toBe("Sales");
  }, 120_000);

  it("with several series the default stays data.item_id, with today's error", async () => {
    const { code, stderr } = await salescast(["train", "data.csv_path=two.csv", ...tiny]);
    expect(code).toBe(1);
    expect(stderr).toContain('category "Beauty" is not in the data. Categories found: A, B');
    expect(stderr).not.toContain("using it");
  });
});

describe.skipIf(problem !== undefined)(`the same file in the wide layout${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  it("leaves the 0/1 flag columns out and lists the columns it took", async () => {
    const { code, stdout, stderr } = await salescast(["ingest", "data.csv_path=store.csv", "data.layout=wide"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("series columns (detected, data.series_columns is []): Sales, Customers");
    expect(stdout).toContain("not series: Promo, SchoolHoliday (only 0 and 1: flags)");
  });

  it("takes data.series_columns=Sales (one value for a list key)", async () => {
    const { code, stdout, stderr } = await salescast(["ingest", "--json", "data.csv_path=store.csv", "data.layout=wide", "data.series_columns=Sales"]);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.categories.map((c: { category: string }) => c.category)).toEqual(["Sales"]);
    expect(summary.columns).toEqual({ detected: false, series: ["Sales"] });
  });
});
