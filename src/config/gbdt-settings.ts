// model.gbdt: the settings of the global gradient-boosted-tree model (model.architecture=gbdt,
// src/models/gbdt/family.ts). Kept in its own file so the model schema stays one list of parts.
// The defaults are the library's (src/models/gbdt/options.ts), chosen on principle and on the
// selection windows (docs/models.md, "GBDT: defaults"), never on evaluation results.
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

export const gbdtSettingsSchema = z.strictObject({
  /** recursive: one model of the next period, forecasts fed back as lags; direct: one model per step up to horizon. */
  strategy: z.enum(["recursive", "direct"]).default("recursive"),
  /** Training loss: l1 (MASE is an absolute error), l2, poisson or tweedie (log link; data ≥ 0). */
  loss: z.enum(["l1", "l2", "poisson", "tweedie"]).default("l1"),
  /** Steps the direct models cover (longer forecasts are refused); both strategies hold out 4 × this many periods of each series for early stopping. */
  horizon: positiveInt.default(14),
  /** Lags in periods; empty = the frequency's defaults (daily 7..28, weekly 1..8, 13, 26). */
  lags: z
    .preprocess((value) => (value === null || value === "" ? [] : Array.isArray(value) || value === undefined ? value : [value]), z.array(positiveInt))
    .default([]),
  /** Add the lag of a year (daily 364, weekly 52) when some series has two years of history. */
  yearly_lag: z.boolean().default(true),
  learning_rate: z.coerce.number().positive().max(1).default(0.05),
  num_leaves: z.coerce.number().int().min(2).default(31),
  min_data_in_leaf: positiveInt.default(20),
  /** Most trees grown; early stopping on the held-out periods usually stops well before. */
  max_rounds: positiveInt.default(1000),
  /** Stop when this many trees in a row have not improved the held-out L1 error. */
  early_stopping_rounds: positiveInt.default(50),
  /** Threads of the native learner (results do not depend on it); 0 = its default. */
  threads: z.coerce.number().int().min(0).default(0),
});

export type GbdtSettings = z.infer<typeof gbdtSettingsSchema>;
