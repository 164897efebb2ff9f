// The global network's inputs: which channels a window holds, in which order, and what each
// means. Stored with the model (its saved state), so a forecast builds exactly the windows the
// network was trained on.
//
// A window forecasting the H periods from `origin` (its first target) holds T positions, laid
// out [channel, position] as the engine reads them. At position k:
//   value            the series at period origin − T + k, divided by the window's scale
//   lag_year         the series a year before the period origin − T + k + H (so the last H
//                    positions hold the year-before values of the H targets), same scale; 0 where
//                    the history does not reach back that far
//   lag_year_known   1 where lag_year is a value, 0 where it is missing
//   dow_sin, dow_cos, holiday   the calendar of period origin − T + k + H (daily data: day of
//                    week; model.features.holidays when given), by the calendar encoder the
//                    per-series network's +calendar variant uses (src/data/features.ts)
//   year_sin_j, year_cos_j  the position in the year of that period (day of year / 365.25), j = 1..K
//   id_<series>      one-hot: 1 in the channel of the window's series (every position); a series
//                    the model was not trained on gets 1/N in each (the average series)
// The calendar channels are shifted H periods on, like the lag, so the positions the network
// reads last describe the periods it forecasts.
import { epochDayFromIso } from "../../data/dates.js";
import { CalendarEncoder, featureChannelNames, type FeatureSpec } from "../../data/features.js";
import { ModelFileError } from "../model-file-error.js";
import type { Frequency } from "../model.js";

export const GLOBAL_NETWORK_KIND = "global_network";

/** A year in periods: 364 days (52 weeks, so the weekday matches) or 52 weeks. */
export const YEAR_PERIODS: Readonly<Record<Frequency, number>> = { D: 364, W: 52 };

export interface InputLayout {
  frequency: Frequency;
  /** T: periods each window reads. */
  window_size: number;
  /** H: periods predicted at once. */
  horizon: number;
  /** Sine/cosine pairs of the position in the year. */
  yearly_harmonics: number;
  /** Day of week (daily data) and holidays, as the calendar encoder takes them. */
  calendar: FeatureSpec;
  /** Names of the series with an identity channel, in channel order ([] = no identity channels). */
  series: string[];
}

/** The calendar encoder of a layout (undefined when it has no calendar channel). */
export function calendarEncoderOf(layout: InputLayout): CalendarEncoder | undefined {
  return featureChannelNames(layout.calendar).length > 0 ? new CalendarEncoder(layout.calendar, layout.frequency) : undefined;
}

/** Channel names in input order. */
export function channelNames(layout: InputLayout): string[] {
  const names = ["value", "lag_year", "lag_year_known", ...featureChannelNames(layout.calendar)];
  for (let j = 1; j <= layout.yearly_harmonics; j++) names.push(`year_sin_${j}`, `year_cos_${j}`);
  for (const name of layout.series) names.push(`id_${name}`);
  return names;
}

/** The layout stored in a saved model, checked (a damaged one is a ModelFileError). */
export function parseLayout(value: unknown): InputLayout {
  const v = value as Partial<InputLayout> | null;
  const whole = (x: unknown, min: number) => typeof x === "number" && Number.isInteger(x) && x >= min;
  const calendar = v?.calendar;
  const ok =
    typeof v === "object" &&
    v !== null &&
    (v.frequency === "D" || v.frequency === "W") &&
    whole(v.window_size, 3) &&
    whole(v.horizon, 1) &&
    whole(v.yearly_harmonics, 0) &&
    typeof calendar === "object" &&
    calendar !== null &&
    typeof calendar.day_of_week === "boolean" &&
    calendar.month === false &&
    Array.isArray(calendar.holidays) &&
    calendar.holidays.every((d) => typeof d === "string" && epochDayFromIso(d) !== undefined) &&
    Array.isArray(v.series) &&
    v.series.every((name) => typeof name === "string");
  if (!ok) throw new ModelFileError(`the saved ${GLOBAL_NETWORK_KIND} model's input layout is damaged (${JSON.stringify(value)}): retrain it`);
  return {
    frequency: v.frequency!,
    window_size: v.window_size!,
    horizon: v.horizon!,
    yearly_harmonics: v.yearly_harmonics!,
    calendar: { day_of_week: calendar!.day_of_week, month: false, holidays: [...calendar!.holidays] },
    series: [...v.series!],
  };
}
