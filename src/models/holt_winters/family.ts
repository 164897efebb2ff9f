// Additive Holt-Winters (holt-winters.ts) as a model family: fitted on the training part (α, β,
// γ on a grid), its parameters and the history it was fitted on are what it saves; a forecast
// re-runs the states over whatever history it is given.
import { seasonLength } from "../metrics.js";
import { historyFromState, historyState, savedState, stateNumber } from "../history.js";
import { onlySeries, type FittedModel, type ModelFamily, type SavedModel, type SeriesInput } from "../model.js";
import { fitAdditiveHoltWinters, forecastAdditiveHoltWinters, HOLT_WINTERS_MIN_TRAINING, type HoltWintersFit } from "./holt-winters.js";

const KIND = "holt_winters";
const FORMAT_VERSION = 1;

class HoltWintersModel implements FittedModel {
  readonly kind = KIND;

  constructor(
    readonly name: string,
    private readonly fit: HoltWintersFit,
    readonly history: SeriesInput,
  ) {}

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return forecastAdditiveHoltWinters(this.fit, history.values, horizon);
  }

  save(): SavedModel {
    return { kind: KIND, format_version: FORMAT_VERSION, state: { ...this.fit, history: historyState(this.history) } };
  }

  describe(): string {
    const { alpha, beta, gamma, season } = this.fit;
    const shape = season > 0 ? `additive season ${season}, γ ${gamma}` : "no season (Holt's linear trend)";
    return `Holt-Winters: α ${alpha}, β ${beta}, ${shape}`;
  }
}

export const holtWintersFamily: ModelFamily = {
  kind: KIND,
  label: "Holt-Winters model",
  scope: "local",
  refitOnAllData: true,
  minHistory: () => HOLT_WINTERS_MIN_TRAINING,
  async fit(series, context) {
    const one = onlySeries(KIND, series);
    const history = { ...one, values: one.values.subarray(0, context.holdoutStart ?? one.values.length) };
    return new HoltWintersModel(context.name ?? KIND, fitAdditiveHoltWinters(history.values, seasonLength(one.frequency)), history);
  },
  load(saved) {
    const state = savedState(saved, FORMAT_VERSION);
    const fit: HoltWintersFit = {
      season: stateNumber(state.season, "season", KIND, 0),
      alpha: stateNumber(state.alpha, "alpha", KIND),
      beta: stateNumber(state.beta, "beta", KIND),
      gamma: stateNumber(state.gamma, "gamma", KIND),
    };
    return new HoltWintersModel(KIND, fit, historyFromState(state.history, KIND));
  },
};
