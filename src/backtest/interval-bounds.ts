// The interval columns of backtest rows: lo_<level> and hi_<level> per step, forecast ± the
// calibrated half-width of that step (null where the step has none for that level).
import { levelKey, type IntervalCalibration } from "../models/intervals.js";

export function intervalBounds(calibration: IntervalCalibration, forecast: ArrayLike<number>): Record<string, number | null>[] {
  return Array.from(forecast, (value, k) => {
    const out: Record<string, number | null> = {};
    for (const level of calibration.levels) {
      const width = calibration.steps[k]?.halfWidth[levelKey(level)];
      out[`lo_${levelKey(level)}`] = typeof width === "number" ? value - width : null;
      out[`hi_${levelKey(level)}`] = typeof width === "number" ? value + width : null;
    }
    return out;
  });
}
