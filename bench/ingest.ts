// Ingest benchmark: writes a 10-million-row transactions CSV (the demo generator at a larger
// volume, streamed to a temp folder), then times loadSales on it and, when pandas is
// importable by /usr/bin/python3, the same aggregation in pandas (read_csv + groupby).
//
//   npm run bench:ingest                  (10,000,000 rows)
//   node dist/bench/ingest.js --rows 1000000
//
// Each measurement runs in its own child process so that its peak RSS is its own, not the
// generator's. Wall time and CPU time are both printed: on a machine shared with other work
// the wall time mostly measures the others.

import { execFileSync, spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { demoCsvChunks, writeDemoData } from "../src/data/demo.js";
import { loadSales } from "../src/data/ingest.js";
import type { DataSettings } from "../src/data/types.js";
import { dataSettingsFromDefaults } from "../src/config/from-defaults.js";

const PYTHON = "/usr/bin/python3";

interface Measurement {
  seconds: number;
  /** CPU time (user + system, all threads): the fairer figure on a busy machine. */
  cpuSeconds: number;
  maxRssMiB: number;
  categories: number;
  periods: number;
}

const PANDAS_SCRIPT = `
import resource, sys, time, json
import pandas as pd
started = time.perf_counter()
cpu = resource.getrusage(resource.RUSAGE_SELF)
frame = pd.read_csv(sys.argv[1], usecols=["Date", "Product Category", "Total Amount"])
daily = frame.groupby(["Product Category", "Date"])["Total Amount"].sum()
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu_seconds = usage.ru_utime + usage.ru_stime - cpu.ru_utime - cpu.ru_stime
print(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "maxRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "categories": int(daily.index.get_level_values(0).nunique()), "periods": int(len(daily))}))
`;

function settingsFor(path: string): DataSettings {
  return dataSettingsFromDefaults({ csv_path: path });
}

/** Child mode: one loadSales, report as JSON on stdout. */
async function measureLoadSales(path: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const data = await loadSales(settingsFor(path));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const result: Measurement = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    maxRssMiB: process.resourceUsage().maxRSS / 1024, // maxRSS is in KiB
    categories: data.series.length,
    periods: data.series.reduce((acc, series) => acc + series.values.length, 0),
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

function runChild(command: string, args: string[]): Measurement {
  const child = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as Measurement;
}

function pandasAvailable(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import pandas"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function parseRows(argv: string[]): number {
  const index = argv.indexOf("--rows");
  if (index === -1) return 10_000_000;
  const rows = Number(argv[index + 1]);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows needs a whole number >= 1, got ${argv[index + 1]}`);
  return rows;
}

const format = (value: number, digits = 2) => value.toLocaleString("en-US", { maximumFractionDigits: digits });

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--measure") return measureLoadSales(argv[1]);

  const rows = parseRows(argv);
  const folder = await mkdtemp(join(tmpdir(), "salescast-bench-ingest-"));
  try {
    const path = join(folder, "transactions.csv");
    // Rows of the default demo file (3 years) size the volume scale, with 10 % headroom;
    // maxRows cuts the file at exactly `rows`.
    let rowsAtScale1 = 0;
    for (const chunk of demoCsvChunks({ seed: 7 })) rowsAtScale1 += chunk.rows;
    const volumeScale = Math.max(1, (rows / rowsAtScale1) * 1.1);
    let started = performance.now();
    const written = await writeDemoData(path, { seed: 7, volumeScale, maxRows: rows });
    const sizeMiB = statSync(path).size / 2 ** 20;
    console.log(`generated ${format(written.rows, 0)} rows (${format(sizeMiB, 0)} MiB) in ${format((performance.now() - started) / 1000)} s: ${path}`);

    const self = fileURLToPath(import.meta.url);
    const duck = runChild(process.execPath, [self, "--measure", path]);
    console.log(
      `loadSales (DuckDB, incl. sha256 of the file): ${format(duck.seconds)} s (CPU ${format(duck.cpuSeconds)} s), ` +
        `${format(written.rows / duck.seconds / 1e6)} M rows/s, peak RSS ${format(duck.maxRssMiB, 0)} MiB, ` +
        `${duck.categories} categories, ${duck.periods} periods`,
    );

    if (!pandasAvailable()) {
      console.log(`pandas comparison skipped: ${PYTHON} cannot import pandas (install it with: apt-get install python3-pandas)`);
      return;
    }
    started = performance.now();
    const pandas = runChild(PYTHON, ["-c", PANDAS_SCRIPT, path]);
    console.log(
      `pandas read_csv + groupby: ${format(pandas.seconds)} s (CPU ${format(pandas.cpuSeconds)} s), ${format(written.rows / pandas.seconds / 1e6)} M rows/s, ` +
        `peak RSS ${format(pandas.maxRssMiB, 0)} MiB, ${pandas.categories} categories, ${pandas.periods} category-days with sales`,
    );
    console.log(`ratio pandas / loadSales: wall ${format(pandas.seconds / duck.seconds)}x, CPU ${format(pandas.cpuSeconds / duck.cpuSeconds)}x`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
