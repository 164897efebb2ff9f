// Shapes shared by the data step. DataSettings mirrors the `data` section of config/config.yaml;
// the zod schema in src/config/schema.ts is made to produce exactly this type.

import type { AggregateSeries, HierarchyLevel, SeriesMatrix } from "./catalogue-types.js";

export type Frequency = "D" | "W";

export interface DataSettings {
  /** CSV or Parquet file (Parquet when the name ends in .parquet, else CSV). */
  csv_path: string;
  /** long: one row per transaction or per date x category; wide: one column per series. */
  layout: "long" | "wide";
  /** Matched case-insensitively when no column has this exact name. */
  date_column: string;
  /** Long layout only; null = no category column: the file is one series, named after value_column. */
  category_column: string | null;
  /** Long layout only. */
  value_column: string;
  /** Wide layout only; [] = every numeric column except the date and calendar-part columns. */
  series_columns: string[];
  /** D: one period per day; W: periods of 7 days anchored on the first date in the data. */
  frequency: Frequency;
  /** How periods with no rows are filled. */
  fill: "zero" | "previous";
  /**
   * Long layout: the columns that together name a series; [] or absent = category_column alone.
   * Optional here so settings built in code before it existed stay valid; the schema always sets it.
   */
  series_key?: string[];
  /** With series_key: aggregation levels, each a list of columns ([] = the total). See hierarchy.ts. */
  hierarchy?: string[][];
  /** Rows with the same series and date: auto (refuse with series_key, else sum), sum or refuse. */
  duplicates?: "auto" | "sum" | "refuse";
  /** [] = every category found; else only these, in this order. */
  available_categories: string[];
  /** Model input length; only used by checkLongEnough. */
  window_size: number;
}

export interface CategorySeries {
  category: string;
  /** ISO date (YYYY-MM-DD) of the first period. */
  start: string;
  /** One value per period, complete calendar from the first to the last period with data. */
  values: Float64Array;
  /** Periods that had no rows and were filled (data.fill). */
  filledPeriods: number;
  /** Sum of the recorded values (filled periods not counted, also with fill: previous). */
  total: number;
}

export interface SalesData {
  frequency: Frequency;
  source: { path: string; sha256: string; rows: number };
  series: CategorySeries[];
  /** Wide layout: the columns read as series and, when detected (series_columns []), the others. */
  columns?: WideColumns;
  /** data.series_key set: the keys, the columnar matrix behind `series`, and the hierarchy. */
  catalogue?: CatalogueData;
}

/**
 * A catalogue read with data.series_key (keyed-ingest.ts). `SalesData.series[s]` is bottom
 * series s: its `values` are a view into `matrix.values` (no copy).
 */
export interface CatalogueData {
  /** data.series_key as the file spells them. */
  keyColumns: string[];
  /** The other columns data.hierarchy names (e.g. state_id, cat_id), as the file spells them. */
  attributeColumns: string[];
  /** Per series: its key's parts (keyColumns order), trimmed and NFC. */
  parts: string[][];
  /** Per series: its value of each attribute column. */
  attributes: string[][];
  matrix: SeriesMatrix;
  /** Present when data.hierarchy is not empty. */
  hierarchy?: CatalogueHierarchy;
}

export interface CatalogueHierarchy {
  levels: HierarchyLevel[];
  /** Each aggregate with the indices of the bottom series summing to it (hierarchy.ts). */
  aggregates: AggregateSeries[];
  /**
   * Per aggregate (same order), its values as a series from the first to the last period of its
   * bottom series. A level equal to the series key gives the bottom series objects themselves.
   */
  series: CategorySeries[];
}

/** What became of a wide file's columns. Names as in the file. */
export interface WideColumns {
  /** True when data.series_columns was [] and the series were detected. */
  detected: boolean;
  series: string[];
  /** Detected only: numeric columns holding only 0 and 1 (flags, not series). */
  flags?: string[];
  /** Detected only: columns that are mostly not numbers, or empty. */
  text?: string[];
  /** Detected only: the date column and the calendar parts. */
  calendar?: string[];
}

export interface CategorySummary {
  category: string;
  start: string;
  end: string;
  periods: number;
  filledPeriods: number;
  total: number;
}

/** What `salescast ingest` prints. */
export interface IngestSummary {
  source: { path: string; sha256: string; rows: number };
  frequency: Frequency;
  /** Wide layout: which columns were read as series (and, when detected, which were not). */
  columns?: WideColumns;
  categories: CategorySummary[];
  /** data.series_key set: keys, levels, and the series that start or stop mid-history. */
  catalogue?: CatalogueSummary;
  overall: { start: string; end: string; periods: number; filledPeriods: number; total: number };
}

export interface CatalogueSummary {
  keyColumns: string[];
  series: number;
  /** Each hierarchy level and how many series it has. */
  levels: { label: string; series: number }[];
  /** Series whose first row is after the file's first period, and the first few of them. */
  startedLate: { count: number; examples: string[] };
  /** Series whose last row is before the file's last period. */
  stoppedEarly: { count: number; examples: string[] };
}
