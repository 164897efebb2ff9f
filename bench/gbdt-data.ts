// The GBDT bench's datasets, built once here and written to files that the LightGBM side reads,
// so that both train on the very same float32 features:
// - pharma: a forecasting-like global dataset from ../shared/data/pharma_sales_daily.csv (8
//   daily series): each series scaled by its mean over the training days, lags 7..28, rolling
//   means (7, 14, 28 days, ending 7 days back), day of week, month, series index; the last
//   HOLDOUT_DAYS days of every series are held out.
// - synthetic: seeded rows × 30 features (informative, integer-coded, missing values, noise).

import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { monthOfEpochDay, weekdayOfEpochDay, epochDayFromIso } from "../src/data/dates.js";
import { loadSales } from "../src/data/ingest.js";
import { wideDaily } from "./shared-data.js";
import { Random } from "../src/engine/random.js";

export interface BenchDataset {
  name: string;
  description: string;
  cols: number;
  featureNames: string[];
  train: { features: Float32Array; label: Float32Array };
  test: { features: Float32Array; label: Float32Array };
  /** Multiplies a test prediction back into the data's units (per-series scale); all 1 for synthetic data. */
  testScale: Float32Array;
  params: Record<string, unknown>;
}

const LAGS = Array.from({ length: 22 }, (_, i) => 7 + i); // 7..28
const WINDOWS = [7, 14, 28];
const HOLDOUT_DAYS = 90;

export async function pharmaDataset(path: string, params: Record<string, unknown>): Promise<BenchDataset> {
  const data = await loadSales(wideDaily(path));
  const featureNames = [...LAGS.map((l) => `lag${l}`), ...WINDOWS.map((w) => `rolling_mean_${w}`), "day_of_week", "month", "series"];
  const cols = featureNames.length;
  const first = 7 + 28 - 1; // the first day with every lag and window
  const trainRows: number[][] = [];
  const testRows: number[][] = [];
  const trainLabel: number[] = [];
  const testLabel: number[] = [];
  const testScale: number[] = [];
  data.series.forEach((series, s) => {
    const v = series.values;
    const n = v.length;
    const cut = n - HOLDOUT_DAYS;
    let sum = 0;
    for (let t = 0; t < cut; t++) sum += v[t];
    const scale = sum > 0 ? sum / cut : 1;
    const y = Float64Array.from(v, (x) => x / scale);
    const startDay = epochDayFromIso(series.start)!;
    for (let t = first; t < n; t++) {
      const row = LAGS.map((l) => y[t - l]);
      for (const w of WINDOWS) {
        let m = 0;
        for (let k = t - 7 - w + 1; k <= t - 7; k++) m += y[k];
        row.push(m / w);
      }
      row.push(weekdayOfEpochDay(startDay + t), monthOfEpochDay(startDay + t), s);
      if (t < cut) {
        trainRows.push(row);
        trainLabel.push(y[t]);
      } else {
        testRows.push(row);
        testLabel.push(y[t]);
        testScale.push(scale);
      }
    }
  });
  return {
    name: "pharma",
    description: `pharma_sales_daily.csv: ${data.series.length} series, global, per-series scaling, lags 7-28, rolling means 7/14/28, day of week, month, series; last ${HOLDOUT_DAYS} days held out`,
    cols,
    featureNames,
    train: { features: Float32Array.from(trainRows.flat()), label: Float32Array.from(trainLabel) },
    test: { features: Float32Array.from(testRows.flat()), label: Float32Array.from(testLabel) },
    testScale: Float32Array.from(testScale),
    params,
  };
}

export function syntheticDataset(trainRows: number, testRows: number, params: Record<string, unknown>, seed = 2024): BenchDataset {
  const cols = 30;
  const random = new Random(seed);
  const make = (rows: number) => {
    const features = new Float32Array(rows * cols);
    const label = new Float32Array(rows);
    const x = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < 10; c++) x[c] = random.normal(); // informative, continuous
      for (let c = 10; c < 15; c++) x[c] = random.int(3 + 2 * (c - 10)); // integer-coded categories
      for (let c = 15; c < 20; c++) x[c] = random.next() < 0.1 ? NaN : random.uniform(-1, 1); // with missing values
      for (let c = 20; c < 30; c++) x[c] = random.normal(); // noise
      let f = 2 * Math.sin(x[0]) + x[1] * x[2] + (x[3] > 0.5 ? 1.5 : -0.5) + 0.5 * x[4] * x[4] + Math.abs(x[5]) - 0.7 * x[6];
      f += 0.3 * x[10] - (x[11] === 2 ? 1 : 0) + 0.2 * x[12] * (x[7] > 0 ? 1 : -1);
      for (let c = 15; c < 20; c++) f += Number.isNaN(x[c]) ? 0.5 : x[c] * (c - 17);
      label[r] = f + random.normal(0, 1);
      features.set(x, r * cols);
    }
    return { features, label };
  };
  return {
    name: "synthetic",
    description: `synthetic: ${trainRows.toLocaleString("en")} training + ${testRows.toLocaleString("en")} held-out rows × ${cols} features (seed ${seed})`,
    cols,
    featureNames: Array.from({ length: cols }, (_, i) => `x${i}`),
    train: make(trainRows),
    test: make(testRows),
    testScale: new Float32Array(testRows).fill(1),
    params,
  };
}

/** Writes <name>.json and the raw little-endian float32 arrays the LightGBM side reads. */
export async function writeForAnchor(dir: string, d: BenchDataset): Promise<string> {
  const base = join(dir, d.name);
  const raw = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(`${base}.train.f32`, raw(d.train.features));
  await writeFile(`${base}.train_label.f32`, raw(d.train.label));
  await writeFile(`${base}.test.f32`, raw(d.test.features));
  const header = {
    name: d.name,
    cols: d.cols,
    train_rows: d.train.label.length,
    test_rows: d.test.label.length,
    params: d.params,
    files: { train: `${base}.train.f32`, train_label: `${base}.train_label.f32`, test: `${base}.test.f32` },
  };
  await writeFile(`${base}.json`, JSON.stringify(header));
  return `${base}.json`;
}
