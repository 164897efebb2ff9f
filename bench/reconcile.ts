// Reconciliation bench: every method of src/models/reconcile on a synthetic M5-sized hierarchy
// (bench/reconcile-hierarchy.ts: 10 stores × 3,049 items = 30,490 bottom series, 12 levels,
// 42,840 series, h = 28), time and peak memory per method, next to hierarchicalforecast on the
// same numbers where it can run at that size (bench/anchors/hierarchicalforecast_bench.py in the
// anchors venv).
//
//   npm run bench:reconcile
//   node dist/bench/reconcile.js [--stores 10] [--items 3049] [--h 28] [--residual-steps 112]
//                                [--repeats 2] [--no-anchor] [--anchor-timeout 900]
//
// Agreement with hierarchicalforecast at a size its dense MinTrace can take (docs/reconcile.md):
//   node dist/bench/reconcile.js --items 300 --one ols --dump DIR   (data + our forecasts in DIR)
//   .venv-anchors/bin/python bench/anchors/hierarchicalforecast_agreement.py --data DIR --method ols
//
// Each method runs in its own process (this file with --one METHOD) so its peak RSS (VmHWM) is
// its own; "data only" is the same process building the data and reconciling nothing. Wall and
// CPU time (user + system, all threads) of the reconciliation call alone, the least of
// --repeats; the machine is shared, so the ratio is taken on CPU time, each side's own cost.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ReconcileMethod, reconcile, summingStructure } from "../src/models/reconcile/index.js";
import { formatTextTable } from "../src/util/text-table.js";
import { anchorsPython } from "./anchors-venv.js";
import { m5Hierarchy, m5TopDownAggregates, syntheticForecasts } from "./reconcile-hierarchy.js";

const METHODS = ["bottom_up", "bottom_up+intervals", "top_down", "ols", "wls_struct", "wls_var", "mint_shrink"] as const;
type BenchMethod = (typeof METHODS)[number] | "none";

interface Options {
  stores: number;
  items: number;
  h: number;
  residualSteps: number;
  repeats: number;
  anchor: boolean;
  anchorTimeout: number;
  one?: BenchMethod;
  dump?: string;
}

