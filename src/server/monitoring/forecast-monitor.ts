// Forecast-quality monitoring (issue 18): the forecasts the server answered are kept by the
// date they are for, and when the actual values of those dates arrive
// (POST /api/actuals/{category}) each is scored. Per category the last `window` scored
// forecasts give the live MASE (their mean absolute error over the served version's own MASE
// scale, so it compares with its validation MASE) and, per level asked for, the share of
// actuals inside the interval (coverage, to compare with the level). /metrics exports both with
// the validation figures beside them; deploy/prometheus-rules.yml alerts when the live MASE
// runs above the validation MASE by a set factor.
//
// Only forecasts that carry their dates are kept: a "series" request with "last_date" (each
// step's date follows from it and the model's frequency). Kept in memory, at most `capacity`
// dates per category (the oldest go first); snapshot()/restore() let monitor-file.ts keep them
// (and the scored ones) across a restart.
import { epochDayFromIso, isoFromEpochDay } from "../../data/dates.js";
import type { SalesForecaster } from "../../forecaster/sales-forecaster.js";

interface Band {
  level: number;
  lower: number;
  upper: number;
}

interface Recorded {
  value: number;
  version: number | null;
  bands: Band[];
}

interface Scored {
  absError: number;
  scale?: number;
  validationMase?: number;
  /** level -> inside the interval. */
  inside: Map<number, boolean>;
}

export interface LiveQuality {
  category: string;
  scored: number;
  mae: number | null;
  /** Mean absolute error over the mean MASE scale of the scored forecasts' versions; null without a scale. */
  mase: number | null;
  /** The validation MASE of the versions scored (their mean). */
  validation_mase: number | null;
  coverage: Array<{ level: number; coverage: number; forecasts: number }>;
}

export interface ScoreReport {
  /** Actuals matched to a recorded forecast and scored. */
  scored: number;
  /** Actuals for dates no forecast was recorded for. */
  unmatched: number;
  live: LiveQuality;
}

/** The validation MASE and its scale of a version, from the metrics it was registered with. */
export function versionScale(metrics: Record<string, number> | undefined): { scale?: number; validationMase?: number } {
  const mae = metrics?.val_mae;
  const mase = metrics?.val_mase;
  if (mae === undefined || mase === undefined || !Number.isFinite(mae) || !Number.isFinite(mase) || !(mase > 0)) {
    return mase !== undefined && Number.isFinite(mase) ? { validationMase: mase } : {};
  }
  return { scale: mae / mase, validationMase: mase };
}

/** What snapshot() writes and restore() reads: plain JSON, snake_case. */
export interface MonitorSnapshot {
  format_version: 1;
  recorded: Record<string, Array<{ date: string; value: number; version: number | null; bands: Band[] }>>;
  scored: Record<string, Array<{ abs_error: number; scale?: number; validation_mase?: number; inside: Array<[number, boolean]> }>>;
}

export class ForecastMonitor {
  /** Bumped by every change: the file keeper saves when it moved. */
  changes = 0;

  private readonly recorded = new Map<string, Map<string, Recorded>>();
  private readonly scored = new Map<string, Scored[]>();

  constructor(
    private readonly window = 200,
    private readonly capacity = 10_000,
  ) {}

  /** Keeps an answered forecast by the date of each step: `values[k]` is for lastDate + k + 1 periods. */
  record(
    category: string,
    forecaster: SalesForecaster,
    lastDate: string,
    values: number[],
    intervals: Array<{ level: number; lower: number[]; upper: number[] }> = [],
  ): void {
    const day = epochDayFromIso(lastDate);
    if (day === undefined) return;
    const step = forecaster.meta.data.frequency === "W" ? 7 : 1;
    let byDate = this.recorded.get(category);
    if (!byDate) this.recorded.set(category, (byDate = new Map()));
    values.forEach((value, k) => {
      const date = isoFromEpochDay(day + step * (k + 1));
      byDate!.delete(date); // the latest forecast for a date is the one kept, and it moves to the back
      byDate!.set(date, {
        value,
        version: forecaster.version ?? null,
        bands: intervals.map((band) => ({ level: band.level, lower: band.lower[k], upper: band.upper[k] })),
      });
    });
    while (byDate.size > this.capacity) byDate.delete(byDate.keys().next().value!);
    this.changes++;
  }

