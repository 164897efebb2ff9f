// catalogue: how `salescast train --catalogue` fits a store × item catalogue (data.series_key
// with data.hierarchy) as ONE model: the global GBDT on the bottom series (or one per value of
// a column, such as per store), a fast statistical model on the aggregate levels, reconciled so
// every level adds up (src/training/catalogue/). The GBDT's learning settings are model.gbdt's;
// what differs at catalogue scale is here.
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

/** Reconciliation methods of a catalogue; wls_var and mint_shrink read every row's in-sample errors over the last horizon days (src/training/catalogue/residuals.ts). */
export const CATALOGUE_RECONCILE_METHODS = ["bottom_up", "top_down", "ols", "wls_struct", "wls_var", "mint_shrink"] as const;

export const catalogueSettingsSchema = z.strictObject({
  /** The registry name of the catalogue model (one version per training). */
  model_name: z.string().min(1).default("catalogue"),
  /** Days forecast (the M5 horizon). */
  horizon: positiveInt.default(28),
  /** null: one GBDT on every bottom series; a column of the key or hierarchy (e.g. store_id): one GBDT per value of it (the M5 winner's per-store models). */
  group_by: z.string().min(1).nullable().default(null),
  /** direct: one model per day ahead (nothing fed back); recursive: one model, forecasts fed back as lags. */
  strategy: z.enum(["recursive", "direct"]).default("recursive"),
  /** tweedie or poisson suit intermittent items (log link, values ≥ 0); l1/l2 also allowed. */
  loss: z.enum(["tweedie", "poisson", "l1", "l2"]).default("tweedie"),
  /**
   * Each bottom series' scaling before the loss: mean_abs divides it by its mean (every item
   * weighs alike in the loss), none keeps the units (a best seller weighs by its sales, as
   * mlforecast + LightGBM train and as the aggregate levels add up). Chosen on a selection
   * window before the evaluated month (README, Catalogues).
   */
  scaling: z.enum(["mean_abs", "none"]).default("none"),
  /** Training rows come from each series' last this many days (lags still read older ones); 0 = all. */
  training_days: z.coerce.number().int().min(0).default(365),
  /** Trees per GBDT model (the most, with early_stopping); model.gbdt.max_rounds is for small data. */
  max_rounds: positiveInt.default(200),
  /**
   * true: hold out each series' last days (4 × horizon), stop growing trees once they no longer
   * improve there, and forecast with the trees kept (never trained on the held-out days); false:
   * train on every day with max_rounds trees. Chosen on the selection window (README, Catalogues).
   */
  early_stopping: z.boolean().default(false),
  /**
   * Early stopping's least improvement, relative to the held-out metric: a tree counts as a new
   * best only if it beats the best by more than this fraction of it; 0 = any improvement. The
   * progress bar's ETA foresees the stop with the same rule. Chosen on the selection window (README, Catalogues).
   */
  early_stopping_min_delta: z.coerce.number().min(0).max(1).default(1e-4),
  /** The GBDT's learning rate at catalogue scale (fewer, larger steps than model.gbdt's 0.05). */
  learning_rate: z.coerce.number().positive().max(1).default(0.1),
  /** Base forecasts of the aggregate levels: a local model kind (seasonal_naive, ets, holt_winters, ...), or auto: per level, the candidate with the lowest RMSSE on the horizon days before the cutoff. Unused by bottom_up. */
  aggregate_model: z.string().min(1).default("seasonal_naive"),
  /** The local kinds aggregate_model auto chooses among, per level. */
  aggregate_candidates: z.array(z.string().min(1)).default(["seasonal_naive", "ets", "theta"]),
  /** How the levels are made to add up. */
  reconcile: z.enum(CATALOGUE_RECONCILE_METHODS).default("bottom_up"),
  /** Hold out the last `horizon` days, fit, forecast and score them per level (WRMSSE) before the final fit: the run's metrics and the intervals' widths. Doubles the fitting time. */
  evaluate: z.boolean().default(true),
  /** The covariate holding the price (dollar-sales weights of WRMSSE); null or absent from the data: weights by units. */
  price_column: z.string().min(1).nullable().default("sell_price"),
  /** A CSV or Parquet file of covariates for the forecast days (key columns, date, covariate columns of model.features.covariates); null: each covariate keeps its last value. src/data/future-covariates.ts. */
  future_covariates: z.string().min(1).nullable().default(null),
  /** Most memory the GBDT's training rows may take, in MiB; 0 = half of this machine's memory. A larger catalogue is refused before any work, with the figure. */
  max_memory_mb: z.coerce.number().int().min(0).default(0),
});

export type CatalogueSettings = z.infer<typeof catalogueSettingsSchema>;
