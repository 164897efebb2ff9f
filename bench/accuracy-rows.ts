// Reads the forecasts of each source into the protocol's ForecastRow:
//   - `salescast backtest --out`: category,model,cutoff,step,date,forecast,actual,error
//     (src/backtest/format.ts), every distinct model value becoming a model;
//   - an anchor runner's output (bench/anchors/): unique_id,cutoff,ds,model,y_hat.
// Either may carry prediction intervals as lo_<level>,hi_<level> column pairs (lo_80,hi_80,...);
// an empty cell means no interval for that row.
// And checks what salescast's rows must agree on with the protocol before they are scored:
// the same cutoff dates for every series and model, and the same actual values (the same data).
import { parseCsv, requireColumns } from "./accuracy-csv.js";
import { ProtocolError, seriesCutoffs, type BenchSeries, type ForecastRow, type Protocol } from "./accuracy-protocol.js";

const SALESCAST_COLUMNS = ["category", "model", "cutoff", "step", "date", "forecast", "actual", "error"] as const;
const ANCHOR_COLUMNS = ["unique_id", "cutoff", "ds", "model", "y_hat"] as const;

/** A salescast forecast row, with the actual value salescast compared it with. */
export interface SalescastRow extends ForecastRow {
  step: number;
  actual: number;
}

/** lo_L / hi_L column pairs of a header: level → [lower column, upper column]. */
function boundColumns(header: readonly string[], what: string): Map<number, [string, string]> {
  const pairs = new Map<number, [string, string]>();
  for (const name of header) {
    const match = /^lo_(\d+(?:\.\d+)?)$/.exec(name);
    if (!match) continue;
    const upper = `hi_${match[1]}`;
    if (!header.includes(upper)) throw new Error(`${what} has ${name} but no ${upper}.`);
    pairs.set(Number(match[1]), [name, upper]);
  }
  return pairs;
}

function boundsOf(record: Record<string, string>, columns: Map<number, [string, string]>): Map<number, [number, number]> {
  const bounds = new Map<number, [number, number]>();
  for (const [level, [lo, hi]] of columns) {
    if (record[lo] === "" || record[hi] === "") continue;
    const pair: [number, number] = [Number(record[lo]), Number(record[hi])];
    if (pair.every(Number.isFinite)) bounds.set(level, pair);
  }
  return bounds;
}

function number(text: string): number {
  // "NaN", "Inf" and "" are read as NaN: the scorer counts them as missing forecasts.
  const value = text.trim() === "" ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

/**
 * The rows of `salescast backtest --out`. `seriesIds` undoes the one change the writer makes to
 * a name (src/data/csv-cell.ts: a name starting with = + - @ is written with a leading
 * apostrophe so spreadsheets do not run it as a formula).
 */
export function parseSalescastRows(text: string, seriesIds: Iterable<string>, what = "salescast backtest --out rows"): SalescastRow[] {
  const known = new Set(seriesIds);
  const records = parseCsv(text, what);
  requireColumns(records, SALESCAST_COLUMNS, what);
  const bounds = boundColumns(records.length ? Object.keys(records[0]) : [], what);
  return records.map((record) => {
    const name = record.category;
    const series = !known.has(name) && name.startsWith("'") && known.has(name.slice(1)) ? name.slice(1) : name;
    return {
      series,
      model: record.model,
      cutoff: record.cutoff,
      date: record.date,
      step: Number(record.step),
      forecast: number(record.forecast),
      actual: number(record.actual),
      bounds: boundsOf(record, bounds),
    };
  });
}

/** The rows an anchor runner wrote. */
export function parseAnchorRows(text: string, what: string): ForecastRow[] {
  const records = parseCsv(text, what);
  requireColumns(records, ANCHOR_COLUMNS, what);
  const bounds = boundColumns(records.length ? Object.keys(records[0]) : [], what);
  return records.map((record) => ({
    series: record.unique_id,
    model: record.model,
    cutoff: record.cutoff,
    date: record.ds,
    forecast: number(record.y_hat),
    bounds: boundsOf(record, bounds),
  }));
}

/**
 * Fails loudly unless every (series, model) of salescast's rows has exactly the protocol's cutoff
 * dates: a backtest run with other windows would be scored on other periods than the anchors.
 * Series salescast skipped (no rows at all) are not an error here; the report names them.
 */
export function checkSameCutoffs(rows: readonly SalescastRow[], series: readonly BenchSeries[], protocol: Protocol): void {
  const expected = new Map(series.map((s) => [s.id, seriesCutoffs(s, protocol).dates]));
  const found = new Map<string, Set<string>>(); // series \0 model → cutoffs
  for (const row of rows) {
    if (!expected.has(row.series)) {
      throw new ProtocolError(
        `salescast's backtest has rows for "${row.series}", which the data read by the bench does not have: both must read the same file with the same data.* settings.`,
      );
    }
    const key = `${row.series}\u0000${row.model}`;
    const cutoffs = found.get(key) ?? new Set<string>();
    cutoffs.add(row.cutoff);
    found.set(key, cutoffs);
  }
  for (const [key, cutoffs] of found) {
    const [id, model] = key.split("\u0000");
    const want = expected.get(id)!;
    const missing = want.filter((date) => !cutoffs.has(date));
    const extra = [...cutoffs].filter((date) => !want.includes(date)).sort();
    if (missing.length || extra.length) {
      throw new ProtocolError(
        `salescast's backtest cutoffs differ from the anchors' for series ${id}, model ${model}: ` +
          `the protocol's are ${want[0]} .. ${want[want.length - 1]} (${want.length}, every ${protocol.step} periods, the last ${protocol.horizon} before the end)` +
          (missing.length ? `; missing ${missing.join(", ")}` : "") +
          (extra.length ? `; not in the protocol: ${extra.join(", ")}` : "") +
          `. Run the backtest with --horizon ${protocol.horizon} --windows ${protocol.windows} --step ${protocol.step} (and nothing in --salescast-args that changes them).`,
      );
    }
  }
}

/** Fails loudly when salescast compared its forecasts with other values than the bench's data. */
export function checkSameActuals(rows: readonly SalescastRow[], series: readonly BenchSeries[]): void {
  const byId = new Map(series.map((s) => [s.id, { s, index: new Map(s.dates.map((date, i) => [date, i])) }]));
  for (const row of rows) {
    const entry = byId.get(row.series);
    const index = entry?.index.get(row.date);
    if (!entry || index === undefined) continue; // the scorer reports rows outside the data
    const value = entry.s.values[index];
    if (!(Math.abs(row.actual - value) <= 1e-9 * Math.max(1, Math.abs(value)))) {
      throw new ProtocolError(
        `salescast's backtest saw ${row.actual} for series ${row.series} on ${row.date} where the bench's data has ${value}: ` +
          `they did not read the same data (same file, same data.* overrides and config?).`,
      );
    }
  }
}
