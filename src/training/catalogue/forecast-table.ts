// A stored catalogue's forecasts as a table, one row per series and day:
//   level,series,date,forecast,lo_<L>,hi_<L>...   (an interval pair per catalogue interval level)
// as CSV text (streamed, a chunk of rows at a time) or as a Parquet file (the CSV converted by
// DuckDB). Intervals: forecast ± z·σ of the series' held-out errors (a normal approximation,
// per series), the lower bound never below 0 (sales are not negative); absent when the version
// was trained without catalogue.evaluate.
import { normalQuantile } from "../../models/reconcile/index.js";
import { isoFromEpochDay, epochDayFromIso } from "../../data/dates.js";
import type { StoredCatalogue } from "./version-files.js";

export class UnknownLevelError extends Error {
  constructor(
    level: string,
    readonly known: readonly string[],
  ) {
    super(`level "${level}" is not a level of the catalogue model (levels: ${known.join(", ")})`);
    this.name = "UnknownLevelError";
  }
}

/** The rows of `level` (all levels when undefined); an unknown level is refused with the known ones. */
export function rowsOfLevel(stored: StoredCatalogue, level: string | undefined): number[] {
  const { levels, row_levels: rowLevels } = stored.meta;
  if (level === undefined) return rowLevels.map((_, r) => r);
  const index = levels.indexOf(level);
  if (index < 0) throw new UnknownLevelError(level, levels);
  const out: number[] = [];
  rowLevels.forEach((l, r) => {
    if (l === index) out.push(r);
  });
  return out;
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header of a stored catalogue's table. */
export function forecastHeader(stored: StoredCatalogue): string[] {
  const bounds = stored.sigma ? stored.meta.interval_levels.flatMap((l) => [`lo_${l}`, `hi_${l}`]) : [];
  return ["level", "series", "date", "forecast", ...bounds];
}

/** The CSV text, in chunks of about `chunkRows` series. */
export function* forecastCsv(stored: StoredCatalogue, rows: readonly number[], chunkRows = 500): Generator<string> {
  const { meta, forecasts, sigma } = stored;
  const h = meta.horizon;
  const first = epochDayFromIso(meta.first_forecast_date)!;
  const dates = Array.from({ length: h }, (_, t) => isoFromEpochDay(first + t));
  const z = meta.interval_levels.map((level) => normalQuantile(0.5 + level / 200));
  yield `${forecastHeader(stored).join(",")}\n`;
  let chunk: string[] = [];
  for (const r of rows) {
    const prefix = `${csvCell(meta.levels[meta.row_levels[r]])},${csvCell(meta.row_names[r])},`;
    for (let t = 0; t < h; t++) {
      const f = forecasts[r * h + t];
      let line = `${prefix}${dates[t]},${round(f)}`;
      if (sigma) for (const q of z) line += `,${round(Math.max(0, f - q * sigma[r]))},${round(f + q * sigma[r])}`;
      chunk.push(line);
    }
    if (chunk.length >= chunkRows * h) {
      yield `${chunk.join("\n")}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join("\n")}\n`;
}

/** Six significant decimals: the forecasts are unit counts, not bit patterns. */
function round(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}
