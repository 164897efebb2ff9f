// AutoARIMA benchmark: salescast's src/models/arima against statsforecast's AutoARIMA and R's
// forecast::auto.arima on the shared pharma (daily) and walmart (weekly) data, by the project's
// accuracy protocol (notes/MODEL-LIBS.md): 8 cutoffs, the last h periods before the end, refit
// at each; h 7 every 7 days for daily data, h 4 every week for weekly; MASE scaled by the mean
// absolute lag-s error (s 7 daily, 52 weekly; lag 1 for a shorter history) of the history
// before the first cutoff; mean MASE over series. Speed is fitting (and forecasting) time per
// fit, wall and CPU: on a machine shared with other work the CPU time is the fairer figure.
// The anchors run as child processes beside salescast's fits (three processes at once), so
// the wall times include waiting for a core; CPU times are each side's own.
//
//   npm run bench:arima
//   node dist/bench/arima.js --datasets walmart --series 10 --no-r
//
// Options: --data-dir DIR (default ../shared/data), --datasets pharma,walmart, --series N (the
// first N of each dataset), --windows W (default 8), --no-r, --no-statsforecast, --json.
// statsforecast runs in the virtual environment scripts/lib/anchors-venv.sh makes (made here
// when absent); R needs Rscript with the forecast package.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { csvCell } from "../src/data/csv-cell.js";
import { loadSales, periodDates } from "../src/data/ingest.js";
import { openSource } from "../src/data/source.js";
import type { CategorySeries, DataSettings } from "../src/data/types.js";
import { fitArima, forecastArima, type ArimaSpec } from "../src/models/arima/index.js";
import { formatTextTable } from "../src/util/text-table.js";
import { backtestCutoffs } from "../src/backtest/windows.js";
import { maseScale } from "../src/models/metrics.js";
import { pharmaDaily, walmartWeekly } from "./shared-data.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Dataset {
  name: string;
  settings: DataSettings;
  h: number;
  step: number;
  season: number;
}

function datasets(dataDir: string): Dataset[] {
  return [
    {
      name: "pharma",
      settings: pharmaDaily(dataDir),
      h: 7,
      step: 7,
      season: 7,
    },
    {
      name: "walmart",
      settings: walmartWeekly(dataDir),
      h: 4,
      step: 1,
      season: 52,
    },
  ];
}

/** Forecasts keyed `series|cutoff index|step` (cutoff index 0 = oldest). */
type Forecasts = Map<string, number>;

interface Timing {
  seconds: number;
  cpuSeconds: number;
  fits: number;
}

interface ModelRun {
  model: string;
  forecasts: Forecasts;
  timing: Timing;
}

function ours(series: CategorySeries[], cutoffs: number[][], d: Dataset): ModelRun & { specs: Map<string, number> } {
  const forecasts: Forecasts = new Map();
  const specs = new Map<string, number>();
  let seconds = 0;
  let cpuSeconds = 0;
  series.forEach((s, i) => {
    cutoffs[i].forEach((cutoff, w) => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const history = s.values.subarray(0, cutoff);
      const fit = fitArima(history, { period: d.season });
      const mean = forecastArima(fit, history, d.h);
      const used = process.cpuUsage(cpu);
      seconds += (performance.now() - started) / 1000;
      cpuSeconds += (used.user + used.system) / 1e6;
      mean.forEach((v, k) => forecasts.set(`${s.category}|${w}|${k}`, v));
      const key = label(fit.spec);
      specs.set(key, (specs.get(key) ?? 0) + 1);
    });
  });
  return { model: "salescast", forecasts, timing: { seconds, cpuSeconds, fits: series.length * cutoffs[0].length }, specs };
}

function label(s: ArimaSpec): string {
  return `(${s.p},${s.d},${s.q})${s.P + s.D + s.Q > 0 ? `(${s.P},${s.D},${s.Q})` : ""}${s.constant ? (s.d + s.D === 0 ? "+mean" : "+drift") : ""}`;
}

/** Runs a command to its end; resolves with its exit code and the tail of its standard error. */
function run(command: string, args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on("error", (error) => done({ status: null, stderr: error.message }));
    child.on("close", (status) => done({ status, stderr }));
  });
}

