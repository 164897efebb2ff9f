// Catalogue benchmark (issue 19): the M5-like demo catalogue (default 10 stores × 3,049 items ×
// 1,941 days = 30,490 series, M5's twelve levels: 42,840 series) generated once (or reused),
// ingested, then the last 28 days held out and forecast for every series of every level:
//
//   salescast        train --catalogue's fit (src/training/catalogue/fit.ts): the global GBDT
//                    with price, promotion, event and SNAP features, Tweedie loss, reconciled
//   seasonal naive   each bottom series' last week repeated, summed up (M5's benchmark)
//   bottom-up ETS    salescast's AutoETS (src/models/ets) on each bottom series, summed up, on
//                    worker threads (catalogue-ets.ts; --threads N, default the machine's cores);
//                    with --ets-sample N only N series are fitted, their time extrapolated, no WRMSSE
//   statsforecast    statsforecast's AutoETS (season 7) on a measured sample of --sf-sample N
//                    (default 200) bottom series, spread over the catalogue (bench/anchors/
//                    statsforecast_run.py, anchors venv): its CPU and wall time extrapolated to
//                    every series and said so; no WRMSSE (a sample has no levels); --no-statsforecast
//   LightGBM         mlforecast + LightGBM with the same features (bench/anchors/
//                    catalogue_lightgbm.py, in the anchors venv), summed up; --no-lightgbm skips it
//
// The rows run in that order except that the long anchors come last: salescast, seasonal naive,
// LightGBM, the statsforecast sample, bottom-up ETS; each row is said on stderr (with its time)
// as soon as it is done, and the final table lists them in the order above. An anchor that
// cannot run (no venv) or fails says why in its row, and the rows after it still run.
// How long: a default run at the full M5 shape on a quiet 2-core machine takes about 45 minutes,
// most of it bottom-up ETS (about 3,700 s of CPU: some 30 minutes on 2 threads) and LightGBM
// (about 750 s of CPU); salescast itself about 4 minutes. --no-ets or --ets-sample 2000 (time
// extrapolated, no WRMSSE) and --no-lightgbm shorten it; --stores 2 is a fifth of the shape.
// --help lists the flags; an unknown flag is refused.
//
// Printed: time (wall and CPU), peak RSS, WRMSSE per level and overall for each, against the
// issue's targets (fit + forecast ≤ 15 min, RSS ≤ 8 GiB at the full shape), and the progress
// bar's ETA at 10, 25 and 50% of salescast's fit against the time really left.
// --selection scores the 28 days before the last 28 instead (a selection window: settings such
// as catalogue.scaling are chosen there, never on the reported month).
//
//   npm run bench:catalogue
//   node dist/bench/catalogue.js --stores 1 --items 500 --days 1000 [--ets-sample 200] [--no-lightgbm] [--json]
//   node dist/bench/catalogue.js --data PATH.parquet     (a catalogue file with the demo's columns)
//   ... catalogue.group_by=store_id catalogue.strategy=direct   (config overrides, key=value)
//   ... --trace-progress FILE   (salescast's progress events as JSON lines, for bench/eta-replay.js)
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { configFromDefaults } from "../src/config/from-defaults.js";
import { withOverrides } from "../src/config/overrides.js";
import { setPath, type Tree } from "../src/config/tree.js";
import type { Config } from "../src/config/schema.js";
import { isoFromEpochDay } from "../src/data/dates.js";
import { CATALOGUE_DEFAULTS, writeCatalogue } from "../src/data/demo-catalogue.js";
import { loadConfiguredData, type TrainingData } from "../src/data/model-data.js";
import { summingStructure, sumFromBottom } from "../src/models/reconcile/index.js";
import { scoreHeldOut } from "../src/training/catalogue/evaluate.js";
import { forecastCatalogue, type CatalogueForecast } from "../src/training/catalogue/fit.js";
import { CatalogueProgressBar, etaErrors, formatSeconds } from "../src/training/catalogue/progress-bar.js";
import { ProgressRecorder } from "../src/training/catalogue/progress-trace.js";
import { seasonalNaiveForecast } from "../src/training/catalogue/seasonal-naive.js";
import { formatTextTable } from "../src/util/text-table.js";
import { anchorsPython } from "./anchors-venv.js";
import { chosenSeries, forecastBottomEts } from "./catalogue-ets.js";
import { CATALOGUE_USAGE, catalogueArgumentProblem } from "./catalogue-options.js";
import { CATALOGUE_SETTINGS } from "./catalogue-ingest.js";
import { writeChunkedCsv } from "./chunked-csv.js";

