// Seeded synthetic regression data for the GBDT tests: a few informative features (a step, a
// smooth curve, an interaction, a count-like feature with repeated values), noise features,
// and optional missing values that carry signal of their own.
import { Random } from "../../src/engine/index.js";
import type { GbdtDataset } from "../../src/engine/gbdt/index.js";

export interface SyntheticOptions {
  rows: number;
  cols?: number;
  seed?: number;
  /** Fraction of feature 0 and 3 values set to NaN (rows with NaN get their own effect). */
  missing?: number;
  /** "count": a Poisson-like non-negative label (for poisson/tweedie); default a real-valued one. */
  kind?: "real" | "count";
}

export function syntheticDataset(options: SyntheticOptions): GbdtDataset {
  const { rows, cols = 6, seed = 1, missing = 0, kind = "real" } = options;
  const random = new Random(seed);
  const features = new Float32Array(rows * cols);
  const label = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: cols }, () => random.uniform(-2, 2));
    x[2] = Math.floor(random.uniform(0, 7)); // a day-of-week-like integer feature
    let signal = (x[0] > 0.5 ? 1.5 : -0.5) + Math.sin(2 * x[1]) + 0.3 * x[2] + (cols > 3 ? x[0] * x[3] * 0.5 : 0);
    for (const c of [0, 3]) {
      if (c < cols && missing > 0 && random.next() < missing) {
        x[c] = NaN;
        signal += c === 0 ? 0.8 : -0.4;
      }
    }
    for (let c = 0; c < cols; c++) features[r * cols + c] = x[c];
    if (kind === "count") {
      const mu = Math.exp(0.5 * signal - 0.5);
      // Knuth's Poisson draw (mu is small here).
      let k = 0;
      let p = random.next();
      const limit = Math.exp(-mu);
      while (p > limit) {
        k++;
        p *= random.next();
      }
      label[r] = k;
    } else {
      label[r] = signal + random.normal(0, 0.3);
    }
  }
  return { features, cols, label };
}

/** The first `count` rows of a row-major dataset, and the rest. */
export function splitRows(data: GbdtDataset, count: number): [GbdtDataset, GbdtDataset] {
  const cols = data.cols;
  const part = (from: number, to: number): GbdtDataset => ({
    features: data.features.slice(from * cols, to * cols),
    cols,
    label: data.label.slice(from, to),
    weight: data.weight?.slice(from, to),
  });
  return [part(0, count), part(count, data.label.length)];
}
