// `npm run bench:accuracy [-- options]`: salescast's forecasts side by side with the tools users
// compare it with (R's forecast::ets, statsforecast, mlforecast + LightGBM), on the same cutoffs,
// every model's rows scored by one protocol (bench/accuracy-protocol.ts, docs/accuracy.md).
// Per dataset: read the series through salescast's ingestion, write the long CSV the anchors
// read, run salescast's own `backtest` CLI and each anchor runner (bench/anchors/), check that
// salescast's cutoffs are the protocol's, score, print the table, and write it as markdown and
// JSON under bench/results/. Options: bench/accuracy-options.ts (--help).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../src/util/atomic-file.js";
import { anchorsPython } from "./anchors-venv.js";
import { FREQUENCY_DEFAULTS, type DatasetSpec } from "./accuracy-datasets.js";
import { OptionsError, parseBenchOptions, USAGE, type BenchOptions } from "./accuracy-options.js";
import { ProtocolError, scoreForecasts, seriesCutoffs, seriesScale, type BenchSeries, type Protocol } from "./accuracy-protocol.js";
import { buildReport, formatReportMarkdown, formatReportText, type DatasetReport } from "./accuracy-report.js";
import { loadBenchData, longCsv } from "./accuracy-series.js";
import { emptyRun, runMlforecast, runR, runSalescast, runStatsforecast, type DatasetRun, type Source, type ToolRun } from "./accuracy-tools.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Series long enough for the protocol's windows; the others are named and left out. */
function usableSeries(series: BenchSeries[], protocol: Protocol): { kept: BenchSeries[]; dropped: string[] } {
  const kept: BenchSeries[] = [];
  const dropped: string[] = [];
  for (const s of series) {
    try {
      seriesCutoffs(s, protocol);
      kept.push(s);
    } catch (error) {
      dropped.push(`${s.id}: ${(error as Error).message}`);
    }
  }
  return { kept, dropped };
}

