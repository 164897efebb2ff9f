// `npm run bench:stats [-- --only pharma|walmart] [--family theta|intermittent|mstl] [--no-anchors]`:
// the theta, intermittent-demand
// and MSTL families against statsforecast's AutoTheta, CrostonClassic, CrostonSBA,
// CrostonOptimized, TSB and MSTL on the shared data, with the project's accuracy protocol
// (docs/models.md): 8 cutoffs 7 days apart (the last h periods before the end; h 7 daily, 4
// weekly), refit at each cutoff, MASE scaled by the mean absolute lag-s error (s = 7 daily, 52
// weekly, lag 1 when shorter) of the history before the first cutoff, mean over series. Prints
// mean MASE and the fit-plus-forecast time of one series and cutoff on both sides, and the speed
// ratio (statsforecast's time over ours: above 1 means ours is faster). statsforecast runs through
// bench/anchors/statsforecast_run.py in the anchors venv (scripts/lib/anchors-venv.sh).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isoFromEpochDay, epochDayFromIso } from "../src/data/dates.js";
import { loadSales } from "../src/data/ingest.js";
import { protocolDatasets, type ProtocolDataset } from "./shared-data.js";
import { fitIntermittent, forecastIntermittent, type IntermittentMethod } from "../src/models/intermittent/index.js";
import { fitMstl, forecastMstl } from "../src/models/mstl/index.js";
import { fitTheta, forecastTheta } from "../src/models/theta/index.js";
import { maseScale } from "../src/models/metrics.js";
import { formatTextTable } from "../src/util/text-table.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Dataset extends ProtocolDataset {
  /** MSTL periods: the week and the year of daily data, the year of weekly data. */
  mstlPeriods: number[];
}

const DATASETS: Dataset[] = protocolDatasets().map((d) => ({ ...d, mstlPeriods: d.periodDays === 1 ? [d.season, 365] : [d.season] }));

/** One of our models: fit on the history and forecast h periods after it. */
type Ours = (y: Float64Array, d: Dataset) => Float64Array;
const intermittent =
  (method: IntermittentMethod): Ours =>
  (y, d) =>
    forecastIntermittent(fitIntermittent(y, { method }), y, d.h);

/** Family, our model, statsforecast's model name in the runner. */
const MODELS: { family: string; name: string; ours: Ours; anchor: string }[] = [
  { family: "theta", name: "AutoTheta", ours: (y, d) => forecastTheta(fitTheta(y, { seasonPeriod: d.season }), y, d.h), anchor: "autotheta" },
  { family: "intermittent", name: "Croston", ours: intermittent("croston"), anchor: "croston" },
  { family: "intermittent", name: "SBA", ours: intermittent("sba"), anchor: "sba" },
  { family: "intermittent", name: "Croston optimised", ours: intermittent("croston_optimized"), anchor: "croston_optimized" },
  {
    family: "intermittent",
    name: "TSB α 0.1, 0.1",
    ours: (y, d) => forecastIntermittent(fitIntermittent(y, { method: "tsb", alphaDemand: 0.1, alphaProbability: 0.1 }), y, d.h),
    anchor: "tsb",
  },
  { family: "intermittent", name: "TSB (ours: optimised α; sf: 0.1, 0.1)", ours: intermittent("tsb"), anchor: "tsb" },
  {
    family: "mstl",
    name: "MSTL (ours: SES/damped trend; sf: AutoETS ZZN)",
    ours: (y, d) => forecastMstl(fitMstl(y, { periods: d.mstlPeriods }), y, d.h),
    anchor: "mstl",
  },
];

interface Result {
  /** key `${series}|${window}` → forecasts */
  forecasts: Map<string, number[]>;
  /** Wall time of each fit + forecast. */
  seconds: number[];
  /** CPU time of each (user + system, process-wide): on a shared machine the wall time mostly measures the others. */
  cpuSeconds: number[];
}

function trainLengths(n: number, d: Dataset): number[] {
  return Array.from({ length: d.windows }, (_, w) => n - d.h - d.step * (d.windows - 1 - w));
}

