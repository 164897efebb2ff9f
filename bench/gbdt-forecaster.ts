// `npm run bench:gbdt-forecaster [-- options]`: salescast's global GBDT forecaster
// (src/models/gbdt/) against mlforecast + LightGBM (bench/anchors/mlforecast_run.py) on pharma
// (daily, h 7) and walmart (weekly, h 4), with the accuracy protocol of docs/accuracy.md
// (bench/accuracy-protocol.ts: 8 cutoffs, refit at each, one global model over all series per
// cutoff, MASE scaled by the lag-s error before the first cutoff, mean over series): mean MASE,
// and fit + forecast time per run, wall and CPU, side by side.
//
//   --only pharma|walmart        one dataset
//   --windows selection          the selection windows instead: the same protocol on the data
//                                up to the first evaluation cutoff (its last window ends there),
//                                so that choices made on them never see an evaluation period
//   --variants a,b               built-in variants (bench/gbdt-forecaster-variants.ts)
//   --variant NAME=JSON          more variants: the defaults with these options (repeatable)
//   --threads N                  threads of both sides (default 2)
//   --no-anchor                  ours only
//
// Times: ours in this process (performance.now and process.cpuUsage, which counts the native
// learner's threads), the anchor inside its runner (time.perf_counter and time.process_time
// around fit + predict, all threads). The machine is shared: CPU time is the fairer figure.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { fitGbdtForecaster, forecastGbdtForecaster, type GbdtSeries } from "../src/models/gbdt/index.js";
import { writeFileAtomic } from "../src/util/atomic-file.js";
import { formatTextTable } from "../src/util/text-table.js";
import { parseCsv } from "./accuracy-csv.js";
import { builtInDatasets, FREQUENCY_DEFAULTS } from "./accuracy-datasets.js";
import { runMeasured } from "./accuracy-process.js";
import { scoreForecasts, seriesCutoffs, type BenchSeries, type ForecastRow, type Protocol } from "./accuracy-protocol.js";
import { parseAnchorRows } from "./accuracy-rows.js";
import { loadBenchData, longCsv } from "./accuracy-series.js";
import { anchorsPython } from "./anchors-venv.js";
import { builtInVariants, DEFAULT_VARIANTS, parseCustomVariant, type Variant } from "./gbdt-forecaster-variants.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Timed {
  model: string;
  source: "salescast" | "mlforecast";
  description: string;
  wall: number;
  cpu: number;
  rows: ForecastRow[];
}

/** The series cut at their first evaluation cutoff: the protocol then gives the selection windows. */
function selectionSeries(series: BenchSeries[], protocol: Protocol): BenchSeries[] {
  return series.map((s) => {
    const first = seriesCutoffs(s, protocol).lengths[0];
    return { id: s.id, dates: s.dates.slice(0, first), values: s.values.slice(0, first) };
  });
}

function runOurs(variant: Variant, series: BenchSeries[], protocol: Protocol, frequency: "D" | "W", threads: number): Timed {
  const cutoffs = series.map((s) => seriesCutoffs(s, protocol).lengths);
  const rows: ForecastRow[] = [];
  let wall = 0;
  let cpu = 0;
  for (let w = 0; w < protocol.windows; w++) {
    const inputs: GbdtSeries[] = series.map((s, i) => ({ name: s.id, values: s.values.slice(0, cutoffs[i][w]), start: s.dates[0], frequency }));
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const fit = fitGbdtForecaster(inputs, { horizon: protocol.horizon, numThreads: threads, ...variant.options });
    const forecasts = inputs.map((input) => forecastGbdtForecaster(fit, input, protocol.horizon));
    const used = process.cpuUsage(cpuStarted);
    wall += (performance.now() - started) / 1000;
    cpu += (used.user + used.system) / 1e6;
    series.forEach((s, i) => {
      const n = cutoffs[i][w];
      forecasts[i].forEach((forecast, k) =>
        rows.push({ series: s.id, model: variant.name, cutoff: s.dates[n - 1], date: s.dates[n + k], forecast, bounds: new Map() }),
      );
    });
    const trees = fit.models.map((m) => m.trees);
    console.error(
      `  ${variant.name}: window ${w + 1}/${protocol.windows}: ${trees.length > 1 ? `trees ${trees.join(",")}` : `${trees[0]} trees`}, ${fit.features.lags.length} lags`,
    );
  }
  return { model: variant.name, source: "salescast", description: variant.description, wall, cpu, rows };
}

