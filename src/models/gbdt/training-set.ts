// The training rows of one model from every series at once (the global part): a row per target
// period t of each series, its features (feature-rows.ts) and its scaled value as the label.
// The last `validationPeriods` periods of each series are held out for early stopping.
import type { GbdtDataset } from "../../engine/gbdt/index.js";
import { featureCount, featureNames, fillRow, historyComplete, type ModelFeatures, type SeriesContext } from "./feature-rows.js";
import type { GbdtTrainingRows } from "./types.js";

/** The first target period that becomes a row under `policy` (may be ≥ the series' length: no rows). */
export function firstRow(f: ModelFeatures, policy: GbdtTrainingRows): number {
  if (policy === "complete") {
    let t = 0;
    for (const lag of f.lags) t = Math.max(t, lag);
    for (const r of f.rolling) t = Math.max(t, r.lag + r.window - 1);
    return t;
  }
  if (f.lags.length > 0) return Math.min(...f.lags);
  if (f.rolling.length > 0) return Math.min(...f.rolling.map((r) => r.lag + r.window - 1));
  return 0;
}

export interface TrainingSet {
  train: GbdtDataset;
  /** Held-out rows; undefined when no series was long enough to give any. */
  valid: GbdtDataset | undefined;
  /**
   * Every row (train then valid): what a refit trains on. Built on first use only: without a
   * refit it is never needed, and at catalogue scale it is gigabytes.
   */
  readonly all: GbdtDataset;
  /** [series index, target period] of each row of `all`. */
  origins: [number, number][];
}

/**
 * Builds the rows of `series` (each with its length `lengths[i]` of known values); with
 * `trainingWindow` > 0 only the targets among each series' last that many periods.
 */
export function buildTrainingSet(
  f: ModelFeatures,
  series: readonly SeriesContext[],
  lengths: readonly number[],
  policy: GbdtTrainingRows,
  validationPeriods: number,
  trainingWindow = 0,
): TrainingSet | undefined {
  const cols = featureCount(f);
  const first = firstRow(f, policy);
  const trainRows: [number, number][] = [];
  const validRows: [number, number][] = [];
  series.forEach((s, i) => {
    const n = lengths[i];
    const rows = [];
    const from = trainingWindow > 0 ? Math.max(first, n - trainingWindow) : first;
    for (let t = from; t < n; t++) if (policy === "any_lag" || historyComplete(f, t)) rows.push(t);
    // Hold out the last periods only where at least as many rows remain to learn from.
    const holdOut = validationPeriods > 0 && rows.length >= 2 * validationPeriods ? validationPeriods : 0;
    for (const t of rows) (t >= n - holdOut ? validRows : trainRows).push([i, t]);
  });
  if (trainRows.length === 0) return undefined;
  const names = featureNames(f);
  const make = (rows: [number, number][]): GbdtDataset => {
    const features = new Float32Array(rows.length * cols);
    const label = new Float32Array(rows.length);
    rows.forEach(([i, t], r) => {
      fillRow(f, series[i], t, features, r * cols);
      label[r] = series[i].z[t];
    });
    return { features, cols, label, featureNames: names };
  };
  const train = make(trainRows);
  const valid = validRows.length > 0 ? make(validRows) : undefined;
  let all: GbdtDataset | undefined = valid ? undefined : train;
  return {
    train,
    valid,
    get all() {
      return (all ??= make([...trainRows, ...validRows]));
    },
    origins: [...trainRows, ...validRows],
  };
}
