// The errors wls_var and mint_shrink weigh a catalogue's levels by (W, the base forecasts' error
// covariance, of Wickramasuriya et al. 2019). hierarchicalforecast reads in-sample residuals:
// actual − fitted, one row per series over the same periods. For the catalogue they are h-step
// errors over the last `horizon` days before the cutoff: each row's model (the GBDT of the bottom
// series, the aggregate level's local model), fitted up to the cutoff, forecasts those days from
// the history before them. So
//   - every row's errors cover the same days (the covariance needs them aligned);
//   - they are errors at the horizons forecast (1 .. h days ahead), not one-step ones, which
//     would make the GBDT (whose shortest lag is 7 days) look as good as a 1-day-ahead model;
//   - nothing after the cutoff is read: the held-out scoring stays honest.
// Cost: one more forecast of every series (a few seconds at M5 scale); no second fit.
import type { ReconcileMethod } from "../../models/reconcile/index.js";
import { forecastGbdtForecaster } from "../../models/gbdt/forecast.js";
import type { GbdtForecasterFit, GbdtSeries } from "../../models/gbdt/types.js";
import { writeInSampleErrors } from "./aggregate-forecasts.js";

/** The catalogue reconciliations that need every row's errors. */
export const RESIDUAL_METHODS: ReadonlySet<ReconcileMethod> = new Set(["wls_var", "mint_shrink"]);

/** Row r of the n × h residuals from a bottom series' GBDT; `minLag` periods of history at least. */
export function writeGbdtErrors(residuals: Float64Array, r: number, fit: GbdtForecasterFit, series: GbdtSeries, h: number, minLag: number): void {
  writeInSampleErrors(residuals, r, series.values, h, minLag, (history) =>
    forecastGbdtForecaster(fit, { ...series, values: series.values.subarray(0, history) }, h),
  );
}
