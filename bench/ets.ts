// `npm run bench:ets [-- --only pharma|walmart] [--no-anchors]`: salescast's AutoETS against
// R's forecast::ets and statsforecast's AutoETS on the shared data, with the project's accuracy
// protocol (docs/models.md): 8 cutoffs 7 days apart (the last h periods before the end), refit
// at each cutoff, MASE scaled by the lag-s naive error of the history before the first cutoff,
// mean over series. Prints mean MASE, how often each side chose R's model, and the fit time of
// one series and cutoff. Anchors run through bench/anchors/ (R when Rscript exists, statsforecast
// in the anchors venv made by scripts/lib/anchors-venv.sh).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSales } from "../src/data/ingest.js";
import { protocolDatasets, type ProtocolDataset } from "./shared-data.js";
import { fitEts, forecastEts, type EtsFit } from "../src/models/ets/index.js";
import { maseScale } from "../src/models/metrics.js";
import { formatTextTable } from "../src/util/text-table.js";
import { anchorsPython } from "./anchors-venv.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Dataset extends ProtocolDataset {
  /** ETS period (R ignores a season above 24, as ours does). */
  period: number;
}

const datasets: Dataset[] = protocolDatasets().map((d) => ({ ...d, period: d.season }));

interface Forecasts {
  /** key `${series}|${cutoffIndex}` → h values */
  values: Map<string, number[]>;
  /** same key → compact spec ("AAdN") */
  specs: Map<string, string>;
  /** seconds per fit */
  seconds: number[];
}

function compactSpec(fit: EtsFit): string {
  const c = fit.components;
  return `${c.error}${c.trend}${c.damped ? "d" : ""}${c.season}`;
}

