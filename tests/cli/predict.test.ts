// `salescast predict` as a user runs it (needs the build): every step carries its date, and a
// model trained with covariates (model.features.covariates) forecasts from the command line
// with --covariates, inline or from a file, the window's values coming from the sales file.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCliProblem } from "../reliability/helpers.js";
import { runCli, type CliRun } from "./run-cli.js";

const problem = builtCliProblem();
let dir: string;
const WINDOW = 7;
const DAYS = 90;

function salescast(args: string[]): Promise<CliRun> {
  return runCli(dir, [...args, ...(args.includes("--config") ? [] : ["--config", "config.yaml"])]);
}

/** Daily sales of A (with a Promo flag that lifts them) and B, 2024-01-01 .. +DAYS. */
async function writeData(): Promise<void> {
  const lines = ["Date,Product Category,Total Amount,Promo"];
  for (let i = 0; i < DAYS; i++) {
    const date = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const promo = i % 9 < 2 ? 1 : 0;
    lines.push(`${date},A,${(100 + 20 * Math.sin(i) + 60 * promo).toFixed(2)},${promo}`, `${date},B,${(50 + (i % 7)).toFixed(2)},0`);
  }
  await writeFile(join(dir, "sales.csv"), `${lines.join("\n")}\n`);
}

const LAST = "2024-03-30"; // day DAYS - 1

beforeAll(async () => {
  if (problem) return;
  dir = await mkdtemp(join(tmpdir(), "salescast-predict-"));
  await writeData();
  const base = [
    `data: {csv_path: sales.csv, window_size: ${WINDOW}, batch_size: 8, item_id: B}`,
    "train: {max_epochs: 2, patience: 100}",
    "tracking: {uri: mlruns}",
  ];
  await writeFile(join(dir, "config.yaml"), [...base, "model: {architecture: CNNLSTM, conv_channels: 4, lstm_hidden: 8}", ""].join("\n"));
  // The covariate model gets its own registry, so both models live side by side.
  await writeFile(
    join(dir, "promo.yaml"),
    [
      ...base.map((line) => line.replace("item_id: B", "item_id: A")),
      "model: {architecture: CNNLSTM, conv_channels: 4, lstm_hidden: 8, features: {covariates: [Promo]}}",
      "",
    ].join("\n"),
  );
  const plain = await salescast(["train", "--json"]);
  expect(plain.code, plain.stderr).toBe(0);
  const promo = await salescast(["train", "--json", "--config", "promo.yaml", "train.checkpoint_path=promo/model.ckpt"]);
  expect(promo.code, promo.stderr).toBe(0);
}, 180_000);
afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

const promo = ["--config", "promo.yaml", "train.checkpoint_path=promo/model.ckpt"];

