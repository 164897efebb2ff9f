// What training one category produces; a plain JSON-safe object so it crosses
// worker_threads and goes straight into --json output and HTTP answers.
import type { ForecastMetrics } from "../models/metrics.js";

export type CategoryStatus = "ok" | "skipped" | "failed";

export interface CategoryResult {
  category: string;
  status: CategoryStatus;
  /** The model kind trained (model.architecture's family), when one was. */
  model?: string;
  /** Its fitted form in words (e.g. "Holt-Winters: α 0.2, β 0.01, additive season 7, γ 0.1"). */
  description?: string;
  /** Why the category was skipped or failed, or (status ok) why its model is not served. */
  reason?: string;
  /** Set when the model was registered but is not served by default (absurd validation errors, see promotion.ts). */
  heldBack?: string;
  /** The model on the validation part, in sales units. */
  metrics?: ForecastMetrics;
  /** Each baseline (naive, seasonal_naive, moving_average) on the same validation targets. */
  baselines?: Record<string, ForecastMetrics>;
  /** The model on the test part, when data.test_fraction > 0. */
  testMetrics?: ForecastMetrics;
  /** Baselines on the test part, when data.test_fraction > 0. */
  testBaselines?: Record<string, ForecastMetrics>;
  /** Epochs run (early stopping may end before train.max_epochs); 0 for models not trained by epochs. */
  epochs: number;
  /** The epoch whose weights were kept (lowest validation loss), 1-based; 0 if none. */
  bestEpoch: number;
  /** Wall time for this category. */
  seconds: number;
  /** Registry folder of the new version. */
  checkpointDir?: string;
  /** Registry version number. */
  version?: number;
  /** Tracking run id. */
  runId?: string;
  /** With model.architecture auto: the tournament's champion, why, its evaluation MASE, and its alias decision (champion or challenger) with the comparison. */
  auto?: { champion: string; reason: string; evaluationMase: number | null; decision: "champion" | "challenger"; comparison: string };
}