const LIMITS = { seconds: 15 * 60, maxRssMiB: 8192 } as const;
const HORIZON = 28;
const COVARIATES = ["sell_price", "promo", "event", "snap"];
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

interface Row {
  model: string;
  seconds: number | null;
  cpuSeconds: number | null;
  maxRssMiB: number | null;
  note: string;
  levels: Record<string, number> | null;
  wrmsse: number | null;
}

function argument(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
function whole(argv: string[], name: string, fallback: number): number {
  const text = argument(argv, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number ≥ 1 (got ${text})`);
  return value;
}

const cpuSeconds = (cpu: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1e6;
};
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

function scoreRow(
  model: string,
  config: Config,
  data: TrainingData,
  forecast: CatalogueForecast,
  end: number,
  matrix: Float64Array,
  timing: Omit<Row, "model" | "levels" | "wrmsse">,
): Row {
  const { result } = scoreHeldOut(config, data, forecast, end, matrix);
  return { model, ...timing, levels: Object.fromEntries(result.levels.map((l) => [l.level, l.wrmsse])), wrmsse: result.wrmsse };
}

/** Bottom forecasts (n_b × h) summed up the hierarchy, in the forecast's row order. */
function bottomUp(forecast: CatalogueForecast, bottom: Float64Array): Float64Array {
  const s = summingStructure(forecast.rows.structure);
  const out = new Float64Array(s.seriesCount * forecast.horizon);
  out.set(bottom, s.aggregateCount * forecast.horizon);
  sumFromBottom(s, out, forecast.horizon, out);
  return out;
}

/** salescast's AutoETS on each bottom series (or a sample), from its first sale to the cutoff, on worker threads (catalogue-ets.ts). */
async function bottomUpEts(
  config: Config,
  data: TrainingData,
  end: number,
  sample: number | undefined,
  threads: number | undefined,
): Promise<{ bottom?: Float64Array; seconds: number; cpuSeconds: number; fitted: number; threads: number }> {
  const matrix = data.catalogue!.matrix;
  const nb = matrix.series;
  const chosen = chosenSeries(nb, sample);
  const started = performance.now();
  const cpu = process.cpuUsage(); // the process's, worker threads included
  const names = data.series.map((s) => s.category);
  const fitted = await forecastBottomEts(config, matrix, names, chosen, end, HORIZON, { threads, log: (line) => process.stderr.write(line) });
  const seconds = (performance.now() - started) / 1000;
  const scale = nb / chosen.length;
  const bottom = chosen.length === nb ? fitted.forecasts : undefined;
  return { ...(bottom ? { bottom } : {}), seconds: seconds * scale, cpuSeconds: cpuSeconds(cpu) * scale, fitted: chosen.length, threads: fitted.threads };
}

/**
 * statsforecast's AutoETS on `sample` bottom series spread over the catalogue (each from its
 * first sale to the cutoff), in the anchors venv: the time of the sample (numba's compilation
 * excluded) scaled to every series.
 */
function statsforecastEts(
  data: TrainingData,
  end: number,
  sample: number,
  folder: string,
): { seconds: number; cpuSeconds: number; fitted: number; series: number } | string {
  const python = anchorsPython("bench:catalogue");
  if (!python) return "anchors venv unavailable";
  const matrix = data.catalogue!.matrix;
  const T = matrix.periods;
  const nb = matrix.series;
  const count = Math.min(sample, nb);
  const lines = ["unique_id,ds,y"];
  for (let i = 0; i < count; i++) {
    const b = Math.floor((i * nb) / count);
    // The runner holds out the last HORIZON rows of each series: its cutoff is then `end`.
    const first = Math.min(matrix.firstPeriod[b], end - 2);
    for (let p = first; p < end + HORIZON; p++) lines.push(`${b},${isoFromEpochDay(matrix.firstDay + p)},${p < T ? matrix.values[b * T + p] : 0}`);
  }
  const input = join(folder, "statsforecast-in.csv");
  const output = join(folder, "statsforecast-out.csv");
  const timings = join(folder, "statsforecast-timings.csv");
  writeFileSync(input, `${lines.join("\n")}\n`);
  process.stderr.write(`statsforecast AutoETS: fitting a sample of ${count} of ${nb.toLocaleString("en-US")} series...\n`);
  const started = performance.now();
  execFileSync(python, [join(root, "bench/anchors/statsforecast_run.py"), input, output, String(HORIZON), "1", String(HORIZON), "7", "autoets", timings], {
    cwd: join(root, "bench/anchors"),
    stdio: ["ignore", "ignore", "inherit"],
  });
  const wall = (performance.now() - started) / 1000;
  const rows = readFileSync(timings, "utf8").trim().split("\n").slice(1);
  let seconds = 0;
  let cpu = 0;
  for (const row of rows) {
    const cells = row.split(",");
    seconds += Number(cells[3]);
    cpu += Number(cells[cells.length - 1]);
  }
  process.stderr.write(
    `statsforecast AutoETS: ${rows.length} fits, ${seconds.toFixed(1)} s (${cpu.toFixed(1)} s CPU) of fitting, ${wall.toFixed(1)} s with Python's start\n`,
  );
  return { seconds: (seconds * nb) / rows.length, cpuSeconds: (cpu * nb) / rows.length, fitted: rows.length, series: nb };
}

/** mlforecast + LightGBM in the anchors venv: bottom forecasts n_b × h, its own timings. */
async function lightgbm(
  config: Config,
  data: TrainingData,
  end: number,
  folder: string,
): Promise<{ bottom: Float64Array; seconds: number; cpuSeconds: number; maxRssMiB: number } | string> {
  const python = anchorsPython("bench:catalogue");
  if (!python) return "anchors venv unavailable";
  const matrix = data.catalogue!.matrix;
  const T = matrix.periods;
  const by = data.covariates!.bySeries!;
  const reach = config.catalogue.training_days + 364 + 35;
  const from = Math.max(0, end - reach);
  const names = data.covariates!.names;
  const covariateAt = (b: number, period: number) =>
    names.map((_, c) => {
      const day = matrix.firstDay + period - by.firstDay;
      const row = by.index[data.series[b].category];
      const v = row === undefined || day < 0 || day >= by.days ? Number.NaN : by.values[c][row * by.days + day];
      return Number.isFinite(v) ? String(v) : "";
    });
  const historyPath = join(folder, "history.csv");
  const futurePath = join(folder, "future.csv");
  const outPath = join(folder, "lightgbm.csv");
  // One chunk per series: the full shape's history is 23 M lines.
  await writeChunkedCsv(historyPath, `unique_id,ds,y,${names.join(",")}`, matrix.series, (b) => {
    let lines = "";
    // The series from its first day on (as mlforecast would get it from a file): no rows before it sold.
    for (let p = Math.max(from, Math.min(matrix.firstPeriod[b], end - 1)); p < end; p++) {
      lines += `${b},${isoFromEpochDay(matrix.firstDay + p)},${matrix.values[b * T + p]},${covariateAt(b, p).join(",")}\n`;
    }
    return lines;
  });
  await writeChunkedCsv(futurePath, `unique_id,ds,${names.join(",")}`, matrix.series, (b) => {
    let lines = "";
    for (let p = end; p < end + HORIZON; p++) lines += `${b},${isoFromEpochDay(matrix.firstDay + p)},${covariateAt(b, p).join(",")}\n`;
    return lines;
  });
  process.stderr.write(`LightGBM (mlforecast): fitting on ${matrix.series.toLocaleString("en-US")} series...\n`);
  const output = execFileSync(
    python,
    [
      join(root, "bench/anchors/catalogue_lightgbm.py"),
      historyPath,
      futurePath,
      outPath,
      String(HORIZON),
      "--rounds",
      String(config.catalogue.max_rounds),
      "--learning-rate",
      String(config.catalogue.learning_rate),
      "--training-days",
      String(config.catalogue.training_days),
    ],
    { encoding: "utf8", cwd: join(root, "bench/anchors"), maxBuffer: 1 << 24, stdio: ["ignore", "pipe", "inherit"] },
  );
  const figures = JSON.parse(output.trim().split("\n").pop()!) as Record<string, number>;
  const bottom = new Float64Array(matrix.series * HORIZON);
  for (const line of (await readFile(outPath, "utf8")).trim().split("\n").slice(1)) {
    const [id, step, value] = line.split(",").map(Number);
    bottom[id * HORIZON + step - 1] = Math.max(0, value);
  }
  return {
    bottom,
    seconds: figures.fit_seconds + figures.forecast_seconds,
    cpuSeconds: figures.fit_cpu_seconds + figures.forecast_cpu_seconds,
    maxRssMiB: figures.max_rss_mib,
  };
}

/** An anchor that fails (its Python stopped, a file missing) becomes its row's note: the rows after it still run. */
function anchorFailed(error: unknown): string {
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  process.stderr.write(`anchor failed: ${message}\n`);
  return `failed: ${message}`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${CATALOGUE_USAGE}\n`);
    return;
  }
  const problem = catalogueArgumentProblem(argv);
  if (problem) {
    process.stderr.write(`bench:catalogue: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  const threadsText = argument(argv, "--threads");
  const threads = threadsText === undefined ? undefined : whole(argv, "--threads", 1);
  const sfSample = whole(argv, "--sf-sample", 200);
  const json = argv.includes("--json");
  const stores = whole(argv, "--stores", CATALOGUE_DEFAULTS.stores);
  const items = whole(argv, "--items", CATALOGUE_DEFAULTS.items);
  const days = whole(argv, "--days", CATALOGUE_DEFAULTS.days);
  const etsSampleText = argument(argv, "--ets-sample");
  const etsSample = etsSampleText === undefined ? undefined : whole(argv, "--ets-sample", 1);
  const overrides = argv.filter((a) => /^[a-z_]+\.[a-z_.]+=/.test(a));
  const folder = join(tmpdir(), "salescast-bench-catalogue");
  await mkdir(folder, { recursive: true });
  let path = argument(argv, "--data");
  const started = performance.now();
  if (!path) {
    path = join(folder, `catalogue-${stores}x${items}x${days}.parquet`);
    if (existsSync(path)) process.stderr.write(`reusing ${path}\n`);
    else {
      process.stderr.write(`generating ${stores} stores × ${items} items × ${days} days to ${path}...\n`);
      await writeCatalogue(path, { stores, items, days });
    }
  }
  const base = configFromDefaults({
    data: { csv_path: path, ...CATALOGUE_SETTINGS },
    model: { features: { covariates: COVARIATES } },
    catalogue: { horizon: HORIZON, evaluate: false },
  });
  // key.path=value overrides, the value read as YAML would (numbers, true/false, null, text).
  const tree: Tree = {};
  for (const item of overrides) {
    const [key, ...rest] = item.split("=");
    const text = rest.join("=");
    setPath(
      tree,
      key.split("."),
      text === "null" ? null : text === "true" ? true : text === "false" ? false : Number.isFinite(Number(text)) ? Number(text) : text,
    );
  }
  const config = overrides.length ? withOverrides(base, tree, "command line") : base;

  let cpu = process.cpuUsage();
  let t0 = performance.now();
  const data = await loadConfiguredData(config);
  const ingest = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(cpu), maxRssMiB: rssMiB() };
  const matrix = data.catalogue!.matrix;
  const selection = argv.includes("--selection");
  const end = matrix.periods - (selection ? 2 : 1) * HORIZON;
  process.stderr.write(
    `ingested ${data.series.length.toLocaleString("en-US")} series × ${matrix.periods} days in ${ingest.seconds.toFixed(1)} s; ` +
      (selection ? `scoring the selection window: the ${HORIZON} days before the last ${HORIZON}\n` : `holding out the last ${HORIZON} days\n`),
  );

  const bar = new CatalogueProgressBar(process.stderr, 1, Date.now, false);
  const tracePath = argument(argv, "--trace-progress");
  const trace = tracePath ? new ProgressRecorder() : undefined;
  cpu = process.cpuUsage();
  t0 = performance.now();
  const forecast = await forecastCatalogue(config, data, {
    end,
    onProgress: (event) => {
      trace?.record(event, 0);
      bar.report(event, 0);
    },
  });
  bar.end();
  if (trace && tracePath) await trace.save(tracePath);
  const salescast = { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpuSeconds(cpu), maxRssMiB: rssMiB() };
  const eta = etaErrors(bar.samples, salescast.seconds);
  const c = config.catalogue;
  // Rows in the order they run, the long anchors last; each said on stderr as soon as it is done.
  const ran: Row[] = [];
  const done = (row: Row) => {
    ran.push(row);
    process.stderr.write(
      `row done: ${row.model}: ${row.seconds === null ? "-" : `${row.seconds.toFixed(1)} s`}, WRMSSE ${row.wrmsse === null ? "-" : row.wrmsse.toFixed(3)}` +
        `${row.note ? ` (${row.note})` : ""}; ${formatSeconds((performance.now() - started) / 1000)} since the start\n`,
    );
  };
  done(
    scoreRow(
      `salescast (gbdt ${c.strategy} ${c.loss}${c.group_by ? ` per ${c.group_by}` : ""}, ${c.reconcile})`,
      config,
      data,
      forecast,
      end,
      forecast.forecasts,
      {
        ...salescast,
        note: `fit ${forecast.seconds.fit.toFixed(0)} s, forecast ${forecast.seconds.forecast.toFixed(0)} s, trees ${forecast.fits.map((f) => f.fit.models.reduce((s, m) => s + m.trees, 0)).join("+")}`,
      },
    ),
  );
  done(
    scoreRow("seasonal naive (bottom-up)", config, data, forecast, end, seasonalNaiveForecast(data, forecast, end), {
      seconds: null,
      cpuSeconds: null,
      maxRssMiB: null,
      note: "",
    }),
  );
  if (!argv.includes("--no-lightgbm")) {
    const lgbm = await lightgbm(config, data, end, folder).catch(anchorFailed);
    if (typeof lgbm === "string")
      done({ model: "LightGBM (mlforecast)", seconds: null, cpuSeconds: null, maxRssMiB: null, note: lgbm, levels: null, wrmsse: null });
    else
      done(
        scoreRow("LightGBM (mlforecast, same features)", config, data, forecast, end, bottomUp(forecast, lgbm.bottom), {
          ...lgbm,
          note: "bottom-up, recursive, tweedie",
        }),
      );
  }
  if (!argv.includes("--no-statsforecast")) {
    const sf = await Promise.resolve()
      .then(() => statsforecastEts(data, end, sfSample, folder))
      .catch(anchorFailed);
    done(
      typeof sf === "string"
        ? { model: "statsforecast AutoETS", seconds: null, cpuSeconds: null, maxRssMiB: null, note: sf, levels: null, wrmsse: null }
        : {
            model: "statsforecast AutoETS (bottom-up)",
            seconds: sf.seconds,
            cpuSeconds: sf.cpuSeconds,
            maxRssMiB: null,
            note: `${sf.fitted} of ${sf.series.toLocaleString("en-US")} series fitted, time extrapolated ×${(sf.series / sf.fitted).toFixed(1)}, no WRMSSE`,
            levels: null,
            wrmsse: null,
          },
    );
  }
  if (!argv.includes("--no-ets")) {
    const ets = await bottomUpEts(config, data, end, etsSample, threads);
    const on = `on ${ets.threads} thread${ets.threads === 1 ? "" : "s"}`;
    const timing = {
      seconds: ets.seconds,
      cpuSeconds: ets.cpuSeconds,
      maxRssMiB: null,
      note: ets.bottom
        ? `every series, ${on}`
        : `${ets.fitted} series fitted ${on}, time extrapolated ×${(data.series.length / ets.fitted).toFixed(1)}, no WRMSSE`,
    };
    done(
      ets.bottom
        ? scoreRow("bottom-up ETS (salescast AutoETS)", config, data, forecast, end, bottomUp(forecast, ets.bottom), timing)
        : { model: "bottom-up ETS (salescast AutoETS)", ...timing, levels: null, wrmsse: null },
    );
  }
  // The table keeps its order: salescast, the benchmarks, then the anchors.
  const order = ["salescast", "seasonal naive", "bottom-up ETS", "statsforecast", "LightGBM"];
  const rank = (row: Row) => order.findIndex((prefix) => row.model.startsWith(prefix));
  const rows = [...ran].sort((x, y) => rank(x) - rank(y));
  for (const file of ["history.csv", "statsforecast-in.csv"]) await rm(join(folder, file), { force: true });

  const figures = {
    date: new Date().toISOString(),
    command: `node dist/bench/catalogue.js ${argv.join(" ")}`.trim(),
    shape: { stores, items, days, series: data.series.length, level_series: forecast.rows.rowNames.length, file: path },
    ingest,
    limits: { seconds: LIMITS.seconds, max_rss_mib: LIMITS.maxRssMiB },
    within_limits: salescast.seconds <= LIMITS.seconds && salescast.maxRssMiB <= LIMITS.maxRssMiB,
    window: selection ? "selection" : "evaluation",
    eta: eta.map((e) => ({ at: e.at, elapsed_seconds: e.elapsed, eta_seconds: e.eta, left_seconds: e.left, error: e.error })),
    total_seconds: (performance.now() - started) / 1000,
    rows,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  const levels = forecast.rows.levelNames;
  const fmt = (v: number | null, digits = 3) => (v === null || !Number.isFinite(v) ? "-" : v.toFixed(digits));
  process.stdout.write(
    `${figures.date} ${figures.command}\n` +
      `catalogue ${stores} stores × ${items} items × ${days} days: ${data.series.length.toLocaleString("en-US")} series, ${forecast.rows.rowNames.length.toLocaleString("en-US")} in all levels; ` +
      `ingest ${ingest.seconds.toFixed(1)} s (${ingest.cpuSeconds.toFixed(1)} s CPU), ${ingest.maxRssMiB.toFixed(0)} MiB\n` +
      `fit + forecast of the ${selection ? `${HORIZON} days before the last ${HORIZON} (selection window)` : `last ${HORIZON} days`} (targets at 30,490 series: ≤ ${LIMITS.seconds / 60} min, ≤ ${LIMITS.maxRssMiB / 1024} GiB)\n` +
      `progress ETA against the time really left: ${eta.map((e) => `at ${(e.at * 100).toFixed(0)}% ${formatSeconds(e.eta)} for ${formatSeconds(e.left)} (${e.error >= 0 ? "+" : ""}${(e.error * 100).toFixed(0)}%)`).join(", ")}\n\n` +
      formatTextTable(
        ["model", "wall s", "CPU s", "peak RSS MiB", "WRMSSE", "note"],
        rows.map((r) => [r.model, fmt(r.seconds, 1), fmt(r.cpuSeconds, 1), fmt(r.maxRssMiB, 0), fmt(r.wrmsse), r.note]),
      ) +
      "\n\nWRMSSE per level\n" +
      formatTextTable(
        ["level", "series", ...rows.map((r) => r.model.replace(/ \(.*\)$/, ""))],
        levels.map((level, l) => [level, String(forecast.rows.rowLevels.filter((x) => x === l).length), ...rows.map((r) => fmt(r.levels?.[level] ?? null))]),
      ) +
      "\n",
  );
}

await main();
