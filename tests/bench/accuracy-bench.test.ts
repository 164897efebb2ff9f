// `npm run bench:accuracy` end to end without Python or R (--anchors none): it reads a file
// through salescast's ingestion, runs salescast's real `backtest` CLI with the protocol's windows,
// rescores its rows (checked here against a hand computation for the naive forecast) and writes
// the tables; and it refuses a backtest --out file whose cutoffs are not the protocol's.
// Needs the build (like tests/cli/backtest.test.ts).
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../bench/accuracy-csv.js";
import { builtDistProblem } from "../built-dist.js";
import { writeSalesCsv } from "../training/helpers.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const problem = builtDistProblem(["dist/bench/accuracy.js", "dist/src/cli.js"], ["bench", "src"]);
let dir: string;

function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [command, ...args], { cwd: dir, env: { PATH: process.env.PATH }, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const tiny = ["model.conv_channels=4", "model.lstm_hidden=8", "train.max_epochs=1", "data.window_size=7"];
const windows = ["--horizon", "2", "--windows", "2", "--step", "1"];

beforeAll(async () => {
  if (problem) return;
  dir = await mkdtemp(join(tmpdir(), "salescast-bench-accuracy-test-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(root, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  // A and B: 50 days; S: 12 days, enough for the protocol's scale but too short for a network.
  await writeSalesCsv(join(dir, "sales.csv"), { categories: ["A", "B"], days: 50, shortCategories: ["S"], shortDays: 12 });
});
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

describe.skipIf(problem)(`bench:accuracy ${problem ? `(skipped: ${problem})` : ""}`, () => {
  it("rescores salescast's backtest rows with the protocol and writes the table as markdown and JSON", async () => {
    const bench = join(root, "dist/bench/accuracy.js");
    const { code, stdout, stderr } = await run(bench, [
      "--data",
      "sales.csv",
      "--name",
      "tiny",
      "--config",
      "config/config.yaml",
      "--anchors",
      "none",
      "--out-dir",
      "out",
      "--work",
      "work",
      ...windows,
      ...tiny,
    ]);
    expect(stderr).not.toMatch(/bench:accuracy:/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^tiny: 3 series \(daily\), h 2, 2 cutoffs 2024-02-16 \.\. 2024-02-17 \(S: 2024-01-09 \.\. 2024-01-10\) every 1 period/m);
    const report = JSON.parse(await readFile(join(dir, "out", "accuracy-tiny.json"), "utf8"));
    const models = report.rows.map((r: { model: string }) => r.model).sort();
    // The network's run (its variants, the baselines), the global GBDT's, then the tournament's (backtest --auto):
    // its row auto and the candidates no earlier run scored.
    expect(models).toEqual(
      expect.arrayContaining([
        "auto",
        "cnn_lstm",
        "cnn_lstm+calendar",
        "cnn_lstm_direct",
        "ets",
        "gbdt",
        "gbdt_direct",
        "holt_winters",
        "moving_average",
        "naive",
        "seasonal_naive",
      ]),
    );
    expect(new Set(models).size).toBe(models.length);
    for (const run of report.runs.slice(0, 3)) expect(run).toMatchObject({ source: "salescast", status: "ok" });
    expect(report.runs[0].command).toMatch(
      /^salescast backtest --all --config \S*config\/config.yaml --horizon 2 --windows 2 --step 1 --refit every --variants calendar,direct --out \S+ --json data.csv_path=\S*sales.csv model.conv_channels=4 .*model\.architecture=CNNLSTM$/,
    );
    expect(report.runs[1].command).toMatch(/--variants direct .*model\.architecture=gbdt$/);
    expect(report.runs[2].command).toMatch(/ --auto --out \S+ --json data.csv_path=\S*sales.csv model.conv_channels=4/);
    // S is too short for salescast's network: skipped there, so every salescast model is scored on A and B only
    expect(report.notes.some((n: string) => /^salescast skipped S: .*too short/.test(n))).toBe(true);
    expect(report.notes).toContain("naive: left out of its mean, forecasts missing or not finite on 1 series: S (0/4)");
    expect(report.verdict.text).toMatch(/no anchor ran, nothing to beat/);
    await expect(readFile(join(dir, "out", "accuracy-tiny.md"), "utf8")).resolves.toContain("| naive | salescast |");

    // The naive forecast by hand from the long CSV the anchors read: the value at the cutoff,
    // |error| over the lag-7 scale of the history up to the first cutoff (47 days), A and B.
    const long = parseCsv(await readFile(join(dir, "work", "tiny-long.csv"), "utf8"), "long");
    const expected: number[] = [];
    for (const id of ["A", "B"]) {
      const y = long.filter((r) => r.unique_id === id).map((r) => Number(r.y));
      const n = y.length;
      const first = n - 2 - 1;
      let scale = 0;
      for (let t = 7; t < first; t++) scale += Math.abs(y[t] - y[t - 7]);
      scale /= first - 7;
      let sum = 0;
      for (const seen of [first, first + 1]) for (const k of [0, 1]) sum += Math.abs(y[seen + k] - y[seen - 1]);
      expected.push(sum / 4 / scale);
    }
    const naive = report.rows.find((r: { model: string }) => r.model === "naive");
    expect(naive.series_scored).toBe(2);
    expect(naive.mean_mase).toBeCloseTo((expected[0] + expected[1]) / 2, 10);
    expect(report.per_series.A.naive).toBeCloseTo(expected[0], 10);
  });

  it("fails loudly when the backtest rows it is given were cut at other dates", async () => {
    const cli = join(root, "bin/salescast.js");
    const backtest = await run(cli, [
      "backtest",
      "--all",
      "--horizon",
      "2",
      "--windows",
      "2",
      "--step",
      "2",
      "--out",
      "other.csv",
      "data.csv_path=sales.csv",
      ...tiny,
    ]);
    expect(backtest.code).toBe(0);
    const { code, stderr } = await run(join(root, "dist/bench/accuracy.js"), [
      "--data",
      "sales.csv",
      "--name",
      "other",
      "--config",
      "config/config.yaml",
      "--anchors",
      "none",
      "--salescast-rows",
      "other.csv",
      "--out-dir",
      "out",
      ...windows,
      ...tiny,
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /bench:accuracy: salescast's backtest cutoffs differ from the anchors' for series A, model cnn_lstm: the protocol's are 2024-02-16 \.\. 2024-02-17 .*missing 2024-02-16; not in the protocol: 2024-02-15/,
    );
  });

  it("explains a wrong command line and exits 2", async () => {
    const { code, stderr } = await run(join(root, "dist/bench/accuracy.js"), ["--only", "nowhere"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--only: unknown dataset nowhere; the built-in ones are pharma, walmart.");
  });
});
