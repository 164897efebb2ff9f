// The training data a caller hands the GBDT: a dense float32 feature matrix (row-major or
// column-major), one label per row, optional weights. Checked once here, so that everything
// after can trust the shapes: bad input is refused with a message saying what and where.

import type { GbdtObjective } from "./params.js";

export type FeatureLayout = "row-major" | "column-major";

export interface GbdtDataset {
  /** rows × cols values; NaN = missing (sent to a learned side of each split). */
  features: Float32Array;
  /** Number of features per row; rows = label.length. */
  cols: number;
  /** "row-major" (default): row r's features are features[r*cols .. r*cols+cols); "column-major": feature c is features[c*rows .. c*rows+rows). */
  layout?: FeatureLayout;
  label: Float32Array;
  /** Optional non-negative row weights (LightGBM's `weight`). */
  weight?: Float32Array;
  /** Optional names of the features, kept in the model. */
  featureNames?: string[];
}

/** The error for data a caller got wrong; the message names the problem and the fix. */
export class GbdtDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GbdtDataError";
  }
}

/** Reads feature `col` of row `row` whatever the layout. */
export function featureAccessor(features: Float32Array, rows: number, cols: number, layout: FeatureLayout): (row: number, col: number) => number {
  return layout === "column-major" ? (row, col) => features[col * rows + row] : (row, col) => features[row * cols + col];
}

/** Checks the shapes and values of a dataset; `what` names it in messages ("training data", "validation data"). */
export function checkDataset(data: GbdtDataset, objective: GbdtObjective, what: string): { rows: number; cols: number; layout: FeatureLayout } {
  if (!(data.features instanceof Float32Array)) throw new GbdtDataError(`${what}: features must be a Float32Array (rows × cols values).`);
  if (!(data.label instanceof Float32Array)) throw new GbdtDataError(`${what}: label must be a Float32Array with one value per row.`);
  const cols = data.cols;
  if (!Number.isInteger(cols) || cols < 1) throw new GbdtDataError(`${what}: cols must be a positive integer (the number of features per row), got ${cols}.`);
  const layout = data.layout ?? "row-major";
  if (layout !== "row-major" && layout !== "column-major") {
    throw new GbdtDataError(`${what}: layout must be "row-major" or "column-major", got ${JSON.stringify(layout)}.`);
  }
  const rows = data.label.length;
  if (rows === 0) throw new GbdtDataError(`${what}: there are no rows (label is empty); give at least one row.`);
  if (data.features.length !== rows * cols) {
    throw new GbdtDataError(
      `${what}: features has ${data.features.length} values but label has ${rows} rows and cols is ${cols} ` +
        `(expected ${rows * cols} = rows × cols); check that features and label describe the same rows.`,
    );
  }
  if (data.featureNames && data.featureNames.length !== cols) {
    throw new GbdtDataError(`${what}: featureNames has ${data.featureNames.length} names for ${cols} features.`);
  }
  const positiveOnly = objective === "poisson" || objective === "tweedie";
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const y = data.label[i];
    if (!Number.isFinite(y)) throw new GbdtDataError(`${what}: label of row ${i} is ${y}; labels must be finite numbers (drop or fill that row).`);
    if (positiveOnly && y < 0) {
      throw new GbdtDataError(
        `${what}: label of row ${i} is ${y}, but the ${objective} objective needs labels >= 0; use objective "regression" for data with negative values.`,
      );
    }
    sum += y;
  }
  if (positiveOnly && sum === 0 && what === "training data") {
    throw new GbdtDataError(`${what}: every label is 0; the ${objective} objective needs some positive labels (its log link has no finite start).`);
  }
  if (data.weight !== undefined) {
    if (!(data.weight instanceof Float32Array) || data.weight.length !== rows) {
      throw new GbdtDataError(
        `${what}: weight must be a Float32Array with one value per row (${rows}), got ${data.weight instanceof Float32Array ? data.weight.length : typeof data.weight}.`,
      );
    }
    let total = 0;
    for (let i = 0; i < rows; i++) {
      const w = data.weight[i];
      if (!Number.isFinite(w) || w < 0) throw new GbdtDataError(`${what}: weight of row ${i} is ${w}; weights must be finite and >= 0.`);
      total += w;
    }
    if (total <= 0) throw new GbdtDataError(`${what}: the weights sum to 0; at least one row needs a positive weight.`);
  }
  for (let i = 0; i < data.features.length; i++) {
    const v = data.features[i];
    if (v === Infinity || v === -Infinity) {
      const row = layout === "row-major" ? Math.floor(i / cols) : i % rows;
      const col = layout === "row-major" ? i % cols : Math.floor(i / rows);
      throw new GbdtDataError(`${what}: feature ${col} of row ${row} is ${v}; features must be finite or NaN (missing).`);
    }
  }
  return { rows, cols, layout };
}
