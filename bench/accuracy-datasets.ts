// What the accuracy bench runs on: the two shared datasets of issue 17 by default, or any other
// file described with salescast's own data.* settings (so nothing is tied to these two files).
// The windows depend on the frequency only: H, W and S of the protocol, the MASE season and
// the seasonal periods given to the anchors.
import { basename, extname, join } from "node:path";
import type { Frequency } from "../src/data/types.js";

export interface FrequencyDefaults {
  horizon: number;
  windows: number;
  /** Periods between cutoffs: a week. */
  step: number;
  /** MASE lag and the anchors' season_length. */
  season: number;
  /** Seasonal periods for MSTL: weekly and yearly for days, yearly for weeks. */
  mstlSeasons: number[];
}

export const FREQUENCY_DEFAULTS: Record<Frequency, FrequencyDefaults> = {
  D: { horizon: 7, windows: 8, step: 7, season: 7, mstlSeasons: [7, 365] },
  W: { horizon: 4, windows: 8, step: 1, season: 52, mstlSeasons: [52] },
};

export interface DatasetSpec {
  /** Its name in the results (file names under bench/results/). */
  name: string;
  /** salescast key=value overrides that read it (data.csv_path=… among them), for the bench and the backtest alike. */
  overrides: string[];
}

/** pharma (wide, 8 daily series) and walmart (long, 45 weekly series), files in `dataDir`. */
export function builtInDatasets(dataDir: string): DatasetSpec[] {
  return [
    { name: "pharma", overrides: [`data.csv_path=${join(dataDir, "pharma_sales_daily.csv")}`, "data.layout=wide", "data.frequency=D"] },
    {
      name: "walmart",
      overrides: [
        `data.csv_path=${join(dataDir, "walmart_weekly.csv")}`,
        "data.layout=long",
        "data.frequency=W",
        "data.date_column=Date",
        "data.category_column=Store",
        "data.value_column=Weekly_Sales",
      ],
    },
  ];
}

/** Another file: `--data FILE` plus the key=value settings that describe it. */
export function customDataset(file: string, overrides: string[], name?: string): DatasetSpec {
  const fallback = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]+/g, "_") || "data";
  return { name: name ?? fallback, overrides: [`data.csv_path=${file}`, ...overrides] };
}

/** A name that is safe as a file name under bench/results/, or an error saying what is allowed. */
export function checkDatasetName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new Error(`--name "${name}": use letters, digits, ".", "_" or "-" (it becomes a file name under bench/results/).`);
  }
  return name;
}
