// The held-out score of a catalogue forecast: the last `horizon` days kept out, every level
// scored with the M5 measure (WRMSSE, src/backtest/wrmsse.ts), and per row the root mean square
// of its errors over those days, aggregates' errors the sums of their bottom series' errors (the
// intervals' width of the final model, coherent: src/models/reconcile/error-sigma.ts).
import type { Config } from "../../config/schema.js";
import type { TrainingData } from "../../data/model-data.js";
import { dollarSales, wrmsse, type WrmsseResult } from "../../backtest/wrmsse.js";
import { coherentErrorSigma, summingStructure } from "../../models/reconcile/index.js";
import type { CatalogueForecast } from "./fit.js";

export interface HeldOutScore {
  result: WrmsseResult;
  /** Per row: root mean squared error over the held-out days, of the bottom errors summed up (coherent). */
  sigma: Float64Array;
}

/**
 * Scores `forecast` (made from period `end` of the catalogue matrix) against the days after
 * `end`; `forecasts` selects the matrix scored (default the reconciled one).
 */
export function scoreHeldOut(config: Config, data: TrainingData, forecast: CatalogueForecast, end: number, forecasts = forecast.forecasts): HeldOutScore {
  const matrix = data.catalogue!.matrix;
  const T = matrix.periods;
  const h = forecast.horizon;
  const nb = matrix.series;
  const s = summingStructure(forecast.rows.structure);
  const train = new Float64Array(nb * end);
  const actual = new Float64Array(nb * h);
  for (let b = 0; b < nb; b++) {
    train.set(matrix.values.subarray(b * T, b * T + end), b * end);
    actual.set(matrix.values.subarray(b * T + end, b * T + end + h), b * h);
  }
  const result = wrmsse({
    structure: s,
    series_levels: forecast.rows.rowLevels,
    level_names: forecast.rows.levelNames,
    train_units: train,
    dollar_sales: weightingSales(config, data, train, end),
    actual_units: actual,
    forecasts,
  });
  // Coherent widths: the bottom series' errors, summed up the hierarchy day by day (error-sigma.ts).
  const errors = new Float64Array(nb * h);
  for (let j = 0; j < errors.length; j++) errors[j] = actual[j] - forecasts[s.aggregateCount * h + j];
  return { result, sigma: coherentErrorSigma(s, errors, h) };
}

/**
 * Dollar sales of the last 28 training days per bottom series: units × catalogue.price_column
 * where the data has that covariate (a day without a price counts its units at 1), else units.
 */
function weightingSales(config: Config, data: TrainingData, train: Float64Array, end: number): Float64Array {
  const nb = data.series.length;
  const days = Math.min(28, end);
  const units = new Float64Array(nb * days);
  const prices = new Float64Array(nb * days).fill(1);
  const by = data.covariates?.bySeries;
  const price = config.catalogue.price_column === null ? -1 : (data.covariates?.names.indexOf(config.catalogue.price_column) ?? -1);
  const matrix = data.catalogue!.matrix;
  for (let b = 0; b < nb; b++) {
    units.set(train.subarray(b * end + end - days, (b + 1) * end), b * days);
    const row = by?.index[data.series[b].category];
    if (!by || price < 0 || row === undefined) continue;
    for (let t = 0; t < days; t++) {
      const day = matrix.firstDay + (end - days + t) * matrix.step - by.firstDay;
      const value = day >= 0 && day < by.days ? by.values[price][row * by.days + day] : Number.NaN;
      if (Number.isFinite(value)) prices[b * days + t] = value;
    }
  }
  return dollarSales(units, prices, nb, days);
}