/**
 * Runs an anchor runner (bench/anchors/: `RUNNER IN.csv OUT.csv H WINDOWS STEP SEASON MODELS
 * TIMINGS.csv`) on the long CSV and reads its forecasts and per-fit timings back. The runner is
 * started at once and runs beside salescast's own fits: each side's CPU time is its own.
 */
async function anchor(
  name: string,
  command: string,
  args: string[],
  work: string,
  series: CategorySeries[],
  cutoffDates: Map<string, string[]>,
): Promise<ModelRun | string> {
  const output = join(work, `${name}.csv`);
  const timingPath = join(work, `${name}-timings.csv`);
  const [script, input, ...rest] = args;
  const finished = await run(command, [script, input, output, ...rest, timingPath]);
  if (finished.status !== 0) return `${name} failed (exit ${finished.status}): ${finished.stderr.trim().slice(-600)}`;
  const forecasts: Forecasts = new Map();
  let model = "";
  const timing: Timing = { seconds: 0, cpuSeconds: 0, fits: 0 };
  for (const [path, read] of [
    [
      timingPath,
      (r: Record<string, unknown>) => {
        timing.seconds += Number(r.seconds);
        timing.cpuSeconds += Number(r.cpu_seconds);
        timing.fits++;
      },
    ],
    [output, (r: Record<string, unknown>) => (model = String(r.model))],
  ] as const) {
    const source = await openSource(path);
    try {
      const rows = (await source.connection.runAndReadAll(`SELECT * FROM ${source.relation}`)).getRowObjectsJS();
      rows.forEach(read);
      if (path === output) readForecasts(rows, forecasts, cutoffDates);
    } finally {
      source.close();
    }
  }
  const expected = series.length * (cutoffDates.values().next().value?.length ?? 0);
  if (forecasts.size === 0 || timing.fits !== expected) return `${name}: ran ${timing.fits} fits, expected ${expected}`;
  return { model: `${name} ${model}`, forecasts, timing };
}

/** Output rows (unique_id, cutoff, ds, y_hat) into forecasts keyed by series, cutoff index and step. */
function readForecasts(rows: Record<string, unknown>[], forecasts: Forecasts, cutoffDates: Map<string, string[]>): void {
  // Steps are counted per (series, cutoff) in date order.
  const ordered = rows
    .map((r) => ({ id: String(r.unique_id), cutoff: String(r.cutoff), ds: String(r.ds), y: Number(r.y_hat) }))
    .sort((a, b) => (a.id === b.id ? (a.cutoff === b.cutoff ? a.ds.localeCompare(b.ds) : a.cutoff.localeCompare(b.cutoff)) : a.id.localeCompare(b.id)));
  let previous = "";
  let k = 0;
  for (const r of ordered) {
    const key = `${r.id}|${r.cutoff}`;
    k = key === previous ? k + 1 : 0;
    previous = key;
    const w = cutoffDates.get(r.id)?.indexOf(r.cutoff) ?? -1;
    if (w >= 0) forecasts.set(`${r.id}|${w}|${k}`, r.y);
  }
}

/** Mean over series of each series' MASE over all windows and steps (NaN forecasts count as missing). */
function meanMase(run: ModelRun, series: CategorySeries[], cutoffs: number[][], d: Dataset): { mase: number; missing: number } {
  let total = 0;
  let counted = 0;
  let missing = 0;
  series.forEach((s, i) => {
    const scale = maseScale(s.values.subarray(0, cutoffs[i][0]), d.season);
    if (!(scale > 0)) return;
    let sum = 0;
    let n = 0;
    cutoffs[i].forEach((cutoff, w) => {
      for (let k = 0; k < d.h; k++) {
        const v = run.forecasts.get(`${s.category}|${w}|${k}`);
        if (v === undefined || !Number.isFinite(v)) {
          missing++;
          continue;
        }
        sum += Math.abs(s.values[cutoff + k] - v);
        n++;
      }
    });
    if (n > 0) {
      total += sum / n / scale;
      counted++;
    }
  });
  return { mase: total / counted, missing };
}

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