function runOurs(model: Ours, series: Map<string, Float64Array>, d: Dataset): Result {
  const result: Result = { forecasts: new Map(), seconds: [], cpuSeconds: [] };
  // Warm-up, so V8's compilation is not timed (the runner warms statsforecast's compiled code up
  // with one fit): 20 fits on the first series' history, as the many fits of a tournament would.
  const first = [...series.values()][0];
  const warmLength = trainLengths(first.length, d)[0];
  for (let i = 0; i < 20; i++) model(first.slice(0, warmLength), d);
  for (const [id, y] of series) {
    trainLengths(y.length, d).forEach((length, w) => {
      const history = y.slice(0, length);
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const forecast = model(history, d);
      const cpu = process.cpuUsage(cpuStarted);
      result.seconds.push((performance.now() - started) / 1000);
      result.cpuSeconds.push((cpu.user + cpu.system) / 1e6);
      result.forecasts.set(`${id}|${w}`, Array.from(forecast));
    });
  }
  return result;
}

function runAnchors(series: Map<string, { start: string; values: Float64Array }>, d: Dataset, models: typeof MODELS): Map<string, Result> | undefined {
  const python = resolve(root, ".venv-anchors/bin/python");
  const made = spawnSync("bash", [resolve(root, "scripts/lib/anchors-venv.sh")], { stdio: ["ignore", "pipe", "inherit"] });
  if (made.status !== 0) {
    console.log("statsforecast skipped: the anchors venv could not be made (see above)");
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "salescast-bench-stats-"));
  try {
    const lines = ["unique_id,ds,y"];
    for (const [id, s] of series) {
      const first = epochDayFromIso(s.start)!;
      s.values.forEach((value, t) => lines.push(`${id},${isoFromEpochDay(first + t * d.periodDays)},${value}`));
    }
    writeFileSync(join(dir, "in.csv"), lines.join("\n") + "\n");
    const args = [
      resolve(root, "bench/anchors/statsforecast_run.py"),
      join(dir, "in.csv"),
      join(dir, "out.csv"),
      String(d.h),
      String(d.windows),
      String(d.step),
      d.mstlPeriods.join("+"),
      [...new Set(models.map((m) => m.anchor))].join(","),
      join(dir, "times.csv"),
    ];
    const run = spawnSync(python, args, { stdio: ["ignore", "inherit", "inherit"] });
    if (run.status !== 0) throw new Error(`statsforecast runner failed (exit ${run.status})`);
    const results = new Map<string, Result>();
    const resultOf = (model: string) => results.get(model) ?? (results.set(model, { forecasts: new Map(), seconds: [], cpuSeconds: [] }), results.get(model)!);
    // Cutoffs come back as dates; number them per series in order (oldest first).
    const windowOf = new Map<string, number>();
    for (const row of readCsv(join(dir, "times.csv"))) {
      const key = `${row.unique_id}|${row.cutoff}`;
      if (!windowOf.has(key)) windowOf.set(key, [...windowOf.keys()].filter((k) => k.startsWith(`${row.unique_id}|`)).length);
      resultOf(row.model).seconds.push(Number(row.seconds));
      resultOf(row.model).cpuSeconds.push(Number(row.cpu_seconds));
    }
    for (const row of readCsv(join(dir, "out.csv"))) {
      const key = `${row.unique_id}|${windowOf.get(`${row.unique_id}|${row.cutoff}`)}`;
      const forecasts = resultOf(row.model).forecasts;
      forecasts.set(key, [...(forecasts.get(key) ?? []), Number(row.y_hat)]);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readCsv(path: string): Record<string, string>[] {
  const [header, ...rows] = readFileSync(path, "utf8").trim().split("\n");
  const columns = header.split(",");
  return rows.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [columns[i], cell])));
}

