// Base forecasts of a catalogue's aggregate series (total, states, stores, departments...), from
// local statistical models, for the reconciliations that read them (all but bottom_up).
//
// catalogue.aggregate_model names one local kind for every aggregate, or "auto": a tournament
// per level among catalogue.aggregate_candidates. Each candidate is fitted on every aggregate
// of the level up to `horizon` days before the cutoff and forecasts those days (the selection
// window, before any day the catalogue is scored on); the candidate with the lowest mean RMSSE
// over the level's aggregates wins the level, and is then fitted up to the cutoff.
//
// With `residuals`, each aggregate's in-sample errors over the last `horizon` days before the
// cutoff are written too (the chosen model, fitted up to the cutoff, forecasting those days from
// the history before them): the same h-step errors the bottom series get (residuals.ts), which
// wls_var and mint_shrink estimate their weights from.
import type { Config } from "../../config/schema.js";
import { naiveScale } from "../../backtest/wrmsse.js";
import type { CatalogueData } from "../../data/types.js";
import { isoFromEpochDay } from "../../data/dates.js";
import { ModelInputError } from "../../models/errors.js";
import { familyOf } from "../../models/families.js";
import type { ModelFamily, SeriesInput } from "../../models/model.js";
import type { CatalogueRows } from "./catalogue-rows.js";

/** One level's tournament: the candidates' mean RMSSE on the selection window and the winner. */
export interface LevelChoice {
  level: string;
  model: string;
  /** Absent when one kind was configured (no tournament). */
  candidates?: { model: string; rmsse: number; skipped?: string }[];
}

export interface AggregateForecastOptions {
  /** n × h base forecasts: rows 0 .. n_a − 1 are written. */
  base: Float64Array;
  /** n × h in-sample errors: rows 0 .. n_a − 1 are written when given. */
  residuals?: Float64Array;
  onProgress?: (done: number, total: number, text: string) => void;
  aborted?: () => void;
}

function localFamily(kind: string, where: string): ModelFamily {
  const family = familyOf(kind, where);
  if (family.scope !== "local") {
    throw new ModelInputError(`${where} names ${family.kind}, a global model`, "use local kinds: seasonal_naive, ets, holt_winters, theta");
  }
  return family;
}

/** The kinds the aggregates may use: [aggregate_model], or the candidates of "auto". */
export function aggregateKinds(config: Config): ModelFamily[] {
  const c = config.catalogue;
  if (c.aggregate_model !== "auto") return [localFamily(c.aggregate_model, "catalogue.aggregate_model")];
  if (c.aggregate_candidates.length === 0) {
    throw new ModelInputError(
      "catalogue.aggregate_model is auto but catalogue.aggregate_candidates is empty",
      "list local kinds, e.g. [seasonal_naive, ets, theta]",
    );
  }
  return c.aggregate_candidates.map((kind) => localFamily(kind, "catalogue.aggregate_candidates"));
}

/** The aggregate series of row r up to period `end`, from its first selling day. */
function aggregateSeries(catalogue: CatalogueData, rows: CatalogueRows, r: number, end: number): SeriesInput {
  const matrix = catalogue.matrix;
  const T = matrix.periods;
  const bottom = catalogue.hierarchy!.aggregates[rows.aggregateIndex[r]].bottom;
  const values = new Float64Array(end);
  let first = end;
  for (const b of bottom) {
    first = Math.min(first, matrix.firstPeriod[b]);
    const row = matrix.values.subarray(b * T, b * T + end);
    for (let t = 0; t < end; t++) values[t] += row[t];
  }
  first = Math.min(first, end - 1);
  return { name: rows.rowNames[r], values: values.subarray(first), start: isoFromEpochDay(matrix.firstDay + first * matrix.step), frequency: "D" };
}

/** The first `length` periods of a series. */
function head(series: SeriesInput, length: number): SeriesInput {
  return { ...series, values: series.values.subarray(0, length) };
}

/** RMSSE of `forecast` against `actual`, scaled by the history's one-step differences; NaN when the scale is 0. */
function rmsse(history: Float64Array, actual: Float64Array, forecast: Float64Array): number {
  const scale = naiveScale(history);
  if (!(scale > 0)) return Number.NaN;
  let sum = 0;
  for (let t = 0; t < actual.length; t++) sum += (actual[t] - forecast[t]) ** 2;
  return Math.sqrt(sum / actual.length / scale);
}