/** The cutoffs most series share, and those of the series that end on another date. */
function summarizeCutoffs(series: readonly BenchSeries[], cutoffs: string[][]): DatasetReport["protocol"]["cutoffs"] {
  const counts = new Map<string, number>();
  for (const c of cutoffs) counts.set(c.join(), (counts.get(c.join()) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const other: Record<string, [string, string]> = {};
  cutoffs.forEach((c, i) => {
    if (c.join() !== common) other[series[i].id] = [c[0], c[c.length - 1]];
  });
  const dates = common.split(",");
  return { first: dates[0], last: dates[dates.length - 1], other_series: other };
}

/** Versions of the anchors, for the record. */
function toolVersions(python: string | undefined, withR: boolean): Record<string, string> {
  const versions: Record<string, string> = { node: process.version };
  if (withR) {
    const r = spawnSync("Rscript", ["-e", 'cat(paste(R.version$major, R.version$minor, sep = "."), as.character(packageVersion("forecast")))'], {
      encoding: "utf8",
    });
    if (r.status === 0) [versions.r, versions.r_forecast] = r.stdout.trim().split(" ");
  }
  if (python) {
    const names = ["statsforecast", "mlforecast", "lightgbm", "pandas", "numpy"];
    const py = spawnSync(python, ["-c", `import importlib.metadata as m; print(" ".join(m.version(n) for n in ${JSON.stringify(names)}))`], {
      encoding: "utf8",
    });
    if (py.status === 0)
      py.stdout
        .trim()
        .split(" ")
        .forEach((v, i) => (versions[names[i]] = v));
  }
  return versions;
}

async function runDataset(
  spec: DatasetSpec,
  options: BenchOptions,
  work: string,
  python: string | undefined,
  versions: Record<string, string>,
  command: string,
): Promise<{ report: DatasetReport; failed: boolean }> {
  const data = await loadBenchData(options.configPath, spec.overrides);
  const defaults = FREQUENCY_DEFAULTS[data.frequency];
  const protocol: Protocol = {
    horizon: options.horizon ?? defaults.horizon,
    windows: options.windows ?? defaults.windows,
    step: options.step ?? defaults.step,
    season: defaults.season,
  };
  const { kept, dropped } = usableSeries(data.series, protocol);
  if (kept.length === 0)
    throw new ProtocolError(
      `${spec.name}: no series is long enough for ${protocol.windows} windows of ${protocol.horizon} periods every ${protocol.step}:\n${dropped.join("\n")}`,
    );
  const longCsvPath = join(work, `${spec.name}-long.csv`);
  await writeFileAtomic(longCsvPath, longCsv(kept));
  const d: DatasetRun = {
    name: spec.name,
    root,
    work,
    longCsv: longCsvPath,
    series: kept,
    frequency: data.frequency,
    protocol,
    defaults,
    configPath: options.configPath,
    overrides: spec.overrides,
    jobs: options.jobs,
  };
  const cutoffs = kept.map((s) => seriesCutoffs(s, protocol).dates);
  console.error(
    `== ${spec.name}: ${kept.length} series, h ${protocol.horizon}, ${protocol.windows} cutoffs every ${protocol.step} periods (work files in ${work})`,
  );

  const runs: ToolRun[] = [];
  if (options.salescast) {
    const keptIds = new Set(kept.map((s) => s.id));
    const seen = new Set<string>(); // a model an earlier run scored (the baselines, a candidate the tournament reruns)
    for (const kind of options.salescastRows ? ["configured"] : options.kinds) {
      console.error(`== ${spec.name}: salescast backtest${kind === "configured" ? "" : ` (${kind})`}`);
      const run = await runSalescast(d, options.salescastArgs, options.salescastRows, kind);
      // Leave out series too short for the protocol, and models an earlier run already scored.
      run.rows = run.rows.filter((row) => keptIds.has(row.series) && !seen.has(row.model));
      for (const row of run.rows) seen.add(row.model);
      runs.push(run);
    }
  }
  for (const tool of options.anchors) {
    console.error(`== ${spec.name}: ${tool}`);
    if (tool === "r") runs.push(await runR(d));
    else if (!python) runs.push(emptyRun(tool === "statsforecast" ? "statsforecast" : "mlforecast", "skipped", "the anchors venv could not be made"));
    else runs.push(await (tool === "statsforecast" ? runStatsforecast(d, python) : runMlforecast(d, python)));
  }

  const sources = new Map<string, Source>();
  for (const run of runs) {
    for (const row of run.rows) {
      const known = sources.get(row.model);
      if (known && known !== run.source) throw new ProtocolError(`model name "${row.model}" comes from both ${known} and ${run.source}: rename one.`);
      sources.set(row.model, run.source);
    }
  }
  const scores = scoreForecasts(
    kept,
    protocol,
    runs.flatMap((run) => run.rows),
  );
  const report = buildReport({
    dataset: spec.name,
    command,
    data: { path: data.source.path, sha256: data.source.sha256, frequency: data.frequency, series: kept.length },
    protocol: {
      ...protocol,
      cutoffs: summarizeCutoffs(kept, cutoffs),
      mase_lags: kept.map((s) => seriesScale(s, protocol).lag),
    },
    scores,
    runs,
    sources,
    machine: { cores: cpus().length, load_average: loadavg() },
    versions,
  });
  report.notes.unshift(...dropped.map((reason) => `left out, too short for the protocol: ${reason}`));
  return { report, failed: runs.some((run) => run.status === "failed") };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let options: BenchOptions | undefined;
  try {
    options = parseBenchOptions(argv, root);
  } catch (error) {
    if (error instanceof OptionsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const python = options.anchors.some((tool) => tool !== "r") ? anchorsPython("bench:accuracy") : undefined;
  const versions = toolVersions(python, options.anchors.includes("r"));
  const work = options.work ?? mkdtempSync(join(tmpdir(), "salescast-bench-accuracy-"));
  mkdirSync(work, { recursive: true });
  mkdirSync(options.outDir, { recursive: true });
  const command = `npm run bench:accuracy${argv.length ? ` -- ${argv.join(" ")}` : ""}`;
  let failed = false;
  try {
    for (const spec of options.datasets) {
      const { report, failed: runFailed } = await runDataset(spec, options, work, python, versions, command);
      failed ||= runFailed;
      console.log(`\n${formatReportText(report)}\n`);
      await writeFileAtomic(join(options.outDir, `accuracy-${spec.name}.md`), formatReportMarkdown(report));
      await writeFileAtomic(join(options.outDir, `accuracy-${spec.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
      console.error(`wrote ${join(options.outDir, `accuracy-${spec.name}.md`)} and .json`);
    }
  } catch (error) {
    // A user's mistake (a missing file, a bad setting, cutoffs that differ) is said in one
    // message; anything else is a bug in the bench and keeps its stack.
    const known = ["ProtocolError", "ConfigError", "DataError", "BacktestError"].includes((error as Error).name);
    console.error(`bench:accuracy: ${known ? (error as Error).message : ((error as Error).stack ?? String(error))}`);
    return 1;
  } finally {
    if (!options.work) rmSync(work, { recursive: true, force: true });
  }
  if (failed) console.error("bench:accuracy: a tool failed (see the notes above); its rows are missing from the tables.");
  return failed ? 1 : 0;
}

process.exitCode = await main();
