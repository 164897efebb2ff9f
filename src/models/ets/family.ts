// AutoETS (this folder's library, issue 17) as a model family: the model chosen by AICc on the
// training part is saved as the library's JSON fit plus the history it was fitted on; a
// forecast keeps the parameters and re-runs the states over the history given.
//
// Written here to prove the model interface carries a fitted statistical model with a saved
// state; issue 17 decides how ETS takes part in training by default (the tournament).
import { seasonLength } from "../metrics.js";
import { historyFromState, historyState, savedState } from "../history.js";
import { onlySeries, type FittedModel, type ModelFamily, type SavedModel, type SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { fitEts, type EtsFit } from "./fit.js";
import { forecastEts } from "./forecast.js";

const KIND = "ets";
const FORMAT_VERSION = 1;
/** Fewest periods fitted: below this, even R's Holt-Winters fallbacks have too few values. */
const MIN_HISTORY = 4;

class EtsModel implements FittedModel {
  readonly kind = KIND;
  readonly fitStats: Readonly<Record<string, number>>;

  constructor(
    readonly name: string,
    private readonly fit: EtsFit,
    readonly history: SeriesInput,
  ) {
    this.fitStats = fit.aicc === null ? {} : { aicc: fit.aicc };
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return forecastEts(this.fit, history.values, horizon);
  }

  save(): SavedModel {
    return { kind: KIND, format_version: FORMAT_VERSION, state: { fit: this.fit, history: historyState(this.history) } };
  }

  describe(): string {
    return this.fit.method;
  }
}

/** The library's fit as stored, checked where a damaged file would otherwise forecast garbage. */
function parseFit(value: unknown): EtsFit {
  const fit = value as Partial<EtsFit> | null;
  const ok =
    typeof fit === "object" &&
    fit !== null &&
    typeof fit.method === "string" &&
    typeof fit.components === "object" &&
    Number.isInteger(fit.m) &&
    typeof fit.alpha === "number" &&
    Array.isArray(fit.initial_states) &&
    fit.initial_states.every(Number.isFinite);
  if (!ok) throw new ModelFileError(`the saved ${KIND} model's fit is damaged (method, components, m, alpha, initial states): retrain it`);
  return fit as EtsFit;
}

export const etsFamily: ModelFamily = {
  kind: KIND,
  label: "ETS model",
  scope: "local",
  refitOnAllData: true,
  minHistory: () => MIN_HISTORY,
  async fit(series, context) {
    const one = onlySeries(KIND, series);
    const history = { ...one, values: one.values.subarray(0, context.holdoutStart ?? one.values.length) };
    return new EtsModel(context.name ?? KIND, fitEts(history.values, { period: seasonLength(one.frequency) }), history);
  },
  load(saved) {
    const state = savedState(saved, FORMAT_VERSION);
    return new EtsModel(KIND, parseFit(state.fit), historyFromState(state.history, KIND));
  },
};