async function runAnchor(
  python: string,
  longCsvPath: string,
  work: string,
  protocol: Protocol,
  frequency: "D" | "W",
  threads: number,
  objective: "l1" | "l2",
): Promise<Timed> {
  const model = objective === "l1" ? "mlf_lightgbm" : "mlf_lightgbm_l2";
  const out = join(work, `${model}.csv`);
  const timings = join(work, `${model}-timings.csv`);
  const args = [
    join(root, "bench/anchors/mlforecast_run.py"),
    longCsvPath,
    out,
    String(protocol.horizon),
    String(protocol.windows),
    String(protocol.step),
    frequency,
    timings,
    "--threads",
    String(threads),
    "--seed",
    "0",
    "--objective",
    objective,
    "--model-name",
    model,
  ];
  // OpenMP's default wait policy spins idle threads, which on a shared machine turns into CPU time
  // (and wall time) that measures the others' load, not LightGBM (docs/gbdt.md).
  const result = await runMeasured(model, python, args, { cwd: root, env: { ...process.env, OMP_WAIT_POLICY: "PASSIVE" } });
  if (result.status !== 0 || !existsSync(out))
    throw new Error(`mlforecast runner failed (${result.startError ?? `exit status ${result.status}`}): ${result.stderrTail.slice(-3).join(" | ")}`);
  const times = parseCsv(readFileSync(timings, "utf8"), timings);
  const sum = (column: string) => times.reduce((total, row) => total + Number(row[column]), 0);
  return {
    model,
    source: "mlforecast",
    description: `mlforecast + LightGBM, ${objective.toUpperCase()}: ${times[0]?.spec ?? ""}`,
    wall: sum("seconds"),
    cpu: sum("cpu_seconds"),
    rows: parseAnchorRows(readFileSync(out, "utf8"), out),
  };
}

