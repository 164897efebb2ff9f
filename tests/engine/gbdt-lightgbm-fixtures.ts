// Reads the fixtures tools/lightgbm_fixtures.py writes (tests/fixtures/gbdt/*.json): the
// seeded data LightGBM was trained on and its predictions on held-out rows.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { GbdtDataset } from "../../src/engine/gbdt/index.js";

export interface LightgbmCase {
  name: string;
  params: Record<string, unknown>;
  num_trees: number;
  /** LightGBM's bins per feature (Dataset.feature_num_bin), NaN bin included. */
  featureNumBin: number[];
  testPrediction: Float64Array;
  test_rmse: number;
  test_mae: number;
  test_poisson_deviance: number;
}

export interface LightgbmFixture {
  lightgbmVersion: string;
  dataset: string;
  train: GbdtDataset;
  test: GbdtDataset;
  cases: LightgbmCase[];
}

function decode<T extends Float32Array | Float64Array>(b64: string, make: (buffer: ArrayBuffer) => T): T {
  const bytes = Buffer.from(b64, "base64");
  return make(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function readLightgbmFixture(name: "real" | "count" | "tweedie"): LightgbmFixture {
  const path = fileURLToPath(new URL(`../fixtures/gbdt/${name}.json`, import.meta.url));
  const doc = JSON.parse(readFileSync(path, "utf8"));
  if (doc.format_version !== 1) throw new Error(`${path}: format_version ${doc.format_version}, expected 1; regenerate with tools/lightgbm_fixtures.py`);
  const part = (p: { features: string; label: string }): GbdtDataset => ({
    features: decode(p.features, (b) => new Float32Array(b)),
    label: decode(p.label, (b) => new Float32Array(b)),
    cols: doc.cols,
  });
  return {
    lightgbmVersion: doc.lightgbm_version,
    dataset: doc.dataset,
    train: part(doc.train),
    test: part(doc.test),
    cases: doc.cases.map((c: Record<string, unknown>) => ({
      ...c,
      featureNumBin: c.feature_num_bin,
      testPrediction: decode(c.test_prediction as string, (b) => new Float64Array(b)),
    })),
  };
}

/** Root mean squared error, mean absolute error and mean Poisson deviance of predictions. */
export function errors(prediction: Float64Array, label: Float32Array): { rmse: number; mae: number; poissonDeviance: number } {
  let se = 0;
  let ae = 0;
  let dev = 0;
  for (let i = 0; i < label.length; i++) {
    const e = prediction[i] - label[i];
    se += e * e;
    ae += Math.abs(e);
    const p = Math.max(prediction[i], 1e-10);
    const y = label[i];
    dev += 2 * ((y > 0 ? y * Math.log(y / p) : 0) - (y - p));
  }
  const n = label.length;
  return { rmse: Math.sqrt(se / n), mae: ae / n, poissonDeviance: dev / n };
}
