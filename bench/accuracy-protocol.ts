// The accuracy protocol of the project's comparisons (issue 17, docs/accuracy.md), one
// implementation for every model's forecasts, salescast's and the anchors' alike:
//   - cutoffs: W cutoffs S periods apart, the last one H periods before the series' end (the
//     last window ends at the end of the data); a cutoff is the last period a model saw;
//   - MASE scale: the mean absolute lag-s difference of the history up to the FIRST cutoff
//     (s = the season, or 1 when that history is shorter than two seasons), one scale per
//     series for every window, so every window of a series weighs the same for every model;
//   - a series' MASE: the mean of |actual − forecast| / scale over its W·H forecasts;
//     a model's MASE: the mean over series.
import { backtestCutoffs } from "../src/backtest/windows.js";
import { maseLag } from "../src/models/metrics.js";

export interface Protocol {
  /** H: periods forecast from each cutoff. */
  horizon: number;
  /** W: cutoffs. */
  windows: number;
  /** S: periods between two cutoffs. */
  step: number;
  /** s: the MASE lag (7 daily, 52 weekly). */
  season: number;
}

/** One series as salescast's ingestion made it: one value per period, gaps filled. */
export interface BenchSeries {
  id: string;
  /** ISO date of each period, oldest first. */
  dates: string[];
  values: Float64Array;
}

/** A forecast of one period, from any model: the common shape every source is read into. */
export interface ForecastRow {
  series: string;
  model: string;
  /** ISO date of the last period the model saw. */
  cutoff: string;
  /** ISO date of the forecast period. */
  date: string;
  forecast: number;
  /** Prediction interval per level (80, 95, ...): [lower, upper]. */
  bounds: Map<number, [number, number]>;
}

/** The cutoffs of one series: how many periods each saw (oldest first), and their dates. */
export interface SeriesCutoffs {
  lengths: number[];
  dates: string[];
}

/** Forecasts that do not fit the protocol's windows: a different cutoff, a wrong date, a duplicate. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProtocolError";
  }
}

export function seriesCutoffs(series: BenchSeries, protocol: Protocol): SeriesCutoffs {
  // At least 2 periods before the first cutoff: the lag-1 scale needs one difference.
  const lengths = backtestCutoffs(series.values.length, protocol, 2, `series ${series.id}`);
  return { lengths, dates: lengths.map((length) => series.dates[length - 1]) };
}

/** The MASE scale of a series and the lag it used. A scale of 0 (a flat history) scores nothing. */
export function seriesScale(series: BenchSeries, protocol: Protocol): { scale: number; lag: number } {
  const first = seriesCutoffs(series, protocol).lengths[0];
  const lag = maseLag(first, protocol.season);
  let sum = 0;
  for (let t = lag; t < first; t++) sum += Math.abs(series.values[t] - series.values[t - lag]);
  return { scale: sum / (first - lag), lag };
}

export interface ModelScore {
  model: string;
  /** MASE of every series the model forecast completely (W·H finite forecasts). */
  perSeries: Map<string, number>;
  /** Series with some forecasts missing or non-finite: left out of the mean, with the count. */
  incomplete: Map<string, number>;
  /** Mean of perSeries; NaN when it is empty. */
  meanMase: number;
  /** Interval coverage per level over every forecast that had that level's interval. */
  coverage: Map<number, { covered: number; total: number }>;
}

export interface Scores {
  models: ModelScore[];
  /** Series whose scale is 0 (no change in their history): no model is scored on them. */
  unscaled: string[];
}

/**
 * Scores every model in `rows` on `series` with the protocol. Throws a ProtocolError for a row
 * of an unknown series, a cutoff that is not one of the protocol's, a date that is not 1..H
 * periods after its cutoff, or the same forecast twice.
 */