describe.skipIf(problem)(`predict dates and covariates${problem ? ` (skipped: ${problem})` : ""}`, () => {
  it("dates every step from the data's last date, in JSON and in the text table", async () => {
    const json = await salescast(["predict", "--json", "--horizon", "3", "--level", "80"]);
    expect(json.code, json.stderr).toBe(0);
    const answer = JSON.parse(json.stdout);
    expect(answer).toMatchObject({ category: "B", frequency: "D", last_date: LAST, dates: ["2024-03-31", "2024-04-01", "2024-04-02"] });
    expect(answer.forecast).toHaveLength(3);

    const text = await salescast(["predict", "--horizon", "3", "--level", "80"]);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`B (version 1): 3 days ahead of ${LAST}`);
    expect(lines[1]).toMatch(/^date\s+forecast\s+80% interval$/);
    expect(lines.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(["2024-03-31", "2024-04-01", "2024-04-02"]);
    expect(lines[2]).toContain(answer.forecast[0].toFixed(2));
  });

  it("dates a given window from --last-date, and says how to date it without one", async () => {
    const series = ["--series", "50,51,52,53,54,55,56"];
    const dated = await salescast(["predict", "--json", "--horizon", "2", ...series, "--last-date", "2024-02-28"]);
    expect(dated.code, dated.stderr).toBe(0);
    expect(JSON.parse(dated.stdout).dates).toEqual(["2024-02-29", "2024-03-01"]);
    const undated = await salescast(["predict", "--horizon", "2", ...series]);
    expect(undated.code, undated.stderr).toBe(0);
    expect(undated.stdout).toContain("add --last-date YYYY-MM-DD to date them");
    expect(undated.stdout).toMatch(/^\+1\s/m);
    const bad = await salescast(["predict", ...series, "--last-date", "28/02/2024"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--last-date must be a date written YYYY-MM-DD, got "28/02/2024"');
  });

  it("a covariate model without --covariates says which forecast dates need values and how to give them", async () => {
    const ran = await salescast(["predict", "--horizon", "3", ...promo]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("the A model reads covariates (Promo); no value of Promo for the forecast periods 2024-03-31 .. 2024-04-02 (3 dates)");
    expect(ran.stderr).toContain("--covariates Promo=v1,v2,v3 or --covariates plan.csv");
  });

  it("takes the forecast periods inline and the window's values from the sales file", async () => {
    const ran = await salescast(["predict", "--json", "--horizon", "3", "--covariates", "Promo=1,0,0", ...promo]);
    expect(ran.code, ran.stderr).toBe(0);
    const answer = JSON.parse(ran.stdout);
    // Days 83..89 of the file: promo when i % 9 < 2 (days 81, 82, 90, 91 ...): none in the window.
    expect(answer.covariates.Promo).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(answer.dates).toEqual(["2024-03-31", "2024-04-01", "2024-04-02"]);

    const quiet = await salescast(["predict", "--json", "--horizon", "3", "--covariates", "Promo=0,0,0", ...promo]);
    expect(JSON.parse(quiet.stdout).forecast).not.toEqual(answer.forecast); // the covariate reaches the network
  });

  it("reads a covariate file by date, giving the same forecast as the same values inline", async () => {
    await writeFile(join(dir, "plan.csv"), "Date,Promo\n2024-04-02,0\n2024-03-31,1\n2024-04-01,0\n2025-01-01,1\n");
    const fromFile = await salescast(["predict", "--json", "--horizon", "3", "--covariates", "plan.csv", ...promo]);
    const inline = await salescast(["predict", "--json", "--horizon", "3", "--covariates", "Promo=1,0,0", ...promo]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(JSON.parse(fromFile.stdout).forecast).toEqual(JSON.parse(inline.stdout).forecast);

    await writeFile(join(dir, "short.csv"), "Date,Promo\n2024-03-31,1\n");
    const short = await salescast(["predict", "--horizon", "3", "--covariates", "short.csv", ...promo]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("no value of Promo for the forecast periods 2024-04-01 .. 2024-04-02 (2 dates)");

    await writeFile(join(dir, "bad.csv"), "Date,Promo\n2024-03-31,yes\n");
    const bad = await salescast(["predict", "--covariates", "bad.csv", ...promo]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('data row 1: "yes" in column "Promo" is not a number');
    const noColumn = await salescast(["predict", "--covariates", "sales.csv", ...promo.slice(0, 2), "data.date_column=Total Amount", promo[2]]);
    expect(noColumn.code).toBe(1);
  });

  it("refuses covariates of the wrong length, unknown names, and covariates for a model without", async () => {
    const wrongLength = await salescast(["predict", "--horizon", "3", "--covariates", "Promo=1,0", ...promo]);
    expect(wrongLength.code).toBe(2);
    expect(wrongLength.stderr).toContain("--covariates Promo has 2 values: give 3 (the forecast periods 2024-03-31 .. 2024-04-02 (3 dates)) or 10");
    const unknown = await salescast(["predict", "--covariates", "Price=1", ...promo]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--covariates Price: the A model reads Promo");
    const notNumber = await salescast(["predict", "--covariates", "Promo=x", ...promo]);
    expect(notNumber.code).toBe(2);
    expect(notNumber.stderr).toContain('--covariates Promo: value 1 ("x") is not a number');
    const plain = await salescast(["predict", "--covariates", "Promo=1"]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("the B model reads no covariates");
  });

  it("with --series and no --last-date, needs the window's values too (all T + H)", async () => {
    const series = ["--series", "100,101,102,103,104,105,106"];
    const short = await salescast(["predict", ...series, "--covariates", "Promo=1", ...promo]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("the window has no dates, so give 8 values per covariate");
    const full = await salescast(["predict", "--json", ...series, "--covariates", "Promo=0,0,0,0,0,0,0,1", ...promo]);
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).dates).toBeUndefined();
  });
});

describe.skipIf(problem)("a Holt-Winters model from the command line", () => {
  const hw = ["train.checkpoint_path=hw/model.ckpt"];

  it("trains, registers, predicts from the data's last window like the network, and is promoted like any version", async () => {
    const { readFile } = await import("node:fs/promises");
    const { forecastAdditiveHoltWinters } = await import("../../src/models/holt_winters/holt-winters.js");
    const trained = await salescast(["train", "--json", "model.architecture=holt_winters", ...hw]);
    expect(trained.code, trained.stderr).toBe(0);
    const [result] = JSON.parse(trained.stdout).categories;
    expect(result).toMatchObject({ category: "B", status: "ok", model: "holt_winters", version: 1 });
    expect(trained.stderr).toMatch(
      /B: ok in [\d.]+s: MASE \S+ \(seasonal naive \S+\), Holt-Winters: α [\d.]+, β [\d.]+, additive season 7, γ [\d.]+, registered as version 1/,
    );
    const meta = JSON.parse(await readFile(join(result.checkpoint_dir, "model.json"), "utf8"));
    const history = Float64Array.from(meta.model.state.history.values);
    expect(history).toHaveLength(DAYS);

    const predicted = await salescast(["predict", "--json", "--horizon", "2", ...hw]);
    expect(predicted.code, predicted.stderr).toBe(0);
    const answer = JSON.parse(predicted.stdout);
    expect(answer).toMatchObject({ category: "B", version: 1, last_date: LAST, dates: ["2024-03-31", "2024-04-01"] });
    expect(answer.forecast).toEqual(Array.from(forecastAdditiveHoltWinters(meta.model.state, history, 2)));
    // --series: the window in place of the history's last 7 days.
    const series = [60, 61, 62, 63, 64, 65, 66];
    const given = JSON.parse((await salescast(["predict", "--json", "--series", series.join(","), ...hw])).stdout);
    expect(given.predicted_sales).toBe(
      forecastAdditiveHoltWinters(meta.model.state, Float64Array.from([...history.subarray(0, DAYS - WINDOW), ...series]), 1)[0],
    );

    // A network version beside it, then promotion picks which one serves.
    expect((await salescast(["train", "--json", ...hw])).code).toBe(0);
    const network = JSON.parse((await salescast(["predict", "--json", "--series", series.join(","), ...hw])).stdout);
    expect(network.version).toBe(2);
    expect((await salescast(["promote", "--category", "B", "--version", "1", ...hw])).code).toBe(0);
    const promoted = JSON.parse((await salescast(["predict", "--json", "--series", series.join(","), ...hw])).stdout);
    expect(promoted).toMatchObject({ version: 1, predicted_sales: given.predicted_sales });
  }, 120_000);
});
