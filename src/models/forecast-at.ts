// Forecasts of one fitted model from many origins of a series, the way evaluation, intervals and
// the backtest ask for them: through forecastMany where the model has it (the network batches
// them into one engine call per step), one forecast() each otherwise. Same numbers either way.
import { headOf, type FittedModel, type SeriesInput } from "./model.js";

/** model.forecast(history, horizon) for every history, batched where the model can. */
export function forecastAll(model: FittedModel, histories: readonly SeriesInput[], horizon: number): Float64Array[] {
  if (histories.length === 0) return [];
  return model.forecastMany ? model.forecastMany(histories, horizon) : histories.map((history) => model.forecast(history, horizon));
}

/** For each target index t, the forecast of period t made from the periods before it only. */
export function oneStepAhead(model: FittedModel, series: SeriesInput, targets: ArrayLike<number>): Float64Array {
  const histories = Array.from(targets, (t) => {
    if (!Number.isInteger(t) || t < 1 || t > series.values.length) {
      throw new RangeError(`target index ${t} is out of range for a series of ${series.values.length} periods`);
    }
    return headOf(series, t);
  });
  return Float64Array.from(forecastAll(model, histories, 1), (path) => path[0]);
}
