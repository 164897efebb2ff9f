// The M5 competition's accuracy measure (M5 Participants Guide, 2020), per series, per level
// and overall. It lives in src/backtest (evaluation, selection, leaderboards in
// ARCHITECTURE.md's layout) rather than beside the reconciliation methods: it judges any
// forecasts of a hierarchy, reconciled or not, and the layer that compares models imports it.
//
//   RMSSE_i  = sqrt( mean_{t in horizon} (y_t − ŷ_t)² / scale_i ),
//   scale_i  = mean_{t = s_i + 1 .. T − 1} (y_t − y_{t−1})², s_i the series' first non-zero
//              training period (leading zeros are days before the product was sold);
//   weight_i = the series' dollar sales over the last 28 training days / the same summed over
//              its level (each level's weights add to 1);
//   WRMSSE_level = Σ_{i in level} weight_i RMSSE_i;   WRMSSE = mean of the level values.
// Aggregates are computed from the bottom series (actuals, history and dollar sales summed),
// as the M5 organisers did; the forecasts of every series are taken as given.
// A series whose scale is 0 (never sold, or the same quantity every day since its first sale)
// has no RMSSE: it is reported as null-equivalent NaN, counted in `unscaled_series`, and its
// weight is left out (not redistributed), so such a series never hides as a perfect score.
import { ModelInputError } from "../models/errors.js";
import { type HierarchyStructure, type SummingStructure, summingStructure, sumFromBottom } from "../models/reconcile/index.js";

export interface WrmsseInput {
  structure: HierarchyStructure | SummingStructure;
  /** The level of every series (aggregates first, then bottom), an index into level_names. */
  series_levels: ArrayLike<number>;
  level_names: readonly string[];
  /** Bottom series' training units, n_b × T (series-major), oldest first. */
  train_units: Float64Array;
  /** Bottom series' dollar sales over the last 28 training days (n_b), see dollarSales(). */
  dollar_sales: Float64Array;
  /** Bottom series' actual units over the horizon, n_b × h. */
  actual_units: Float64Array;
  /** Forecasts of every series, n × h. */
  forecasts: Float64Array;
}

export interface LevelScore {
  level: string;
  series: number;
  wrmsse: number;
  unscaled_series: number;
}

export interface WrmsseResult {
  /** RMSSE of every series (NaN where the scale is 0). */
  rmsse: Float64Array;
  /** Weight of every series within its level. */
  weights: Float64Array;
  levels: LevelScore[];
  wrmsse: number;
}

/** Σ over the last `days` periods of units × price, per bottom series (both n_b × T). */
export function dollarSales(units: Float64Array, prices: Float64Array, bottomCount: number, days = 28): Float64Array {
  if (units.length !== prices.length || units.length % bottomCount !== 0) {
    throw new ModelInputError(`units (${units.length} values) and prices (${prices.length}) must both be ${bottomCount} series × T periods`);
  }
  const T = units.length / bottomCount;
  if (T < days) throw new ModelInputError(`the weights need ${days} training periods, the history has ${T}`);
  const out = new Float64Array(bottomCount);
  for (let k = 0; k < bottomCount; k++) {
    for (let t = T - days; t < T; t++) {
      const u = units[k * T + t];
      if (u === 0) continue; // an item not on sale has no price (M5's sell_prices leave it out)
      const p = prices[k * T + t];
      if (!Number.isFinite(p) || !Number.isFinite(u)) {
        throw new ModelInputError(`bottom series ${k} sold ${u} units at price ${p} on training period ${t}`, "every day with sales needs a finite price");
      }
      out[k] += u * p;
    }
  }
  return out;
}

function checkLength(values: Float64Array, expected: number, what: string): void {
  if (!(values instanceof Float64Array) || values.length !== expected) {
    throw new ModelInputError(`${what} has ${values?.length} values, expected ${expected}`);
  }
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j])) throw new ModelInputError(`${what} has a non-finite value at position ${j}`);
  }
}

/** Mean squared one-step difference from the first non-zero value; 0 when undefined. */
export function naiveScale(y: Float64Array): number {
  let first = 0;
  while (first < y.length && y[first] === 0) first++;
  if (y.length - first < 2) return 0;
  let sum = 0;
  for (let t = first + 1; t < y.length; t++) sum += (y[t] - y[t - 1]) ** 2;
  return sum / (y.length - first - 1);
}

