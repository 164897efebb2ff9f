// Catalogue ingest benchmark (issue 19): writes the M5-like demo catalogue (default 10 stores x
// 3,049 items x 1,941 days = 30,490 series, about 55 million rows) to a temp folder, then reads it
// with data.series_key [store_id, item_id] and M5's twelve hierarchy levels (42,840 series), and
// checks the limits: ingest within 30 s and 2 GiB peak RSS.
//
//   npm run bench:catalogue-ingest
//   node dist/bench/catalogue-ingest.js --stores 2 --items 500 --days 400 [--csv] [--json]
//
// --csv also writes and reads the same catalogue as CSV (every value parsed from text: slower).
// Generation and each ingest run in their own child process, so each peak RSS is its own. Wall
// and CPU time are both printed: on a machine shared with other work the wall time also
// measures the others. runCatalogueIngestBench is exported for `npm run bench:catalogue`.

import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCatalogue, CATALOGUE_DEFAULTS } from "../src/data/demo-catalogue.js";
import { loadSales } from "../src/data/ingest.js";
import { dataSettingsFromDefaults } from "../src/config/from-defaults.js";

/** The limits for the 59-million-row catalogue on this machine. */
export const INGEST_LIMITS = { seconds: 30, maxRssMiB: 2048 } as const;

/** M5's twelve aggregation levels. */
export const M5_LEVELS = [
  [],
  ["state_id"],
  ["store_id"],
  ["cat_id"],
  ["dept_id"],
  ["state_id", "cat_id"],
  ["state_id", "dept_id"],
  ["store_id", "cat_id"],
  ["store_id", "dept_id"],
  ["item_id"],
  ["state_id", "item_id"],
  ["store_id", "item_id"],
];

export const CATALOGUE_SETTINGS = {
  date_column: "date",
  value_column: "sales",
  series_key: ["store_id", "item_id"],
  hierarchy: M5_LEVELS,
};

interface Measured {
  seconds: number;
  cpuSeconds: number;
  maxRssMiB: number;
}

interface Generated extends Measured {
  rows: number;
  series: number;
  sizeMiB: number;
}

interface Ingested extends Measured {
  rows: number;
  series: number;
  levelSeries: number;
}

export interface CatalogueIngestFigures {
  shape: { stores: number; items: number; days: number };
  files: { format: "parquet" | "csv"; generate: Generated; ingest: Ingested; withinLimits: boolean }[];
}

function measured(started: number, cpu: NodeJS.CpuUsage): Measured {
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
}

async function childGenerate(path: string, stores: number, items: number, days: number): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const written = await writeCatalogue(path, { stores, items, days, seed: 42 });
  const result: Generated = { ...measured(started, cpu), rows: written.rows, series: written.series, sizeMiB: statSync(path).size / 2 ** 20 };
  process.stdout.write(JSON.stringify(result) + "\n");
}

async function childIngest(path: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const data = await loadSales(dataSettingsFromDefaults({ csv_path: path, ...CATALOGUE_SETTINGS }));
  const result: Ingested = {
    ...measured(started, cpu),
    rows: data.source.rows,
    series: data.series.length,
    levelSeries: data.catalogue?.hierarchy?.aggregates.length ?? 0,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

function runChild<T>(args: string[]): T {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...args], { encoding: "utf8", maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${args.join(" ")} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as T;
}

export async function runCatalogueIngestBench(
  shape: { stores: number; items: number; days: number },
  options: { csv?: boolean; log?: (line: string) => void } = {},
): Promise<CatalogueIngestFigures> {
  const log = options.log ?? (() => undefined);
  const folder = await mkdtemp(join(tmpdir(), "salescast-bench-catalogue-"));
  try {
    const figures: CatalogueIngestFigures = { shape, files: [] };
    for (const format of options.csv ? (["parquet", "csv"] as const) : (["parquet"] as const)) {
      const path = join(folder, `catalogue.${format}`);
      log(`generating ${format} ...`);
      const generate = runChild<Generated>(["--generate", path, String(shape.stores), String(shape.items), String(shape.days)]);
      log(`ingesting ${format} ...`);
      const ingest = runChild<Ingested>(["--ingest", path]);
      figures.files.push({ format, generate, ingest, withinLimits: ingest.seconds <= INGEST_LIMITS.seconds && ingest.maxRssMiB <= INGEST_LIMITS.maxRssMiB });
      await rm(path, { force: true });
    }
    return figures;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const format = (value: number, digits = 1) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatCatalogueIngest(figures: CatalogueIngestFigures): string {
  const { stores, items, days } = figures.shape;
  const lines = [
    `catalogue ${stores} stores x ${items} items x ${days} days (seed 42); limits: ingest <= ${INGEST_LIMITS.seconds} s, peak RSS <= ${INGEST_LIMITS.maxRssMiB} MiB`,
  ];
  lines.push(
    "| file | rows | size MiB | generate s (CPU) | generate RSS MiB | ingest s (CPU) | ingest RSS MiB | series | level series | M rows/s | within limits |",
  );
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
  for (const file of figures.files) {
    const { generate: g, ingest: i } = file;
    lines.push(
      `| ${file.format} | ${i.rows.toLocaleString("en-US")} | ${format(g.sizeMiB)} | ${format(g.seconds)} (${format(g.cpuSeconds)}) | ${format(g.maxRssMiB, 0)} | ` +
        `${format(i.seconds)} (${format(i.cpuSeconds)}) | ${format(i.maxRssMiB, 0)} | ${i.series.toLocaleString("en-US")} | ${i.levelSeries.toLocaleString("en-US")} | ` +
        `${format(i.rows / i.seconds / 1e6)} | ${file.withinLimits ? "yes" : "NO"} |`,
    );
  }
  return lines.join("\n");
}

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a whole number >= 1, got ${argv[index + 1]}`);
  return value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--generate") return childGenerate(argv[1], Number(argv[2]), Number(argv[3]), Number(argv[4]));
  if (argv[0] === "--ingest") return childIngest(argv[1]);
  const shape = {
    stores: option(argv, "--stores", CATALOGUE_DEFAULTS.stores),
    items: option(argv, "--items", CATALOGUE_DEFAULTS.items),
    days: option(argv, "--days", CATALOGUE_DEFAULTS.days),
  };
  const figures = await runCatalogueIngestBench(shape, { csv: argv.includes("--csv"), log: (line) => process.stderr.write(line + "\n") });
  if (argv.includes("--json")) process.stdout.write(JSON.stringify(figures) + "\n");
  else process.stdout.write(formatCatalogueIngest(figures) + "\n");
  if (figures.files.some((file) => !file.withinLimits) && shape.stores * shape.items * shape.days >= 50_000_000) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
