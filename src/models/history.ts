// The history a statistical model keeps in its saved state: its forecasts re-run the states
// over the whole series, so serving a window means forecasting from the stored history with the
// window in place of its last values (src/forecaster/ does the splicing). Stored as plain JSON
// numbers: a few thousand periods are a few tens of kB.
import { epochDayFromIso } from "../data/dates.js";
import type { Frequency, SavedModel, SeriesInput } from "./model.js";
import { ModelInputError } from "./errors.js";
import { ModelFileError } from "./model-file-error.js";

export interface HistoryState {
  name: string;
  /** ISO date of values[0]. */
  start: string;
  frequency: Frequency;
  values: number[];
}

export function historyState(series: SeriesInput): HistoryState {
  return { name: series.name, start: series.start, frequency: series.frequency, values: Array.from(series.values) };
}

/** The stored history, checked (a damaged state is a ModelFileError naming the kind). */
export function historyFromState(value: unknown, kind: string): SeriesInput {
  const v = value as Partial<HistoryState> | null;
  const ok =
    typeof v === "object" &&
    v !== null &&
    typeof v.name === "string" &&
    typeof v.start === "string" &&
    epochDayFromIso(v.start) !== undefined &&
    (v.frequency === "D" || v.frequency === "W") &&
    Array.isArray(v.values) &&
    v.values.length > 0 &&
    v.values.every((x) => typeof x === "number" && Number.isFinite(x));
  if (!ok) throw new ModelFileError(`the saved ${kind} model has no usable history (name, start date, frequency, finite values): retrain it`);
  return { name: v.name!, start: v.start!, frequency: v.frequency!, values: Float64Array.from(v.values!) };
}

/** Throws a ModelFileError unless `value` is a finite number (optionally a whole one ≥ min). */
export function stateNumber(value: unknown, what: string, kind: string, integerAtLeast?: number): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (integerAtLeast === undefined || (Number.isInteger(value) && value >= integerAtLeast));
  if (!ok) throw new ModelFileError(`the saved ${kind} model's ${what} is ${JSON.stringify(value)}, not a usable number: retrain it`);
  return value as number;
}

/**
 * Throws a ModelInputError unless the history has `minimum` periods. Its values are taken as
 * given (the data pipeline fills gaps): one that is not a number gives forecasts that are not
 * numbers, which serving refuses and metrics show.
 */
export function checkHistory(kind: string, history: SeriesInput, minimum: number): void {
  const { values } = history;
  if (values.length < minimum) {
    throw new ModelInputError(
      `a ${kind} forecast needs at least ${minimum} period${minimum === 1 ? "" : "s"} of history, got ${values.length}`,
      "forecast from a longer history",
    );
  }
}

/** The JSON state of a saved model, after checking its format version is the one this salescast writes. */
export function savedState(saved: SavedModel, formatVersion: number): Record<string, unknown> {
  if (saved.format_version !== formatVersion) {
    throw new ModelFileError(`the saved ${saved.kind} model has format_version ${saved.format_version}; this salescast reads ${formatVersion}: retrain it`);
  }
  const state = saved.state;
  if (typeof state !== "object" || state === null) throw new ModelFileError(`the saved ${saved.kind} model has no state: retrain it`);
  return state as Record<string, unknown>;
}

/**
 * The stored history with `window` in place of its last window.length periods: what a served
 * window without "last_date" is forecast from (src/forecaster/ also places it elsewhere by date).
 */
export function historyWithWindowAtEnd(stored: SeriesInput, window: ArrayLike<number>): SeriesInput {
  const first = stored.values.length - window.length;
  if (first < 0) throw new RangeError(`a window of ${window.length} periods is longer than the stored history of ${stored.values.length}`);
  const values = new Float64Array(stored.values.length);
  values.set(stored.values.subarray(0, first));
  values.set(window, first);
  return { ...stored, values };
}
