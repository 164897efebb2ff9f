// The `salescast` command as a user runs it: a real process, real files, exit codes and output.
// Needs the build (npm test runs it first through the pretest script).
import { mkdtemp, readFile, rm, writeFile, mkdir, copyFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nativeBackendProblem } from "../../src/engine/index.js";
import { camelCaseKeys } from "./json-keys.js";
import { runCli, type CliRun } from "./run-cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const nativeLoads = nativeBackendProblem() === undefined;
let dir: string;

function salescast(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(dir, args, { env });
}

// A small, fast configuration: the shipped file plus tiny model settings via overrides.
const tiny = ["model.conv_channels=4", "model.lstm_hidden=8", "train.max_epochs=2", "data.window_size=7"];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-cli-"));
  await mkdir(join(dir, "config"));
  await copyFile(join(root, "config", "config.yaml"), join(dir, "config", "config.yaml"));
  await writeFile(
    join(dir, "small.csv"),
    ["Date,Product Category,Total Amount", "2024-01-01,A,10", "2024-01-03,A,30", "2024-01-01,B,5", "2024-01-02,B,7", "2024-01-02,B,1"].join("\n") + "\n",
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("salescast --help and usage", () => {
  it("lists every command with one line each", async () => {
    const { code, stdout } = await salescast(["--help"]);
    expect(code).toBe(0);
    for (const name of ["start", "demo-data", "ingest", "train", "evaluate", "runs", "predict", "export", "serve", "backtest"]) {
      expect(stdout).toMatch(new RegExp(`^  ${name} .*\\S`, "m"));
    }
  });
  it("prints the version", async () => {
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { version: string };
    const { code, stdout } = await salescast(["--version"]);
    expect(code).toBe(0);
    const [first, second] = stdout.trim().split("\n");
    expect(first).toBe(`salescast ${pkg.version}`);
    expect(second).toMatch(nativeLoads ? /^engine backend: native \(C\+\+ addon, / : /^engine backend: reference \(TypeScript; native backend unavailable: /);
  });
  it("--version names the backend engine.backend chooses, from the config file's layers", async () => {
    const forced = await salescast(["--version"], { SALESCAST__ENGINE__BACKEND: "reference" });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      nativeLoads
        ? /^engine backend: reference \(TypeScript; chosen by engine\.backend: reference, the native backend is available\)$/m
        : /^engine backend: reference \(TypeScript; native backend unavailable/m,
    );
    // The old variable and the old name still work, each with a deprecation message on stderr.
    const legacy = await salescast(["--version"], { SALESCAST_BACKEND: "fast" });
    expect(legacy.code).toBe(0);
    expect(legacy.stderr).toContain("warning: SALESCAST_BACKEND is deprecated: use SALESCAST__ENGINE__BACKEND");
    expect(legacy.stderr).toContain('engine.backend: "fast" is the old name of the native backend; write "native"');
    expect(legacy.stdout).toMatch(nativeLoads ? /^engine backend: native \(/m : /^engine backend: none \(The native engine backend cannot be used/m);
  });
  it("a command reads the old app.inference as engine.backend, saying so on stderr", async () => {
    const { code, stderr } = await salescast(["ingest", "data.csv_path=small.csv", "app.inference=reference"]);
    expect(code).toBe(0);
    expect(stderr).toContain(
      "warning: the command line: app.inference is replaced by engine.backend; read app.inference: reference as engine.backend: reference",
    );
  });
  it("runs --help lists its own arguments one by one (not 'action] [id] [overrides')", async () => {
    const { code, stdout } = await salescast(["runs", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: salescast runs [options] [action] [id] [overrides...]");
    expect(stdout).toMatch(/^ {2}action +list \(the default\), show or sync$/m);
    expect(stdout).toMatch(/^ {2}id +the run id, for show$/m);
    expect(stdout).not.toMatch(/^ +action\] \[id\] \[overrides/m);
    const tooMany = await salescast(["runs", "show", "abc", "def"]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain('unexpected argument "def"');
  });
  it("backtest refuses a variant that would only copy the configured network", async () => {
    // The network's variants: with model.architecture auto (the shipped default) --variants is refused altogether.
    const auto = await salescast(["backtest", "--variants", "direct", "--horizon", "3"]);
    expect(auto.code).toBe(2);
    expect(auto.stderr).toContain("--variants is for one configured model");
    const direct = await salescast(["backtest", "--variants", "direct", "--horizon", "1", "model.architecture=CNNLSTM"]);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toContain("the direct variant needs --horizon 2 or more");
    const already = await salescast(["backtest", "--variants", "direct", "--horizon", "3", "model.horizon=3", "model.architecture=CNNLSTM"]);
    expect(already.code).toBe(2);
    expect(already.stderr).toContain("model.horizon is already 3");
  });
  it("exits 2 on an unknown command or a stray argument", async () => {
    expect((await salescast(["fly"])).code).toBe(2);
    const stray = await salescast(["ingest", "window_size"]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('unexpected argument "window_size"');
  });
});

describe("salescast ingest", () => {
  it("prints one JSON object on stdout with --json, logs apart", async () => {
    const { code, stdout } = await salescast(["ingest", "--json", "data.csv_path=small.csv"]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.categories).toEqual([
      expect.objectContaining({ category: "A", start: "2024-01-01", end: "2024-01-03", periods: 3, filled_periods: 1, total: 40 }),
      expect.objectContaining({ category: "B", start: "2024-01-01", end: "2024-01-02", periods: 2, filled_periods: 0, total: 13 }),
    ]);
    expect(summary.overall).toEqual({ start: "2024-01-01", end: "2024-01-03", periods: 3, filled_periods: 1, total: 53 });
    expect(camelCaseKeys(summary)).toEqual([]);
  });
  it("refuses a bad override before any work, naming the key", async () => {
    const { code, stdout, stderr } = await salescast(["ingest", "--json", "data.csv_path=small.csv", "data.windowsize=3"]);
    expect(code).toBe(1);
    expect(stderr).toContain("data.windowsize: unknown key");
    expect(JSON.parse(stdout)).toMatchObject({ error: "ConfigError" });
  });
  it("reads overrides from the environment", async () => {
    const { code, stderr } = await salescast(["ingest"], { SALESCAST__DATA__CSV_PATH: "absent.csv" });
    expect(code).toBe(1);
    expect(stderr).toContain("absent.csv");
  });
  it("names the columns found when a column is missing", async () => {
    const { code, stderr } = await salescast(["ingest", "data.csv_path=small.csv", "data.value_column=Revenue"]);
    expect(code).toBe(1);
    expect(stderr).toContain("Revenue");
    expect(stderr).toContain("Total Amount");
  });
});

describe("salescast demo-data", () => {
  it("writes the same bytes for the same seed", async () => {
    const first = await salescast(["demo-data", "--json", "--out", "one.csv", "--seed", "7", "--days", "30"]);
    const second = await salescast(["demo-data", "--json", "--out", "two.csv", "--seed", "7", "--days", "30"]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(JSON.parse(first.stdout)).toMatchObject({ seed: 7 });
    expect(JSON.parse(first.stdout).rows).toBeGreaterThan(30 * 3);
    expect(await readFile(join(dir, "one.csv"))).toEqual(await readFile(join(dir, "two.csv")));
  });
  it("refuses a seed that is not a whole number", async () => {
    const { code, stderr } = await salescast(["demo-data", "--seed", "x1"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--seed must be a whole number");
  });
  it("--shape catalogue writes a store x item catalogue that ingest reads with data.series_key and data.hierarchy", async () => {
    const written = await salescast([
      "demo-data",
      "--json",
      "--shape",
      "catalogue",
      "--stores",
      "2",
      "--items",
      "10",
      "--days",
      "60",
      "--out",
      "catalogue.parquet",
    ]);
    expect(written.code, written.stderr).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ series: 20, format: "parquet", seed: 42 });
    const keyed = [
      "data.csv_path=catalogue.parquet",
      "data.date_column=date",
      "data.value_column=sales",
      "data.series_key=[store_id, item_id]",
      "data.hierarchy=[[], [store_id]]",
    ];
    const ingest = await salescast(["ingest", ...keyed]);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain("20 series keyed by store_id + item_id");
    expect(ingest.stdout).toContain("levels: total (1), store_id (2)");
    expect(ingest.stdout).toContain("CA_1/FOODS_1_001");
    const unknown = await salescast(["ingest", ...keyed, "data.hierarchy=[[region]]"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Column "region" (data.hierarchy) not found');
  });
  it("--shape catalogue refuses standard output and flags of the other shape", async () => {
    const stdout = await salescast(["demo-data", "--shape", "catalogue", "--out", "-"]);
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toContain("give --out a file name");
    const stores = await salescast(["demo-data", "--stores", "3"]);
    expect(stores.code).toBe(2);
    expect(stores.stderr).toContain("--stores is for --shape catalogue");
  });
});

describe("the main job: salescast start", () => {
  it("writes the demo data, trains the default category, then finds it registered", async () => {
    const first = await salescast(["start", "--no-serve", ...tiny]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("writing the demo data");
    expect(first.stderr).toMatch(/Beauty: ok .*registered as version 1/);
    expect(await readdir(join(dir, "data", "raw"))).toContain("sales_data.csv");

    const second = await salescast(["start", "--no-serve", ...tiny]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("Beauty: version 1 is registered");

    const runs = await salescast(["runs", "--json"]);
    const [run] = JSON.parse(runs.stdout).runs;
    // The shipped config trains with architecture auto: the run is named after the champion.
    expect(JSON.parse(runs.stdout).runs).toEqual([expect.objectContaining({ run_name: expect.stringMatching(/^auto-[a-z_]+-Beauty$/), status: "FINISHED" })]);
    expect(camelCaseKeys(JSON.parse(runs.stdout))).toEqual([]);
    const shown = await salescast(["runs", "show", run.run_id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`run ${run.run_id} (${run.run_name}) in experiment sales-forecast: FINISHED`);
    // --json prints the run as GET /api/runs/{id} does.
    const shownJson = JSON.parse((await salescast(["runs", "show", run.run_id, "--json"])).stdout);
    expect(shownJson).toEqual(run);
    expect(shownJson).toMatchObject({ experiment_name: "sales-forecast", end_time: expect.any(Number), error: null });
    expect(shownJson.metrics.val_mase).toEqual(expect.any(Number));
    expect(shown.stdout).toMatch(/val_mase = /);
    expect((await salescast(["runs", "show", "0123456789abcdef0123456789abcdef"])).code).toBe(1);
    expect((await salescast(["runs", "frobnicate"])).code).toBe(2);

    const predicted = await salescast(["predict", "--json", "--horizon", "3", ...tiny]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const answer = JSON.parse(predicted.stdout);
    expect(answer.forecast).toHaveLength(3);
    expect(answer.series).toHaveLength(7);
    expect(answer.predicted_sales).toBe(answer.forecast[0]);
    expect(camelCaseKeys(answer)).toEqual([]);

    const banded = await salescast(["predict", "--json", "--level", "80,95", ...tiny]);
    expect(banded.code, banded.stderr).toBe(0);
    const bands = JSON.parse(banded.stdout);
    expect(bands.intervals.map((band: { level: number }) => band.level)).toEqual([80, 95]);
    const [eighty, ninetyFive] = bands.intervals as Array<{ lower: number[]; upper: number[] }>;
    expect(eighty.lower[0]).toBeLessThan(bands.forecast[0]);
    expect(eighty.upper[0]).toBeGreaterThan(bands.forecast[0]);
    expect(ninetyFive.upper[0] - ninetyFive.lower[0]).toBeGreaterThan(eighty.upper[0] - eighty.lower[0]);
    const badLevel = await salescast(["predict", "--level", "80,x", ...tiny]);
    expect(badLevel.code).toBe(2);
    expect(badLevel.stderr).toContain('--level value 2 ("x") is not a number');

    const wrong = await salescast(["predict", "--series", "1,2,3"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("Series must contain exactly 7 values");
    // The shipped config runs the whole tournament twice here (about 25 s on an idle machine): the
    // default minute is too short on a loaded two-core machine, where it ran out in a CI dry run.
  }, 240_000);
  it("does not invent data for a file the user named", async () => {
    const { code, stderr } = await salescast(["start", "--no-serve", "data.csv_path=mine.csv"]);
    expect(code).toBe(1);
    expect(stderr).toContain("sales file not found: mine.csv");
  });
});
