// Inverse-error weights for an ensemble, measured the way the backtest measures every model
// but inside the history the ensemble is fitted on (nothing after it is read): at the last
// `windows` cutoffs, `horizon` periods apart and the last one `horizon` periods before the end,
// each member is fitted on the periods before the cutoff and forecasts the next `horizon`;
// its error is the mean absolute error over all those forecasts. A window some member cannot
// fit (too short a history there) is left out for all, so the members are compared on the same
// periods; with no window left the weights are equal, and the reason says so.
import type { Config } from "../../config/schema.js";
import { ModelInputError } from "../errors.js";
import { headOf, type FitContext, type ModelFamily, type SeriesInput } from "../model.js";
import { inverseErrorWeights } from "./combine.js";

export interface MeasuredWeights {
  weights: number[];
  /** Each member's MAE over the windows used (empty when none could be used). */
  errors: number[];
  windows_used: number;
  /** Why the weights are equal, when they are. */
  note?: string;
}

export async function measureWeights(
  families: readonly ModelFamily[],
  history: SeriesInput,
  config: Config,
  context: FitContext,
  options: { windows: number; horizon: number },
): Promise<MeasuredWeights> {
  const n = history.values.length;
  const sums = families.map(() => 0);
  let used = 0;
  for (let k = options.windows; k >= 1; k--) {
    const cutoff = n - k * options.horizon;
    if (cutoff < Math.max(...families.map((f) => f.minHistory(config, history.frequency)))) continue;
    const errors: number[] = [];
    try {
      for (const family of families) {
        const model = await family.fit([headOf(history, cutoff)], { ...context, holdoutStart: undefined, name: undefined });
        const forecast = model.forecast(headOf(history, cutoff), options.horizon);
        let sum = 0;
        for (let j = 0; j < options.horizon; j++) sum += Math.abs(history.values[cutoff + j] - forecast[j]);
        errors.push(sum / options.horizon);
      }
    } catch (error) {
      if (error instanceof ModelInputError) continue;
      throw error;
    }
    errors.forEach((e, i) => (sums[i] += e));
    used++;
  }
  if (used === 0) {
    return {
      weights: families.map(() => 1 / families.length),
      errors: [],
      windows_used: 0,
      note: `equal weights: the history (${n} periods) leaves no window of ${options.horizon} periods every member can be fitted before`,
    };
  }
  const errors = sums.map((s) => s / used);
  return { weights: inverseErrorWeights(errors), errors, windows_used: used };
}