/** The aggregate forecasts' units of work, as progress counts them: one fit per aggregate and kind, plus the chosen kind's final fit when there is a choice. */
export function aggregateWorkUnits(config: Config, aggregates: number): number {
  const kinds = aggregateKinds(config).length;
  return aggregates * (kinds > 1 ? kinds + 1 : 1);
}

/** Runs the level tournament (when there are several kinds) and writes the aggregates' rows; returns one choice per aggregate level. */
export async function forecastAggregates(
  config: Config,
  catalogue: CatalogueData,
  rows: CatalogueRows,
  end: number,
  h: number,
  options: AggregateForecastOptions,
): Promise<LevelChoice[]> {
  const kinds = aggregateKinds(config);
  const na = rows.aggregateIndex.length;
  const byLevel = new Map<number, number[]>();
  for (let r = 0; r < na; r++) {
    const level = rows.rowLevels[r];
    let list = byLevel.get(level);
    if (!list) byLevel.set(level, (list = []));
    list.push(r);
  }
  const total = aggregateWorkUnits(config, na);
  let done = 0;
  const tick = (text: string) => {
    done++;
    if (done % 100 === 0 || done === total) options.onProgress?.(done, total, text);
  };
  const choices: LevelChoice[] = [];
  for (const [level, members] of byLevel) {
    const series = members.map((r) => aggregateSeries(catalogue, rows, r, end));
    let chosen = kinds[0];
    let candidates: LevelChoice["candidates"];
    if (kinds.length > 1) {
      candidates = [];
      let best = Number.POSITIVE_INFINITY;
      for (const family of kinds) {
        let sum = 0;
        let counted = 0;
        let skipped: string | undefined;
        for (const input of series) {
          options.aborted?.();
          const cut = input.values.length - h;
          if (cut < family.minHistory(config, "D")) {
            skipped = `a series of this level has ${cut} days before the selection window, fewer than ${family.kind} needs`;
            break;
          }
          const model = await family.fit([input], { config, name: family.kind, holdoutStart: cut });
          const score = rmsse(input.values.subarray(0, cut), input.values.subarray(cut), model.forecast(head(input, cut), h));
          if (Number.isFinite(score)) {
            sum += score;
            counted++;
          }
          tick(`selecting the model of level ${rows.levelNames[level]}`);
        }
        const mean = counted > 0 ? sum / counted : Number.NaN;
        candidates.push({ model: family.kind, rmsse: skipped ? Number.NaN : mean, ...(skipped ? { skipped } : {}) });
        if (!skipped && mean < best) {
          best = mean;
          chosen = family;
        }
      }
    }
    for (let i = 0; i < members.length; i++) {
      options.aborted?.();
      const r = members[i];
      const input = series[i];
      const model = await chosen.fit([input], { config, name: chosen.kind });
      options.base.set(model.forecast(input, h), r * h);
      if (options.residuals) {
        writeInSampleErrors(options.residuals, r, input.values, h, chosen.minHistory(config, "D"), (history) => model.forecast(head(input, history), h));
      }
      tick(`${chosen.kind} on the aggregate series`);
    }
    choices.push({ level: rows.levelNames[level], model: chosen.kind, ...(candidates ? { candidates } : {}) });
  }
  return choices;
}

/**
 * Row r of the n × h `residuals`: actual − forecast over the last h periods of `values`, the
 * forecast made from the periods before them. A series with fewer than `minHistory` periods
 * before them (it started selling in the last days) keeps 0: nothing to measure its errors by.
 */
export function writeInSampleErrors(
  residuals: Float64Array,
  r: number,
  values: Float64Array,
  h: number,
  minHistory: number,
  forecastFrom: (history: number) => Float64Array,
): void {
  const cut = values.length - h;
  if (cut < Math.max(1, minHistory)) return;
  const forecast = forecastFrom(cut);
  for (let t = 0; t < h; t++) residuals[r * h + t] = values[cut + t] - forecast[t];
}
