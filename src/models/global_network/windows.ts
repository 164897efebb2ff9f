// Windows of the global network (channel meanings in layout.ts): one writer for training and
// forecasting, so both read the same numbers. Each window is scaled by the mean absolute value
// of its own T values (DeepAR's scaling), so series of any size share one network and a
// forecast needs nothing stored about the series but its identity.
import { PERIOD_DAYS } from "../../data/calendar.js";
import type { CalendarEncoder } from "../../data/features.js";
import { dayOfYear } from "../gbdt/calendar.js";
import { calendarEncoderOf, channelNames, YEAR_PERIODS, type InputLayout } from "./layout.js";

/**
 * The network predicts each target as (value / scale) − 1: its output 0 is the window's mean
 * level, so a network that has learnt little (a single short series gives few batches) forecasts
 * that level, a moving average, rather than zero.
 */
export const targetOf = (value: number, scale: number): number => value / scale - 1;
export const valueOf = (output: number, scale: number): number => (output + 1) * scale;

/** What writing windows needs besides the layout, computed once per layout. */
export interface WindowWriter {
  layout: InputLayout;
  /** Channels per position. */
  channels: number;
  encoder?: CalendarEncoder;
  /** Index of each identity series by name. */
  identity: ReadonlyMap<string, number>;
}

export function windowWriter(layout: InputLayout): WindowWriter {
  return { layout, channels: channelNames(layout).length, encoder: calendarEncoderOf(layout), identity: new Map(layout.series.map((name, i) => [name, i])) };
}

/**
 * The scale of the window ending before `origin`: mean |value| over its T periods; when those are
 * all zero, over the whole history before origin; 1 when that is zero too.
 */
export function windowScale(values: Float64Array, origin: number, windowSize: number): number {
  const meanAbs = (from: number) => {
    let sum = 0;
    for (let t = from; t < origin; t++) sum += Math.abs(values[t]);
    return origin > from ? sum / (origin - from) : 0;
  };
  const recent = meanAbs(Math.max(0, origin - windowSize));
  if (recent > 0) return recent;
  const all = meanAbs(0);
  return all > 0 ? all : 1;
}

/**
 * Writes the window forecasting from `origin` (needs origin ≥ T) of a series whose period 0
 * starts on epoch day `startDay` into out[row ..] ([channel, position]); identity: the series'
 * name (a name without a channel gets 1/N in each). Returns the window's scale.
 */
export function writeWindow(w: WindowWriter, values: Float64Array, startDay: number, origin: number, name: string, out: Float32Array, row: number): number {
  const { window_size: T, horizon: H, yearly_harmonics: K, frequency, series } = w.layout;
  const year = YEAR_PERIODS[frequency];
  const periodDays = PERIOD_DAYS[frequency];
  const scale = windowScale(values, origin, T);
  const calendarChannels = w.encoder?.channels ?? 0;
  for (let k = 0; k < T; k++) {
    const p = origin - T + k;
    const described = p + H; // the period the calendar and the lag channels of this position describe
    out[row + k] = values[p] / scale;
    const lag = described - year;
    const known = lag >= 0;
    out[row + T + k] = known ? values[lag] / scale : 0;
    out[row + 2 * T + k] = known ? 1 : 0;
    const day = startDay + described * periodDays;
    if (w.encoder) w.encoder.encode(day, out, row + 3 * T + k, T);
    let c = 3 + calendarChannels;
    if (K > 0) {
      const angle = (2 * Math.PI * (dayOfYear(day) - 1)) / 365.25;
      for (let j = 1; j <= K; j++) {
        out[row + c++ * T + k] = Math.sin(j * angle);
        out[row + c++ * T + k] = Math.cos(j * angle);
      }
    }
  }
  if (series.length > 0) {
    const first = 3 + calendarChannels + 2 * K;
    const own = w.identity.get(name);
    for (let i = 0; i < series.length; i++) {
      const value = own === undefined ? 1 / series.length : i === own ? 1 : 0;
      out.fill(value, row + (first + i) * T, row + (first + i + 1) * T);
    }
  }
  return scale;
}