function isoDay(start: string, offsetDays: number): string {
  return new Date(Date.parse(`${start}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

function cutoffs(n: number, d: Dataset): number[] {
  // training lengths, oldest window first
  return Array.from({ length: d.windows }, (_, w) => n - d.h - d.step * (d.windows - 1 - w));
}

function runOurs(series: Map<string, Float64Array>, d: Dataset, maxSeasonalPeriod?: number): Forecasts {
  const out: Forecasts = { values: new Map(), specs: new Map(), seconds: [] };
  // warm-up so V8's compilation is not counted, as statsforecast's numba warm-up is not
  fitEts(
    Float64Array.from({ length: 60 }, (_, i) => 1 + Math.abs(Math.sin(i))),
    { period: 7 },
  );
  for (const [id, y] of series) {
    for (const train of cutoffs(y.length, d)) {
      const history = y.subarray(0, train);
      const started = performance.now();
      const fit = fitEts(history, { period: d.period, maxSeasonalPeriod });
      out.seconds.push((performance.now() - started) / 1000);
      out.values.set(`${id}|${train}`, Array.from(forecastEts(fit, history, d.h)));
      out.specs.set(`${id}|${train}`, compactSpec(fit));
    }
  }
  return out;
}

function parseCsv(text: string): Record<string, string>[] {
  const lines = text.trim().split(/\r?\n/);
  const header = lines[0].split(",").map((h) => h.replace(/"/g, ""));
  return lines.slice(1).map((line) => {
    const cells = line.split(",").map((c) => c.replace(/"/g, ""));
    return Object.fromEntries(header.map((h, i) => [h, cells[i]]));
  });
}

/** Runs an anchor on the long CSV; undefined (with the reason printed) when it cannot run. */
function runAnchor(
  label: string,
  command: string[],
  d: Dataset,
  work: string,
  series: Map<string, Float64Array>,
  starts: Map<string, string>,
  models: string,
): Forecasts | undefined {
  const out = join(work, `${label}-${d.name}.csv`);
  const timings = join(work, `${label}-${d.name}-timings.csv`);
  const args = [...command.slice(1), join(work, `${d.name}.csv`), out, String(d.h), String(d.windows), String(d.step), String(d.season), models, timings];
  const run = spawnSync(command[0], args, { encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) {
    console.error(`${label}: skipped (${run.error?.message ?? run.stderr.trim().split("\n").slice(-3).join(" | ")})`);
    return undefined;
  }
  // map dates back to training lengths
  const dayIndex = new Map<string, number>();
  for (const [id, y] of series) for (let t = 0; t < y.length; t++) dayIndex.set(`${id}|${isoDay(starts.get(id)!, t * d.periodDays)}`, t);
  const result: Forecasts = { values: new Map(), specs: new Map(), seconds: [] };
  for (const row of parseCsv(readFileSync(out, "utf8"))) {
    const train = dayIndex.get(`${row.unique_id}|${row.cutoff}`)! + 1;
    const key = `${row.unique_id}|${train}`;
    const list = result.values.get(key) ?? [];
    list.push(Number(row.y_hat));
    result.values.set(key, list);
  }
  for (const row of parseCsv(readFileSync(timings, "utf8"))) {
    const train = dayIndex.get(`${row.unique_id}|${row.cutoff}`)! + 1;
    result.specs.set(`${row.unique_id}|${train}`, row.spec);
    result.seconds.push(Number(row.seconds));
  }
  return result;
}

function meanMase(series: Map<string, Float64Array>, d: Dataset, f: Forecasts): number {
  let total = 0;
  for (const [id, y] of series) {
    const trains = cutoffs(y.length, d);
    const scale = maseScale(y.subarray(0, trains[0]), d.season);
    let sum = 0;
    let count = 0;
    for (const train of trains) {
      const values = f.values.get(`${id}|${train}`);
      if (!values) throw new Error(`no forecast for ${id} at cutoff ${train}`);
      for (let k = 0; k < d.h; k++) {
        sum += Math.abs(y[train + k] - values[k]);
        count++;
      }
    }
    total += sum / count / scale;
  }
  return total / series.size;
}

function agreement(a: Forecasts, b: Forecasts | undefined): string {
  if (!b) return "-";
  let same = 0;
  for (const [key, spec] of a.specs) if (b.specs.get(key) === spec) same++;
  return `${same}/${a.specs.size}`;
}

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
  const anchors = !argv.includes("--no-anchors");
  const work = mkdtempSync(join(tmpdir(), "salescast-bench-ets-"));
  const python = anchors ? anchorsPython("bench:ets") : undefined;
  const rows: string[][] = [];
  try {
    for (const d of datasets.filter((x) => !only || x.name === only)) {
      const data = await loadSales(d.settings);
      const series = new Map(data.series.map((s) => [s.category, s.values]));
      const starts = new Map(data.series.map((s) => [s.category, s.start]));
      const csv = ["unique_id,ds,y"];
      for (const [id, y] of series) for (let t = 0; t < y.length; t++) csv.push(`${id},${isoDay(starts.get(id)!, t * d.periodDays)},${y[t]}`);
      writeFileSync(join(work, `${d.name}.csv`), csv.join("\n") + "\n");
      console.error(`${d.name}: ${series.size} series, ${d.windows} cutoffs, h ${d.h}`);
      const ours = runOurs(series, d);
      // statsforecast fits seasons above R's 24: the same option of ours, for a like-for-like time
      const oursLong = d.period > 24 ? runOurs(series, d, d.period) : undefined;
      const r = anchors ? runAnchor("r", ["Rscript", join(root, "bench/anchors/r_forecast.R")], d, work, series, starts, "ets") : undefined;
      const sf = python
        ? runAnchor("statsforecast", [python, join(root, "bench/anchors/statsforecast_run.py")], d, work, series, starts, "autoets")
        : undefined;
      const sfSeconds = sf ? mean(sf.seconds) : undefined;
      const sides = [
        ["salescast AutoETS", ours],
        [`salescast AutoETS, maxSeasonalPeriod ${d.period}`, oursLong],
        ["R forecast::ets", r],
        ["statsforecast AutoETS", sf],
      ] as const;
      for (const [label, f] of sides) {
        if (!f) continue;
        const seconds = mean(f.seconds);
        rows.push([
          d.name,
          label,
          meanMase(series, d, f).toFixed(4),
          label.startsWith("R ") ? "-" : `${agreement(f, r)} R, ${label.startsWith("stats") ? "-" : agreement(f, sf)} sf`,
          (seconds * 1000).toFixed(1),
          sfSeconds ? (seconds / sfSeconds).toFixed(2) : "-",
        ]);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(
    formatTextTable(["data", "model", "mean MASE", "same model as R / statsforecast", "fit ms (one series, one cutoff)", "time ÷ statsforecast"], rows, {
      textColumns: 2,
    }),
  );
}

await main();