/** Mean over series of MASE (all windows and steps of a series pooled). */
function meanMase(result: Result, series: Map<string, Float64Array>, d: Dataset): number {
  const scores: number[] = [];
  for (const [id, y] of series) {
    const lengths = trainLengths(y.length, d);
    const scale = maseScale(y.subarray(0, lengths[0]), d.season);
    let sum = 0;
    let count = 0;
    lengths.forEach((length, w) => {
      const forecast = result.forecasts.get(`${id}|${w}`);
      if (!forecast) throw new Error(`no forecast for ${id} window ${w}`);
      for (let k = 0; k < d.h; k++) {
        sum += Math.abs(y[length + k] - forecast[k]);
        count++;
      }
    });
    if (scale > 0) scores.push(sum / count / scale);
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** MSTL's forecast of the weeks after the data's end (late October for walmart): the Christmas peak must show. */
function christmasPeak(series: { category: string; start: string; values: Float64Array }, d: Dataset): string {
  const weeks = 10;
  const forecast = forecastMstl(fitMstl(series.values, { periods: [52.18] }), series.values, weeks);
  const end = epochDayFromIso(series.start)! + (series.values.length - 1) * d.periodDays;
  const cells = Array.from(forecast, (value, k) => `${isoFromEpochDay(end + (k + 1) * d.periodDays)} ${Math.round(value)}`);
  return `MSTL [52.18] forecast of ${d.name} series ${series.category} after ${isoFromEpochDay(end)}:\n  ${cells.join("\n  ")}`;
}

const meanMs = (seconds: number[]) => (seconds.reduce((a, b) => a + b, 0) / seconds.length) * 1000;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
  const anchors = !args.includes("--no-anchors");
  const family = args.includes("--family") ? args[args.indexOf("--family") + 1] : undefined;
  const models = MODELS.filter((m) => !family || m.family === family);
  if (models.length === 0) throw new Error(`--family ${family}: no such family; use theta, intermittent or mstl`);
  const rows: (string | number)[][] = [];
  let peak = "";
  for (const d of DATASETS.filter((x) => !only || x.name === only)) {
    const data = await loadSales(d.settings);
    const series = new Map(data.series.map((s) => [s.category, s.values]));
    console.log(`${d.name}: ${series.size} series, ${data.series[0].values.length} periods; h ${d.h}, ${d.windows} windows ${d.step} periods apart`);
    const anchor = anchors ? runAnchors(new Map(data.series.map((s) => [s.category, { start: s.start, values: s.values }])), d, models) : undefined;
    if (d.name === "walmart" && models.some((m) => m.family === "mstl")) peak = christmasPeak(data.series[0], d);
    for (const model of models) {
      const ours = runOurs(model.ours, series, d);
      const theirs = anchor?.get(`sf_${model.anchor}`);
      const oursMs = meanMs(ours.cpuSeconds);
      const theirMs = theirs ? meanMs(theirs.cpuSeconds) : Number.NaN;
      rows.push([
        d.name,
        model.family,
        model.name,
        meanMase(ours, series, d).toFixed(3),
        theirs ? meanMase(theirs, series, d).toFixed(3) : "-",
        oursMs.toFixed(2),
        theirs ? theirMs.toFixed(2) : "-",
        theirs ? `${(theirMs / oursMs).toFixed(1)}x` : "-",
        meanMs(ours.seconds).toFixed(2),
        theirs ? meanMs(theirs.seconds).toFixed(2) : "-",
      ]);
    }
  }
  if (peak) console.log(`\n${peak}`);
  console.log();
  console.log(
    formatTextTable(["data", "family", "model", "MASE ours", "MASE sf", "cpu ms ours", "cpu ms sf", "sf/ours", "wall ms ours", "wall ms sf"], rows, {
      textColumns: 3,
    }),
  );
  console.log(
    "\nms: mean fit + forecast time of one series at one cutoff, CPU (user + system) and wall; statsforecast timed in its own process,\n" +
      "both after a warm-up (statsforecast: one fit; ours: 20, V8 optimises code only once it has run). sf/ours: statsforecast's CPU\n" +
      "time over ours (above 1: ours is faster).",
  );
}

await main();