export function scoreForecasts(series: readonly BenchSeries[], protocol: Protocol, rows: readonly ForecastRow[]): Scores {
  const byId = new Map(series.map((s) => [s.id, s]));
  const cutoffIndex = new Map<string, Map<string, number>>(); // series → cutoff date → periods seen
  const dateIndex = new Map<string, Map<string, number>>();
  const scales = new Map<string, number>();
  for (const s of series) {
    const { lengths, dates } = seriesCutoffs(s, protocol);
    cutoffIndex.set(s.id, new Map(dates.map((date, i) => [date, lengths[i]])));
    dateIndex.set(s.id, new Map(s.dates.map((date, i) => [date, i])));
    scales.set(s.id, seriesScale(s, protocol).scale);
  }

  // model → series → [sum of |error| / scale, finite forecasts]
  const sums = new Map<string, Map<string, [number, number]>>();
  const coverage = new Map<string, Map<number, { covered: number; total: number }>>();
  const seen = new Set<string>();
  for (const row of rows) {
    const s = byId.get(row.series);
    if (!s)
      throw new ProtocolError(
        `forecasts of model ${row.model} name a series "${row.series}" that is not in the data (${[...byId.keys()].slice(0, 8).join(", ")}${byId.size > 8 ? ", …" : ""}).`,
      );
    const seenPeriods = cutoffIndex.get(s.id)!.get(row.cutoff);
    if (seenPeriods === undefined) {
      const expected = [...cutoffIndex.get(s.id)!.keys()];
      throw new ProtocolError(
        `model ${row.model}, series ${s.id}: cutoff ${row.cutoff} is not one of the protocol's (${expected[0]} .. ${expected[expected.length - 1]}, ${expected.length} cutoffs).`,
      );
    }
    const index = dateIndex.get(s.id)!.get(row.date);
    const step = index === undefined ? -1 : index - seenPeriods + 1;
    if (step < 1 || step > protocol.horizon) {
      throw new ProtocolError(
        `model ${row.model}, series ${s.id}, cutoff ${row.cutoff}: forecast date ${row.date} is not 1..${protocol.horizon} periods after the cutoff.`,
      );
    }
    const key = `${row.model}\u0000${s.id}\u0000${row.cutoff}\u0000${step}`;
    if (seen.has(key)) throw new ProtocolError(`model ${row.model}, series ${s.id}, cutoff ${row.cutoff}: two forecasts for ${row.date}.`);
    seen.add(key);
    if (!Number.isFinite(row.forecast)) continue;

    const actual = s.values[index!];
    const perSeries = sums.get(row.model) ?? new Map<string, [number, number]>();
    sums.set(row.model, perSeries);
    const sum = perSeries.get(s.id) ?? [0, 0];
    sum[0] += Math.abs(actual - row.forecast);
    sum[1]++;
    perSeries.set(s.id, sum);
    const counts = coverage.get(row.model) ?? new Map<number, { covered: number; total: number }>();
    coverage.set(row.model, counts);
    for (const [level, [lower, upper]] of row.bounds) {
      const count = counts.get(level) ?? { covered: 0, total: 0 };
      count.total++;
      if (actual >= lower && actual <= upper) count.covered++;
      counts.set(level, count);
    }
  }

  const unscaled = series.filter((s) => !(scales.get(s.id)! > 0)).map((s) => s.id);
  const full = protocol.windows * protocol.horizon;
  const models = [...sums.keys()].map((model): ModelScore => {
    const perSeries = new Map<string, number>();
    const incomplete = new Map<string, number>();
    for (const s of series) {
      const scale = scales.get(s.id)!;
      if (!(scale > 0)) continue;
      const [sum, count] = sums.get(model)!.get(s.id) ?? [0, 0];
      if (count === full) perSeries.set(s.id, sum / count / scale);
      else incomplete.set(s.id, count);
    }
    const values = [...perSeries.values()];
    const meanMase = values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
    return { model, perSeries, incomplete, meanMase, coverage: coverage.get(model) ?? new Map() };
  });
  return { models, unscaled };
}