  /** Dates with a recorded forecast not scored yet, per category (what actuals from a data file are looked up for). */
  pendingDates(): Map<string, string[]> {
    return new Map([...this.recorded].filter(([, byDate]) => byDate.size > 0).map(([category, byDate]) => [category, [...byDate.keys()]]));
  }

  snapshot(): MonitorSnapshot {
    const recorded: MonitorSnapshot["recorded"] = {};
    for (const [category, byDate] of this.recorded) recorded[category] = [...byDate].map(([date, r]) => ({ date, ...r }));
    const scored: MonitorSnapshot["scored"] = {};
    for (const [category, list] of this.scored) {
      scored[category] = list.map((s) => ({
        abs_error: s.absError,
        ...(s.scale === undefined ? {} : { scale: s.scale }),
        ...(s.validationMase === undefined ? {} : { validation_mase: s.validationMase }),
        inside: [...s.inside],
      }));
    }
    return { format_version: 1, recorded, scored };
  }

  /** Replaces what is kept by a snapshot (checked by monitor-file.ts); the window and capacity still apply. */
  restore(snapshot: MonitorSnapshot): void {
    this.recorded.clear();
    this.scored.clear();
    for (const [category, entries] of Object.entries(snapshot.recorded)) {
      const byDate = new Map(entries.map(({ date, value, version, bands }) => [date, { value, version, bands }]));
      while (byDate.size > this.capacity) byDate.delete(byDate.keys().next().value!);
      if (byDate.size > 0) this.recorded.set(category, byDate);
    }
    for (const [category, entries] of Object.entries(snapshot.scored)) {
      const list: Scored[] = entries.slice(-this.window).map((e) => ({
        absError: e.abs_error,
        ...(e.scale === undefined ? {} : { scale: e.scale }),
        ...(e.validation_mase === undefined ? {} : { validationMase: e.validation_mase }),
        inside: new Map(e.inside),
      }));
      if (list.length > 0) this.scored.set(category, list);
    }
  }

  /**
   * Scores the recorded forecasts of these dates against their actual values; `metricsOf` gives
   * the registered metrics of the version that made a forecast (its MASE scale).
   */
  score(category: string, actuals: Array<{ date: string; value: number }>, metricsOf: (version: number) => Record<string, number> | undefined): ScoreReport {
    const byDate = this.recorded.get(category);
    let scored = 0;
    let unmatched = 0;
    const list = this.scored.get(category) ?? [];
    for (const { date, value } of actuals) {
      const forecast = byDate?.get(date);
      if (!forecast) {
        unmatched++;
        continue;
      }
      byDate!.delete(date); // scored once
      const { scale, validationMase } = versionScale(forecast.version === null ? undefined : metricsOf(forecast.version));
      list.push({
        absError: Math.abs(forecast.value - value),
        ...(scale === undefined ? {} : { scale }),
        ...(validationMase === undefined ? {} : { validationMase }),
        inside: new Map(forecast.bands.map((band) => [band.level, value >= band.lower && value <= band.upper])),
      });
      scored++;
    }
    if (list.length > this.window) list.splice(0, list.length - this.window);
    if (list.length > 0) this.scored.set(category, list);
    if (scored > 0) this.changes++;
    return { scored, unmatched, live: this.live(category) };
  }

  live(category: string): LiveQuality {
    const list = this.scored.get(category) ?? [];
    const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
    const mae = mean(list.map((s) => s.absError));
    const scales = list.filter((s) => s.scale !== undefined);
    const scale = mean(scales.map((s) => s.scale!));
    const scaledMae = mean(scales.map((s) => s.absError));
    const levels = [...new Set(list.flatMap((s) => [...s.inside.keys()]))].sort((a, b) => a - b);
    return {
      category,
      scored: list.length,
      mae,
      mase: scale !== null && scaledMae !== null && scale > 0 ? scaledMae / scale : null,
      validation_mase: mean(list.filter((s) => s.validationMase !== undefined).map((s) => s.validationMase!)),
      coverage: levels.map((level) => {
        const asked = list.filter((s) => s.inside.has(level));
        return { level, coverage: asked.filter((s) => s.inside.get(level)).length / asked.length, forecasts: asked.length };
      }),
    };
  }

  /** Categories with scored forecasts. */
  categories(): string[] {
    return [...this.scored.keys()].sort();
  }
}