function usage(): string {
  return readFileSync(fileURLToPath(import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.startsWith("//"))
    .slice(0, 16)
    .map((l) => l.slice(3))
    .join("\n");
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: "string" },
      windows: { type: "string" },
      variants: { type: "string" },
      variant: { type: "string", multiple: true },
      threads: { type: "string" },
      "no-anchor": { type: "boolean" },
      "data-dir": { type: "string" },
      "out-dir": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(usage());
    return 0;
  }
  const selection = values.windows === "selection";
  if (values.windows !== undefined && !selection && values.windows !== "evaluation")
    throw new Error(`--windows must be evaluation or selection, got "${values.windows}".`);
  const threads = Number(values.threads ?? 2);
  const dataDir = resolve(values["data-dir"] ?? process.env.SALESCAST_SHARED_DATA ?? resolve(root, "../shared/data"));
  const outDir = resolve(values["out-dir"] ?? join(root, "bench/results"));
  const only = values.only?.split(",");
  const datasets = builtInDatasets(dataDir).filter((d) => !only || only.includes(d.name));
  const python = values["no-anchor"] ? undefined : anchorsPython("bench:gbdt-forecaster");
  mkdirSync(outDir, { recursive: true });

  for (const dataset of datasets) {
    const data = await loadBenchData(join(root, "config/config.yaml"), dataset.overrides);
    const defaults = FREQUENCY_DEFAULTS[data.frequency];
    const protocol: Protocol = { horizon: defaults.horizon, windows: defaults.windows, step: defaults.step, season: defaults.season };
    const long = data.series.filter((s) => {
      try {
        return seriesCutoffs(s, protocol) !== undefined;
      } catch {
        console.error(`  ${dataset.name}: series ${s.id} left out: too short for ${protocol.windows} windows of ${protocol.horizon}`);
        return false;
      }
    });
    const series = selection ? selectionSeries(long, protocol) : long;
    const shortest = Math.min(...series.map((s) => seriesCutoffs(s, protocol).lengths[0]));
    const all = builtInVariants(data.frequency, shortest);
    const names = values.variants?.split(",") ?? (values.variant ? [] : DEFAULT_VARIANTS);
    const unknown = names.filter((n) => !all.some((v) => v.name === n));
    if (unknown.length) throw new Error(`--variants: unknown ${unknown.join(", ")}; built-in: ${all.map((v) => v.name).join(", ")}.`);
    const variants = [...all.filter((v) => names.includes(v.name)), ...(values.variant ?? []).map(parseCustomVariant)];
    const windowsName = selection ? "selection" : "evaluation";
    const cutoffDates = seriesCutoffs(series[0], protocol).dates;
    console.error(
      `== ${dataset.name}: ${series.length} series, h ${protocol.horizon}, ${windowsName} cutoffs ${cutoffDates[0]} .. ${cutoffDates[cutoffDates.length - 1]}`,
    );

    const load = [loadavg()[0]];
    const runs: Timed[] = [];
    const work = mkdtempSync(join(tmpdir(), "salescast-bench-gbdt-forecaster-"));
    try {
      if (python) {
        const longCsvPath = join(work, "long.csv");
        await writeFileAtomic(longCsvPath, longCsv(series));
        for (const objective of ["l1", "l2"] as const) runs.push(await runAnchor(python, longCsvPath, work, protocol, data.frequency, threads, objective));
      }
      for (const variant of variants) runs.push(runOurs(variant, series, protocol, data.frequency, threads));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    load.push(loadavg()[0]);

    const scores = scoreForecasts(
      series,
      protocol,
      runs.flatMap((r) => r.rows),
    );
    const mase = new Map(scores.models.map((m) => [m.model, m]));
    const anchor = runs.find((r) => r.model === "mlf_lightgbm");
    const anchorScore = anchor ? mase.get(anchor.model) : undefined;
    const table = runs.map((r) => {
      const score = mase.get(r.model)!;
      const wins =
        anchorScore && r !== anchor
          ? `${[...score.perSeries].filter(([id, v]) => v < (anchorScore.perSeries.get(id) ?? -Infinity)).length}/${score.perSeries.size}`
          : "";
      return [
        r.model,
        r.source,
        score.meanMase.toFixed(4),
        anchorScore ? (score.meanMase / anchorScore.meanMase).toFixed(3) : "",
        wins,
        r.wall.toFixed(2),
        r.cpu.toFixed(2),
        anchor ? (r.cpu / anchor.cpu).toFixed(2) : "",
      ];
    });
    const header = ["model", "from", "mean MASE", "× mlf MASE", "wins vs mlf", "wall s", "CPU s", "× mlf CPU"];
    const title = `${dataset.name} (${series.length} series, h ${protocol.horizon}, ${protocol.windows} ${windowsName} cutoffs ${cutoffDates[0]} .. ${cutoffDates[cutoffDates.length - 1]}, ${threads} threads, load average ${load.map((l) => l.toFixed(1)).join(" → ")})`;
    console.log(`\n${title}\n${formatTextTable(header, table)}\n${runs.map((r) => `  ${r.model}: ${r.description}`).join("\n")}\n`);
    const base = join(outDir, `gbdt-forecaster-${dataset.name}${selection ? "-selection" : ""}`);
    await writeFileAtomic(
      `${base}.md`,
      `${title}\n\n| ${header.join(" | ")} |\n| ${header.map((_, i) => (i < 2 ? "---" : "---:")).join(" | ")} |\n${table.map((row) => `| ${row.join(" | ")} |`).join("\n")}\n`,
    );
    await writeFileAtomic(
      `${base}.json`,
      `${JSON.stringify(
        {
          dataset: dataset.name,
          windows: windowsName,
          protocol,
          cutoffs: cutoffDates,
          threads,
          load_average: load,
          runs: runs.map((r) => ({
            model: r.model,
            source: r.source,
            description: r.description,
            mean_mase: mase.get(r.model)!.meanMase,
            wall_seconds: r.wall,
            cpu_seconds: r.cpu,
            per_series: Object.fromEntries(mase.get(r.model)!.perSeries),
          })),
          variants: variants.map((v) => ({ name: v.name, options: v.options })),
        },
        null,
        2,
      )}\n`,
    );
    console.error(`wrote ${base}.md and .json`);
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`bench:gbdt-forecaster: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
}
