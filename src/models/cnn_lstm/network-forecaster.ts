// The trained CNN+LSTM behind the same Forecaster interface as the baselines, so the
// evaluation code treats all of them alike and compares them on the same targets.
//
// A model with calendar features needs the date of every period it reads: `calendar` gives the
// encoder and the date of series index 0 (indices count periods from there, also past the end
// of the data, which is how recursive forecasts get the dates of future periods).
import type { CalendarEncoder } from "../../data/features.js";
import { epochDayFromIso } from "../../data/dates.js";
import type { CnnLstmModel } from "../../engine/model.js";
import { forecastNormalisedPaths, type WindowLayout } from "./paths.js";
import type { NormalizationStats } from "./dataset.js";
import { checkTargets, type Forecaster } from "../forecaster.js";

export interface NetworkCalendar {
  encoder: CalendarEncoder;
  /** ISO date of the period at series index 0. */
  startDate: string;
}

/** The layout the shared path code needs, checked against the model's shape. */
export function networkLayout(model: CnnLstmModel, stats: NormalizationStats, encoder?: CalendarEncoder): WindowLayout {
  const { windowSize, inputSize, outputSize } = model.shape;
  const expected = 1 + (encoder?.channels ?? 0);
  if (inputSize !== expected) {
    throw new Error(`the model reads ${inputSize} input channels but its feature spec gives ${expected} (1 sales value + ${expected - 1} features)`);
  }
  return { windowSize, inputSize, outputSize, stats, encoder };
}

/** Epoch day of each index's period, from the calendar's start date. */
export function indexDays(calendar: NetworkCalendar | undefined): ((index: number) => number) | undefined {
  if (!calendar) return undefined;
  const start = epochDayFromIso(calendar.startDate);
  if (start === undefined) throw new Error(`calendar start date ${JSON.stringify(calendar.startDate)} is not a YYYY-MM-DD date`);
  return (index) => calendar.encoder.shift(start, index);
}

export class NetworkForecaster implements Forecaster {
  readonly name: string;
  private readonly layout: WindowLayout;
  private readonly dayOf: ((index: number) => number) | undefined;

  constructor(
    private readonly model: CnnLstmModel,
    stats: NormalizationStats,
    calendar?: NetworkCalendar,
    private readonly batchSize = 256,
    name = "cnn_lstm",
  ) {
    this.name = name;
    this.layout = networkLayout(model, stats, calendar?.encoder);
    this.dayOf = indexDays(calendar);
  }

  /**
   * The weights are learned by trainModel, which needs the validation part for early
   * stopping and so does not fit this one-argument shape; fit() only accepts an already
   * trained model and returns it.
   */
  fit(_trainPart: Float64Array): this {
    return this;
  }

  /** One-step forecasts (the first output of a direct model). */
  predictAt(series: Float64Array, targetIndices: ArrayLike<number>): Float64Array {
    const T = this.layout.windowSize;
    checkTargets(this.name, series, targetIndices, T);
    const out = new Float64Array(targetIndices.length);
    for (let from = 0; from < targetIndices.length; from += this.batchSize) {
      const count = Math.min(this.batchSize, targetIndices.length - from);
      const ends = Array.from({ length: count }, (_, b) => targetIndices[from + b]);
      const paths = this.paths(series, ends, 1);
      for (let b = 0; b < count; b++) out[from + b] = paths[b];
    }
    return out;
  }

  /**
   * The next `horizon` periods after `history` (its last window_size values): the network's
   * outputs for the first model.horizon steps, block-recursive beyond (paths.ts).
   */
  forecastPath(history: Float64Array, horizon: number): Float64Array {
    checkTargets(this.name, history, [history.length - 1], this.layout.windowSize - 1);
    return Float64Array.from(this.paths(history, [history.length], horizon));
  }

  /** Forecasts of `horizon` periods from each window ending before index `end` (sales units, [ends, horizon]). */
  private paths(series: Float64Array, ends: readonly number[], horizon: number): Float64Array {
    const { windowSize: T, stats } = this.layout;
    const z = new Float32Array(ends.length * T);
    ends.forEach((end, b) => {
      for (let k = 0; k < T; k++) z[b * T + k] = (series[end - T + k] - stats.mean) / stats.std;
    });
    const days = this.dayOf ? ends.map((end) => this.dayOf!(end - 1)) : undefined;
    const out = forecastNormalisedPaths((x, batch) => this.model.predict(x, batch), this.layout, z, days, ends.length, horizon);
    return Float64Array.from(out, (value) => value * stats.std + stats.mean);
  }
}
