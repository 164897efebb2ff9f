// The shapes of a catalogue's data (many series keyed by several columns, their hierarchy levels)
// that SalesData carries. They live here, importing nothing, so types.ts can name them without an
// import circle through the modules that build them (hierarchy.ts, keyed-values.ts).

export interface HierarchyLevel {
  columns: string[];
  /** "total", or the columns joined by "/" ("store_id/dept_id"). */
  label: string;
  /** True when the level's columns are the series key: each aggregate is one bottom series. */
  bottom: boolean;
}

export interface AggregateSeries {
  /** Index into Hierarchy.levels. */
  level: number;
  /** Name within the level: "total", or the level's values joined like a series key. */
  name: string;
  /** The level's values, in the level's column order ([] for the total). */
  parts: string[];
  /** Indices of the bottom series that sum to this one, ascending. */
  bottom: number[];
}

export interface SeriesMatrix {
  /** Series (rows). */
  series: number;
  /** Periods (columns): the common calendar. */
  periods: number;
  /** Epoch day of period 0 (the first date in the file). */
  firstDay: number;
  /** Days per period (1 daily, 7 weekly). */
  step: number;
  /** series x periods, row-major, on a SharedArrayBuffer. */
  values: Float64Array;
  /** Per series, its first and last period with a row (inclusive). */
  firstPeriod: Int32Array;
  lastPeriod: Int32Array;
  /** Per series, the periods inside first..last without any row (filled per data.fill). */
  filledPeriods: Int32Array;
  /** Per series, the sum of its rows' values. */
  totals: Float64Array;
}