function parse(argv: string[]): Options {
  const options: Options = { stores: 10, items: 3049, h: 28, residualSteps: 112, repeats: 2, anchor: true, anchorTimeout: 900 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => argv[++i];
    switch (argv[i]) {
      case "--stores":
        options.stores = Number(value());
        break;
      case "--items":
        options.items = Number(value());
        break;
      case "--h":
        options.h = Number(value());
        break;
      case "--residual-steps":
        options.residualSteps = Number(value());
        break;
      case "--repeats":
        options.repeats = Number(value());
        break;
      case "--no-anchor":
        options.anchor = false;
        break;
      case "--anchor-timeout":
        options.anchorTimeout = Number(value());
        break;
      case "--one":
        options.one = value() as BenchMethod;
        break;
      case "--dump":
        options.dump = value();
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return options;
}

function peakRssMb(): number {
  const line = readFileSync("/proc/self/status", "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmHWM:"));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
}

interface OneResult {
  method: BenchMethod;
  seconds: number;
  cpu_seconds: number;
  peak_rss_mb: number;
  iterations?: number;
  shrinkage?: number;
  series: number;
}

/** Child mode: build the data, reconcile with one method, print one JSON line. */
function runOne(options: Options): void {
  const hierarchy = m5Hierarchy(options.stores, options.items);
  const data = syntheticForecasts(hierarchy, options.h, options.residualSteps, 20261204);
  const s = summingStructure(hierarchy.structure);
  if (options.dump) {
    writeFileSync(
      join(options.dump, "structure.json"),
      JSON.stringify({ ...hierarchy.structure, level_of: Array.from(hierarchy.level_of), h: options.h, residual_steps: options.residualSteps }),
    );
    writeFileSync(join(options.dump, "base.f64"), data.base);
    writeFileSync(join(options.dump, "residuals.f64"), data.residuals);
  }
  const method = options.one!;
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let last: ReturnType<typeof reconcile> | undefined;
  for (let r = 0; r < (method === "none" ? 0 : options.repeats); r++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const withIntervals = method === "bottom_up+intervals";
    last = reconcile(s, data.base, options.h, {
      method: (withIntervals ? "bottom_up" : method) as ReconcileMethod,
      residuals: data.residuals,
      sigma: withIntervals ? data.sigma : undefined,
      levels: withIntervals ? [80, 95] : undefined,
      top_down_aggregates: method === "top_down" ? m5TopDownAggregates(hierarchy) : undefined,
    });
    best = Math.min(best, (performance.now() - started) / 1000);
    const cpu = process.cpuUsage(cpuStarted);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  if (options.dump && last) writeFileSync(join(options.dump, `ours_${method}.f64`), last.forecasts);
  const result: OneResult = {
    method,
    seconds: method === "none" ? 0 : best,
    cpu_seconds: method === "none" ? 0 : bestCpu,
    peak_rss_mb: peakRssMb(),
    iterations: last?.iterations,
    shrinkage: last?.shrinkage,
    series: s.seriesCount,
  };
  console.log(JSON.stringify(result));
}

function childJson(command: string, args: string[], timeoutSeconds = 0): Record<string, unknown> | { error: string } {
  const run = spawnSync(command, args, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 1 << 24,
    timeout: timeoutSeconds * 1000 || undefined,
  });
  if (run.error && timeoutSeconds) return { error: `stopped after ${timeoutSeconds} s (--anchor-timeout)` };
  const line = run.stdout?.trim().split("\n").pop();
  if (run.status !== 0 || !line?.startsWith("{")) return { error: (run.stderr || `exit ${run.status}`).trim().split("\n").slice(-3).join(" | ") };
  return JSON.parse(line) as Record<string, unknown>;
}

function main(): void {
  const options = parse(process.argv.slice(2));
  if (options.one) return runOne(options);
  const self = fileURLToPath(import.meta.url);
  const common = [
    "--stores",
    `${options.stores}`,
    "--items",
    `${options.items}`,
    "--h",
    `${options.h}`,
    "--residual-steps",
    `${options.residualSteps}`,
    "--repeats",
    `${options.repeats}`,
  ];
  const dump = mkdtempSync(join(tmpdir(), "salescast-reconcile-"));
  try {
    const baseline = childJson(process.execPath, [self, ...common, "--one", "none", "--dump", dump]) as unknown as OneResult;
    console.error(
      `reconcile bench: ${baseline.series} series, h ${options.h}, ${options.residualSteps} residual steps; data-only peak RSS ${baseline.peak_rss_mb?.toFixed(0)} MB`,
    );
    const ours = new Map<string, OneResult | { error: string }>();
    for (const method of METHODS) {
      console.error(`  salescast ${method} ...`);
      ours.set(method, childJson(process.execPath, [self, ...common, "--one", method]) as unknown as OneResult);
    }
    const theirs = new Map<string, Record<string, unknown>>();
    const python = options.anchor ? anchorsPython("bench:reconcile") : undefined;
    if (python) {
      const script = join(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "bench", "anchors", "hierarchicalforecast_bench.py");
      for (const method of ["none", ...METHODS]) {
        console.error(`  hierarchicalforecast ${method} ...`);
        theirs.set(method, childJson(python, [script, "--data", dump, "--method", method, "--repeats", `${options.repeats}`], options.anchorTimeout));
      }
    }
    const fmt = (x: unknown, digits = 2) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "-");
    const rows = METHODS.map((method) => {
      const a = ours.get(method) as OneResult & { error?: string };
      const b = theirs.get(method) as { seconds?: number; cpu_seconds?: number; peak_rss_mb?: number; error?: string; skipped?: string } | undefined;
      const ratio = a?.cpu_seconds && b?.cpu_seconds ? a.cpu_seconds / b.cpu_seconds : undefined;
      const theirCell = b ? (b.error ? `error: ${b.error.slice(0, 60)}` : b.skipped ? `skipped: ${b.skipped}` : fmt(b.seconds, 3)) : "not run";
      return [
        method,
        a.error ? `error: ${a.error}` : fmt(a.seconds, 3),
        a.error ? "-" : fmt(a.cpu_seconds, 3),
        a.error ? "-" : fmt(a.peak_rss_mb, 0),
        a.iterations === undefined ? "-" : `${a.iterations}`,
        theirCell,
        fmt(b?.cpu_seconds, 3),
        fmt(b?.peak_rss_mb, 0),
        ratio === undefined ? "-" : `${ratio.toFixed(2)}×`,
      ];
    });
    const theirBaseline = theirs.get("none") as { peak_rss_mb?: number } | undefined;
    console.log(
      `Reconciliation of a synthetic M5-sized hierarchy: ${options.stores} stores × ${options.items} items = ${options.stores * options.items} bottom series, ${baseline.series} series in 12 levels, h = ${options.h}, ${options.residualSteps} residual steps (least of ${options.repeats} runs; peak RSS of the whole process, data included: data alone ${fmt(baseline.peak_rss_mb, 0)} MB here, ${fmt(theirBaseline?.peak_rss_mb, 0)} MB in Python)`,
    );
    console.log(
      formatTextTable(
        ["method", "salescast wall s", "CPU s", "peak MB", "solver iterations", "hierarchicalforecast wall s", "CPU s", "peak MB", "CPU ratio (ours / theirs)"],
        rows,
      ),
    );
  } finally {
    rmSync(dump, { recursive: true, force: true });
  }
}

main();
