// `salescast backtest` as a user runs it (needs the build, like tests/cli/cli.test.ts).
import { mkdtemp, readFile, rm, mkdir, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSalesCsv } from "../training/helpers.js";
import { camelCaseKeys } from "./json-keys.js";
import { runCli, type CliRun } from "./run-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

function salescast(args: string[]): Promise<CliRun> {
  return runCli(dir, args);
}

const tiny = [
  "data.csv_path=sales.csv",
  "model.architecture=CNNLSTM",
  "model.conv_channels=4",
  "model.lstm_hidden=8",
  "train.max_epochs=1",
  "data.window_size=7",
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-backtest-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(root, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeSalesCsv(join(dir, "sales.csv"), { categories: ["A", "B"], days: 50, shortCategories: ["S"], shortDays: 12 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("salescast backtest", () => {
  it("prints a MASE table for every model and writes the rows as CSV", async () => {
    const { code, stdout, stderr } = await salescast(["backtest", "--category", "A", "--horizon", "3", "--windows", "2", "--out", "rows.csv", ...tiny]);
    expect(stderr).toContain("wrote 30 rows to rows.csv");
    expect(code).toBe(0);
    expect(stdout).toMatch(/A: MASE by day ahead \(h1 = the next day\), 2 cutoffs 2024-02-13 \.\. 2024-02-16, refit once/);
    for (const model of ["cnn_lstm", "naive", "seasonal_naive", "moving_average", "holt_winters"]) expect(stdout).toMatch(new RegExp(`^${model} `, "m"));
    const csv = (await readFile(join(dir, "rows.csv"), "utf8")).trimEnd().split("\n");
    // The configured model's rows carry its interval bounds (empty for the baselines' rows).
    expect(csv[0]).toBe("category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80,lo_95,hi_95");
    expect(csv).toHaveLength(31);
    expect(csv[1]).toMatch(/^A,cnn_lstm,2024-02-13,1,2024-02-14,/);
  });

  it("gives the full table with a cutoff column with --json, --all skipping a series too short", async () => {
    const { code, stdout } = await salescast(["backtest", "--all", "--json", "--horizon", "2", "--windows", "2", "--step", "1", ...tiny]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.categories.map((c: { category: string }) => c.category)).toEqual(["A", "B"]);
    expect(report.skipped).toEqual([{ category: "S", reason: expect.stringContaining("At most 1 window fit") }]);
    expect(report.rows).toHaveLength(2 * 5 * 2 * 2);
    expect(report.rows[0]).toEqual(expect.objectContaining({ category: "A", model: "cnn_lstm", cutoff: "2024-02-16", step: 1, date: "2024-02-17" }));
    expect(camelCaseKeys(report)).toEqual([]);
  });

  it("with --refit every runs each cutoff on its own thread and agrees with refit once at the first cutoff", async () => {
    const args = ["backtest", "--category", "A", "--json", "--horizon", "2", "--windows", "2", ...tiny];
    const every = JSON.parse((await salescast([...args, "--refit", "every"])).stdout);
    const once = JSON.parse((await salescast([...args, "--refit", "once"])).stdout);
    expect(every.categories[0].cutoffs).toEqual(["2024-02-15", "2024-02-17"]);
    expect(every.rows).toHaveLength(5 * 2 * 2);
    type Row = { model: string; cutoff: string; step: number; forecast: number };
    const at = (report: { rows: Row[] }, cutoff: string) =>
      report.rows.filter((row) => row.cutoff === cutoff).map((row) => [row.model, row.step, row.forecast]);
    // Both fit on the same periods before the first cutoff: identical forecasts there.
    expect(at(every, "2024-02-15")).toEqual(at(once, "2024-02-15"));
    // At the second cutoff refit every trained a new network on two more days.
    const network = (report: { rows: Row[] }) => at(report, "2024-02-17").filter(([model]) => model === "cnn_lstm");
    expect(network(every)).not.toEqual(network(once));
  });

  it("--auto adds the row auto (each series' champion of its selection windows) beside every candidate; train --auto stores the leaderboard it prints", async () => {
    // combine_max=1: one champion per series (the combination rule has its own tests).
    const auto = ["model.auto.candidates=[ets,holt_winters]", "model.auto.selection_windows=2", "model.auto.combine_max=1"];
    const { code, stdout, stderr } = await salescast([
      "backtest",
      "--auto",
      "--category",
      "A",
      "--horizon",
      "3",
      "--windows",
      "2",
      "--out",
      "auto.csv",
      ...tiny,
      ...auto,
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^auto /m);
    expect(stdout).toMatch(/auto = (ets|holt_winters), chosen on 2 earlier selection windows/);
    expect(stderr).toMatch(/A: ets selection \d/);
    const csv = (await readFile(join(dir, "auto.csv"), "utf8")).trimEnd().split("\n");
    expect(csv[0]).toBe("category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80,lo_95,hi_95");
    expect(csv.filter((line) => line.startsWith("A,auto,"))).toHaveLength(6);
    const variants = await salescast(["backtest", "--auto", "--category", "A", "--variants", "calendar", ...tiny]);
    expect(variants.code).toBe(2);

    const trained = await salescast(["train", "--auto", "--category", "A", "--json", ...tiny, ...auto]);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout).categories[0];
    expect(result.auto).toMatchObject({ decision: "champion" });
    const board = await salescast(["leaderboard", "--category", "A", ...tiny]);
    expect(board.code, board.stderr).toBe(0);
    expect(board.stdout).toMatch(/^A \(version 1\): 2 selection windows/);
    expect(board.stdout).toContain(`champion: ${result.auto.champion}: lowest mean MASE`);
    const json = JSON.parse((await salescast(["leaderboard", "--category", "A", "--json", ...tiny])).stdout);
    expect(json.leaderboard.entries.map((e: { model: string }) => e.model)).toEqual(["ets", "holt_winters", "naive", "seasonal_naive", "moving_average"]);
    const none = await salescast(["leaderboard", "--category", "B", ...tiny]);
    expect(none.code).not.toBe(0);
  });

  it("refuses bad arguments with a clear message", async () => {
    const zero = await salescast(["backtest", "--category", "A", "--horizon", "0", ...tiny]);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--horizon must be a whole number ≥ 1");
    const refit = await salescast(["backtest", "--category", "A", "--refit", "sometimes", ...tiny]);
    expect(refit.code).toBe(2);
    expect(refit.stderr).toContain('--refit must be "every" or "once"');
    const tooMany = await salescast(["backtest", "--category", "A", "--windows", "40", ...tiny]);
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toMatch(/too short for 40 windows.*At most 5 windows fit/);
    const unknown = await salescast(["backtest", "--category", "Nope", ...tiny]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('category "Nope" is not in the data');
  });
});
