// The command line of `npm run bench:accuracy -- …` (usage below), checked before any work.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { builtInDatasets, checkDatasetName, customDataset, type DatasetSpec } from "./accuracy-datasets.js";

export const USAGE = `npm run bench:accuracy -- [options] [key=value ...]

Runs salescast's backtest and the anchors (R forecast::ets, statsforecast, mlforecast + LightGBM)
on the same cutoffs and scores every forecast with one protocol (docs/accuracy.md).

datasets (default: the two shared ones)
  --only LIST            built-in datasets to run: pharma, walmart (default both)
  --data-dir DIR         folder holding pharma_sales_daily.csv and walmart_weekly.csv
                         (default $SALESCAST_SHARED_DATA, else ../shared/data beside the project)
  --data FILE            run on this file instead; the key=value arguments describe it in
                         salescast's own settings (data.layout=wide, data.frequency=W,
                         data.category_column=Store, data.value_column=Sales, ...)
  --name NAME            its name in bench/results/ (default: the file's name)
  --config PATH          salescast's config file (default config/config.yaml)
windows (default by frequency: daily H 7, 8 windows, step 7; weekly H 4, 8 windows, step 1)
  --horizon N, --windows N, --step N
what runs
  --anchors LIST         r, statsforecast, mlforecast, or none (default: all three)
  --no-salescast         anchors only
  --salescast-args="…"   more options for salescast backtest, split on spaces
                         (write it with "=": --salescast-args="--auto")
  --salescast-rows FILE  score this backtest --out file instead of running the backtest (one dataset)
  --kinds LIST           salescast model kinds to backtest, one backtest run each: "configured"
                         (the reference's network, with its calendar and direct variants), any
                         kind with its backtest variants, e.g. gbdt (with gbdt_direct), and auto
                         (the tournament: every candidate and the row auto); a model an earlier
                         run scored keeps that run's rows; default configured,gbdt,auto
  --jobs N               processes / threads the anchors and LightGBM use (default 2)
output
  --out-dir DIR          tables as markdown and JSON (default bench/results)
  --work DIR             keep the intermediate files (long CSV, every tool's forecasts) there
  --help`;

export const ANCHOR_TOOLS = ["r", "statsforecast", "mlforecast"] as const;
export type AnchorTool = (typeof ANCHOR_TOOLS)[number];

export interface BenchOptions {
  datasets: DatasetSpec[];
  configPath: string;
  horizon?: number;
  windows?: number;
  step?: number;
  anchors: AnchorTool[];
  salescast: boolean;
  salescastArgs: string[];
  salescastRows?: string;
  /** One salescast backtest per entry ("configured" = model.architecture as configured). */
  kinds: string[];
  jobs: number;
  outDir: string;
  work?: string;
}

/** A wrong command line: the message says what to change. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = "OptionsError";
  }
}

function positiveInteger(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new OptionsError(`${flag} must be a whole number of at least 1, got "${value}".`);
  return Number(value);
}

/** --kinds: "configured" and kind names (checked by salescast itself, which names the known kinds). */
function checkKinds(value: string | undefined): string[] {
  const kinds = [
    ...new Set(
      (value ?? "configured,gbdt,auto")
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ];
  if (kinds.length === 0) throw new OptionsError("--kinds needs at least one kind (configured, gbdt, ...).");
  const bad = kinds.find((k) => !/^[A-Za-z_]+$/.test(k));
  if (bad !== undefined) throw new OptionsError(`--kinds: "${bad}" is not a model kind name.`);
  return kinds;
}

/** undefined for --help. `root` is the project folder (defaults are relative to it). */
export function parseBenchOptions(argv: string[], root: string, env: NodeJS.ProcessEnv = process.env): BenchOptions | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        only: { type: "string" },
        "data-dir": { type: "string" },
        data: { type: "string" },
        name: { type: "string" },
        config: { type: "string" },
        horizon: { type: "string" },
        windows: { type: "string" },
        step: { type: "string" },
        anchors: { type: "string" },
        "no-salescast": { type: "boolean" },
        "salescast-args": { type: "string" },
        "salescast-rows": { type: "string" },
        kinds: { type: "string" },
        jobs: { type: "string" },
        "out-dir": { type: "string" },
        work: { type: "string" },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;

  const overrides = positionals;
  const notOverride = overrides.find((arg) => !/^[A-Za-z_][\w.]*=/.test(arg));
  if (notOverride !== undefined) throw new OptionsError(`"${notOverride}" is not an option or a key=value setting.`);

  let datasets: DatasetSpec[];
  if (values.data !== undefined) {
    if (values.only !== undefined) throw new OptionsError("--only picks built-in datasets; it cannot be used with --data.");
    datasets = [customDataset(resolve(values.data), overrides, values.name === undefined ? undefined : checkName(values.name))];
  } else {
    if (values.name !== undefined) throw new OptionsError("--name names the file of --data; give --data FILE too.");
    const dataDir = resolve(values["data-dir"] ?? env.SALESCAST_SHARED_DATA ?? resolve(root, "../shared/data"));
    const all = builtInDatasets(dataDir).map((d) => ({ ...d, overrides: [...d.overrides, ...overrides] }));
    const only = values.only?.split(",").filter(Boolean);
    const unknown = only?.filter((name) => !all.some((d) => d.name === name)) ?? [];
    if (unknown.length) throw new OptionsError(`--only: unknown dataset ${unknown.join(", ")}; the built-in ones are ${all.map((d) => d.name).join(", ")}.`);
    datasets = only ? all.filter((d) => only.includes(d.name)) : all;
  }

  const anchorList = (values.anchors ?? ANCHOR_TOOLS.join(",")).split(",").filter(Boolean);
  const anchors = anchorList.length === 1 && anchorList[0] === "none" ? [] : anchorList;
  const badAnchor = anchors.find((a) => !(ANCHOR_TOOLS as readonly string[]).includes(a));
  if (badAnchor !== undefined) throw new OptionsError(`--anchors: unknown tool "${badAnchor}"; known: ${ANCHOR_TOOLS.join(", ")}, or none.`);

  const salescast = !values["no-salescast"];
  if (values["salescast-rows"] !== undefined && (datasets.length !== 1 || !salescast)) {
    throw new OptionsError("--salescast-rows scores one backtest --out file: run one dataset (--only NAME or --data FILE), without --no-salescast.");
  }
  if (!salescast && anchors.length === 0) throw new OptionsError("nothing to run: --no-salescast and --anchors none.");

  return {
    datasets,
    configPath: resolve(values.config ?? resolve(root, "config/config.yaml")),
    horizon: positiveInteger("--horizon", values.horizon),
    windows: positiveInteger("--windows", values.windows),
    step: positiveInteger("--step", values.step),
    anchors: anchors as AnchorTool[],
    salescast,
    salescastArgs: (values["salescast-args"] ?? "").split(/\s+/).filter(Boolean),
    salescastRows: values["salescast-rows"] === undefined ? undefined : resolve(values["salescast-rows"]),
    kinds: checkKinds(values.kinds),
    jobs: positiveInteger("--jobs", values.jobs) ?? 2,
    outDir: resolve(values["out-dir"] ?? resolve(root, "bench/results")),
    work: values.work === undefined ? undefined : resolve(values.work),
  };
}

function checkName(name: string): string {
  try {
    return checkDatasetName(name);
  } catch (error) {
    throw new OptionsError((error as Error).message);
  }
}