export function wrmsse(input: WrmsseInput): WrmsseResult {
  const s =
    "offsets" in input.structure && input.structure.offsets instanceof Int32Array ? input.structure : summingStructure(input.structure as HierarchyStructure);
  const { bottomCount: nb, aggregateCount: na, seriesCount: n } = s;
  const h = input.forecasts.length / n;
  if (!Number.isInteger(h) || h < 1) throw new ModelInputError(`the forecasts have ${input.forecasts.length} values, not a multiple of the ${n} series`);
  checkLength(input.forecasts, n * h, "the forecasts");
  checkLength(input.actual_units, nb * h, "the actual units");
  checkLength(input.dollar_sales, nb, "the dollar sales");
  const T = input.train_units.length / nb;
  if (!Number.isInteger(T) || T < 2)
    throw new ModelInputError(`the training units have ${input.train_units.length} values, not ${nb} bottom series × T ≥ 2 periods`);
  checkLength(input.train_units, nb * T, "the training units");
  if (input.series_levels.length !== n) throw new ModelInputError(`series_levels has ${input.series_levels.length} entries, expected one per series (${n})`);
  const levelCount = input.level_names.length;
  for (let i = 0; i < n; i++) {
    const level = input.series_levels[i];
    if (!Number.isInteger(level) || level < 0 || level >= levelCount) {
      throw new ModelInputError(`series ${i} has level ${level}, not an index into the ${levelCount} level names`);
    }
  }

  // Actuals and dollar sales of every series, from the bottom ones.
  const actual = new Float64Array(n * h);
  actual.set(input.actual_units, na * h);
  sumFromBottom(s, actual, h, actual);
  const dollars = new Float64Array(n);
  dollars.set(input.dollar_sales, na);
  sumFromBottom(s, dollars, 1, dollars);

  // Scales: one T-long history at a time (the n × T aggregated history would take 665 MB at M5 scale).
  const scale = new Float64Array(n);
  const history = new Float64Array(T);
  for (let i = 0; i < n; i++) {
    if (i < na) {
      history.fill(0);
      for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) {
        const row = s.members[e] * T;
        for (let t = 0; t < T; t++) history[t] += input.train_units[row + t];
      }
    } else history.set(input.train_units.subarray((i - na) * T, (i - na + 1) * T));
    scale[i] = naiveScale(history);
  }

  const rmsse = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mse = 0;
    for (let t = 0; t < h; t++) mse += (actual[i * h + t] - input.forecasts[i * h + t]) ** 2;
    rmsse[i] = scale[i] > 0 ? Math.sqrt(mse / h / scale[i]) : Number.NaN;
  }

  const levelDollars = new Float64Array(levelCount);
  const levelSeries = new Int32Array(levelCount);
  for (let i = 0; i < n; i++) {
    levelDollars[input.series_levels[i]] += dollars[i];
    levelSeries[input.series_levels[i]]++;
  }
  const weights = new Float64Array(n);
  const levelScore = new Float64Array(levelCount);
  const unscaled = new Int32Array(levelCount);
  for (let i = 0; i < n; i++) {
    const level = input.series_levels[i];
    weights[i] = levelDollars[level] > 0 ? dollars[i] / levelDollars[level] : 0;
    if (Number.isNaN(rmsse[i])) unscaled[level]++;
    else levelScore[level] += weights[i] * rmsse[i];
  }
  const levels: LevelScore[] = [];
  for (let l = 0; l < levelCount; l++) {
    if (levelSeries[l] === 0) throw new ModelInputError(`level ${input.level_names[l]} has no series`, "drop it from level_names or give its series");
    if (!(levelDollars[l] > 0)) {
      throw new ModelInputError(
        `level ${input.level_names[l]} sold nothing over the weighting days, so its weights are undefined`,
        "evaluate a cutoff with sales in the 28 days before it",
      );
    }
    levels.push({ level: input.level_names[l], series: levelSeries[l], wrmsse: levelScore[l], unscaled_series: unscaled[l] });
  }
  const overall = levels.reduce((acc, level) => acc + level.wrmsse, 0) / levels.length;
  return { rmsse, weights, levels, wrmsse: overall };
}
