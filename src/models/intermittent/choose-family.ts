// The `intermittent` kind: chooses a method per series by the demand classification of
// Syntetos, Boylan & Croston (2005) on the training part (classify.ts):
//   ADI ≥ 1.32 (intermittent or lumpy demand, many zero periods): model.intermittent.sporadic_method,
//       SBA by default, the method the paper recommends there;
//   ADI < 1.32 (smooth or erratic: demand in most periods): model.intermittent.smooth_method
//       (ETS by default): Croston-type methods forecast one flat rate and have no advantage there;
//   no demand at all: the sporadic method (it forecasts 0);
//   a negative value (returns): the smooth method, since Croston-type methods model quantities.
// The chosen kind's saved model is nested in this one's; the choice and the numbers behind it
// are in the state and in describe().
import type { Config } from "../../config/schema.js";
import { etsFamily } from "../ets/family.js";
import { historyFromState, historyState, savedState } from "../history.js";
import { onlySeries, type FittedModel, type ModelFamily, type SavedModel, type SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { checkTrainingLength } from "../fit-calibrated.js";
import { thetaFamily } from "../theta/family.js";
import { classifyDemand, type DemandClassification } from "./classify.js";
import { crostonFamily, firstNegative, sbaFamily, tsbFamily } from "./family.js";

const KIND = "intermittent";
const FORMAT_VERSION = 1;
const MIN_HISTORY = 4;

const METHODS: Readonly<Record<string, ModelFamily>> = { croston: crostonFamily, sba: sbaFamily, tsb: tsbFamily, ets: etsFamily, theta: thetaFamily };

export interface IntermittentChoice {
  method: string;
  reason: string;
  classification: DemandClassification;
}

const round = (x: number) => Number(x.toPrecision(3));

/** Which method fits `values` (a training part) under this config, and why. */
export function chooseDemandMethod(values: Float64Array, config: Config): IntermittentChoice {
  const { sporadic_method: sporadic, smooth_method: smooth } = config.model.intermittent;
  const classification = classifyDemand(values);
  const negative = firstNegative(values);
  if (negative >= 0)
    return { method: smooth, classification, reason: `negative value ${values[negative]} at period ${negative + 1} (returns): not demand counts` };
  if (classification.category === "no_demand") return { method: sporadic, classification, reason: "no demand in the history" };
  const numbers = `ADI ${round(classification.adi)}, CV² ${round(classification.cv2)}`;
  return classification.intermittent
    ? { method: sporadic, classification, reason: `${classification.category} demand (${numbers}; ADI ≥ 1.32)` }
    : { method: smooth, classification, reason: `${classification.category} demand (${numbers}; ADI < 1.32)` };
}

class IntermittentModel implements FittedModel {
  readonly kind = KIND;
  readonly history: SeriesInput;
  readonly fitStats?: Readonly<Record<string, number>>;

  constructor(
    readonly name: string,
    private readonly choice: IntermittentChoice,
    private readonly member: FittedModel,
    history: SeriesInput,
  ) {
    this.history = history;
    if (member.fitStats) this.fitStats = member.fitStats;
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return this.member.forecast(history, horizon);
  }

  save(): SavedModel {
    const saved = this.member.save();
    const { files, ...member } = saved;
    return {
      kind: KIND,
      format_version: FORMAT_VERSION,
      state: { choice: this.choice, member, history: historyState(this.history) },
      ...(files ? { files } : {}),
    };
  }

  describe(): string {
    return `${this.choice.reason} → ${this.member.describe()}`;
  }
}

export const intermittentFamily: ModelFamily = {
  kind: KIND,
  label: "intermittent-demand model",
  shortLabel: "intermit.",
  scope: "local",
  refitOnAllData: true,
  minHistory: () => MIN_HISTORY,
  checkSeries(series, config, split) {
    checkTrainingLength(KIND, MIN_HISTORY, series, config, split);
    const choice = chooseDemandMethod(series.values.subarray(0, split.trainEnd), config);
    METHODS[choice.method].checkSeries?.(series, config, split);
  },
  async fit(series, context) {
    const one = onlySeries(KIND, series);
    const history = { ...one, values: one.values.subarray(0, context.holdoutStart ?? one.values.length) };
    const choice = chooseDemandMethod(history.values, context.config);
    const member = await METHODS[choice.method].fit([history], { ...context, holdoutStart: undefined, name: undefined });
    return new IntermittentModel(context.name ?? KIND, choice, member, history);
  },
  load(saved) {
    const state = savedState(saved, FORMAT_VERSION);
    const choice = state.choice as Partial<IntermittentChoice> | null;
    const member = state.member as Partial<SavedModel> | null;
    const family = typeof choice?.method === "string" ? METHODS[choice.method] : undefined;
    if (!family || typeof choice?.reason !== "string" || typeof member !== "object" || member === null || member.kind !== family.kind) {
      throw new ModelFileError(`the saved ${KIND} model's choice is damaged (method, reason, the chosen model): retrain it`);
    }
    const inner = family.load({ ...(member as SavedModel), ...(saved.files ? { files: saved.files } : {}) });
    return new IntermittentModel(KIND, choice as IntermittentChoice, inner, historyFromState(state.history, KIND));
  },
};