async function main(): Promise<void> {
  const dataDir = resolve(option("data-dir", join(ROOT, "../shared/data")));
  const wanted = option("datasets", "pharma,walmart").split(",");
  const limit = Number(option("series", "0"));
  const windows = Number(option("windows", "8"));
  // The anchors venv (made once by scripts/lib/anchors-venv.sh, which prints its Python last).
  let python = "";
  if (!flag("no-statsforecast")) {
    const made = spawnSync("bash", [join(ROOT, "scripts/lib/anchors-venv.sh")], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
    python = made.status === 0 ? made.stdout.trim().split("\n").pop()! : "";
    if (!python) console.error("bench:arima: the anchors' virtual environment could not be made; statsforecast is skipped.");
  }
  const results: Record<string, unknown>[] = [];
  const rows: (string | number)[][] = [];
  for (const d of datasets(dataDir).filter((x) => wanted.includes(x.name))) {
    if (!existsSync(d.settings.csv_path)) {
      console.error(`bench:arima: ${d.settings.csv_path} not found; pass --data-dir DIR (the folder of the shared data).`);
      continue;
    }
    const data = await loadSales(d.settings);
    const series = limit > 0 ? data.series.slice(0, limit) : data.series;
    const cutoffs = series.map((s) => backtestCutoffs(s.values.length, { horizon: d.h, windows, step: d.step }, 2 * d.season + 1, s.category));
    const cutoffDates = new Map(series.map((s, i) => [s.category, cutoffs[i].map((c) => periodDates(s, data.frequency)[c - 1])]));
    console.error(`== ${d.name}: ${series.length} series, ${windows} cutoffs, h ${d.h}, season ${d.season}`);

    const work = await mkdtemp(join(tmpdir(), "salescast-bench-arima-"));
    const runs: ModelRun[] = [];
    try {
      const lines = ["unique_id,ds,y"];
      for (const s of series) {
        const dates = periodDates(s, data.frequency);
        s.values.forEach((v, t) => lines.push(`${csvCell(s.category)},${dates[t]},${v}`));
      }
      const input = join(work, "input.csv");
      await writeFile(input, lines.join("\n") + "\n");
      const common = [input, String(d.h), String(windows), String(d.step), String(d.season)];
      // The anchors start first and run beside our fits (separate processes: CPU times stay apart).
      const anchors: Promise<ModelRun | string>[] = [];
      if (python) {
        anchors.push(anchor("statsforecast", python, [join(ROOT, "bench/anchors/statsforecast_run.py"), ...common, "autoarima"], work, series, cutoffDates));
      }
      if (!flag("no-r")) {
        anchors.push(anchor("R", "Rscript", [join(ROOT, "bench/anchors/r_forecast.R"), ...common, "arima"], work, series, cutoffDates));
      }
      const mine = ours(series, cutoffs, d);
      runs.push(mine);
      console.error(`   salescast: ${mine.timing.cpuSeconds.toFixed(1)} s CPU; models chosen: ${[...mine.specs].map(([k, n]) => `${k} x${n}`).join(", ")}`);
      for (const result of await Promise.all(anchors)) {
        if (typeof result === "string") console.error(`   ${result}`);
        else runs.push(result);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }

    const oursCpu = runs[0].timing.cpuSeconds / runs[0].timing.fits;
    for (const run of runs) {
      const { mase, missing } = meanMase(run, series, cutoffs, d);
      const perFit = run.timing.seconds / run.timing.fits;
      const cpuPerFit = run.timing.cpuSeconds / run.timing.fits;
      rows.push([d.name, run.model, mase.toFixed(3), run.timing.fits, perFit.toFixed(3), cpuPerFit.toFixed(3), (cpuPerFit / oursCpu).toFixed(2), missing]);
      results.push({
        dataset: d.name,
        model: run.model,
        mean_mase: mase,
        fits: run.timing.fits,
        wall_seconds_per_fit: perFit,
        cpu_seconds_per_fit: cpuPerFit,
        cpu_time_vs_salescast: cpuPerFit / oursCpu,
        missing_forecasts: missing,
      });
    }
  }
  if (flag("json")) {
    console.log(JSON.stringify({ results }, null, 2));
    return;
  }
  console.log(formatTextTable(["data", "model", "mean MASE", "fits", "wall s/fit", "CPU s/fit", "CPU vs salescast", "missing"], rows, { textColumns: 2 }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
