// The catalogue's yardstick: the seasonal naive forecast (each day ahead = the same weekday of
// the last week before the cutoff) of every bottom series, summed up the hierarchy, so it is
// coherent as the M5 benchmark's bottom-up seasonal naive was.
import type { TrainingData } from "../../data/model-data.js";
import { summingStructure, sumFromBottom } from "../../models/reconcile/index.js";
import type { CatalogueForecast } from "./fit.js";

const WEEK = 7;

/** n × h seasonal naive forecasts from period `end` of the catalogue matrix, in `forecast`'s row order. */
export function seasonalNaiveForecast(data: TrainingData, forecast: Pick<CatalogueForecast, "rows" | "horizon">, end: number): Float64Array {
  const matrix = data.catalogue!.matrix;
  const T = matrix.periods;
  const h = forecast.horizon;
  const s = summingStructure(forecast.rows.structure);
  const out = new Float64Array(s.seriesCount * h);
  const season = Math.min(WEEK, end);
  for (let b = 0; b < s.bottomCount; b++) {
    const row = (s.aggregateCount + b) * h;
    for (let t = 0; t < h; t++) out[row + t] = matrix.values[b * T + end - season + (t % season)];
  }
  sumFromBottom(s, out, h, out);
  return out;
}
