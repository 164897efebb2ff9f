// A plan of a catalogue's covariates for the forecast days (catalogue.future_covariates): the
// prices, promotions and events planners already know, per series and day. Without it each
// covariate keeps its last value past the end of the data.
//
//   store_id,item_id,date,sell_price,promo
//   CA_1,FOODS_1_001,2016-05-23,2.24,0
//
// Columns: every data.series_key column, data.date_column, and covariates of
// model.features.covariates (some or all; the others keep their last value). Columns of
// data.hierarchy (state_id, dept_id...) may be there too and are ignored. Rows of days outside
// the forecast window are ignored. Everything else is refused before any fitting, with what to
// change: a column of neither kind, no covariate column, a bad date or number, a row given twice,
// a series the catalogue does not have, and a series, day and covariate the plan leaves empty.
import { DataError } from "./errors.js";
import { isoFromEpochDay } from "./dates.js";
import { seriesKeyName } from "./series-key.js";
import { openSource, resolveColumn, unreadableFile } from "./source.js";
import { amountOf, categoryText, dateKeyOf, epochDayOf, rawText } from "./sql.js";

export interface FutureCovariateSettings {
  path: string;
  keyColumns: readonly string[];
  dateColumn: string;
  /** model.features.covariates. */
  covariates: readonly string[];
  /** Columns of data.hierarchy that are not key columns: allowed, ignored. */
  ignoredColumns: readonly string[];
}

export interface FutureCovariates {
  /** The covariates the plan gives (a subset of model.features.covariates, in its order). */
  names: string[];
  /** Epoch day of the first forecast day; `days` days. */
  firstDay: number;
  days: number;
  /** Per series name: per covariate of `names`, its value on each of the `days` days. */
  values: Map<string, Float64Array[]>;
}

const EXAMPLES = 3;

/** Reads and checks the plan for `series` over `days` days from epoch day `firstDay`. */
export async function readFutureCovariates(settings: FutureCovariateSettings, series: readonly string[], firstDay: number, days: number): Promise<FutureCovariates> {
  const where = "catalogue.future_covariates";
  const source = await openSource(settings.path);
  try {
    const keys = settings.keyColumns.map((k) => resolveColumn(source, k, "data.series_key", ` (the plan ${settings.path} needs the key columns)`));
    const date = resolveColumn(source, settings.dateColumn, "data.date_column", " (the plan's date column has the sales file's name)");
    const fold = (name: string) => name.trim().toLowerCase();
    const known = new Map(settings.covariates.map((name) => [fold(name), name]));
    const ignored = new Set(settings.ignoredColumns.map(fold));
    const columns: { column: string; name: string }[] = [];
    const unknown: string[] = [];
    for (const column of source.columns) {
      if (keys.includes(column) || column === date || ignored.has(fold(column))) continue;
      const name = known.get(fold(column));
      if (name === undefined) unknown.push(column);
      else columns.push({ column, name });
    }
    if (unknown.length > 0) {
      throw new DataError(
        `${source.path} (${where}) has column(s) ${unknown.map((c) => `"${c}"`).join(", ")}, neither a key column, the date column nor a covariate of model.features.covariates (${settings.covariates.join(", ") || "none"}).`,
        "Drop those columns from the plan, or add them to model.features.covariates (and to the sales file).",
      );
    }
    if (columns.length === 0) {
      throw new DataError(
        `${source.path} (${where}) has no covariate column: nothing to plan.`,
        `Give one column per planned covariate of model.features.covariates (${settings.covariates.join(", ") || "none are set"}).`,
      );
    }
    columns.sort((a, b) => settings.covariates.indexOf(a.name) - settings.covariates.indexOf(b.name));
    const keySql = keys.map((k, i) => `${categoryText(rawText(k))} AS k${i}`);
    const cells = columns.map(({ column }, i) => `${rawText(column)} AS r${i}, ${amountOf(rawText(column))} AS v${i}`);
    const sql = `SELECT ${keySql.join(", ")}, ${rawText(date)} AS date_text, ${epochDayOf(dateKeyOf(rawText(date)))} AS day, ${cells.join(", ")} FROM ${source.relation}`;
    let rows: Record<string, unknown>[];
    try {
      rows = (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
    } catch (error) {
      throw unreadableFile(source.path, source.kind, error);
    }

    const wanted = new Set(series);
    const values = new Map<string, Float64Array[]>();
    for (const name of series) values.set(name, columns.map(() => new Float64Array(days).fill(Number.NaN)));
    const seen = new Set<string>();
    const strangers: string[] = [];
    rows.forEach((row, index) => {
      const at = `${source.path} (${where}), data row ${index + 1}`;
      if (row.day === null) {
        throw new DataError(`${at}: "${String(row.date_text ?? "")}" in column "${date}" is not a date written YYYY-MM-DD.`, "Write each date as YYYY-MM-DD (e.g. 2016-05-23).");
      }
      const parts = keys.map((_, i) => row[`k${i}`]);
      if (parts.some((part) => part === null)) throw new DataError(`${at}: a key column (${keys.join(", ")}) is empty.`, "Give every key column of each row.");
      const name = seriesKeyName(parts.map(String));
      const t = Number(row.day) - firstDay;
      if (t < 0 || t >= days) return;
      if (!wanted.has(name)) {
        if (strangers.length < EXAMPLES && !strangers.includes(name)) strangers.push(name);
        return;
      }
      const cell = `${name}\u0000${t}`;
      if (seen.has(cell)) throw new DataError(`${at}: series "${name}" on ${isoFromEpochDay(firstDay + t)} appears twice.`, "Give each series and day once.");
      seen.add(cell);
      const planned = values.get(name)!;
      columns.forEach(({ column }, i) => {
        const raw = row[`r${i}`];
        if (raw === null || String(raw).trim() === "") return; // an empty cell: reported below as missing
        const value = row[`v${i}`];
        if (value === null || !Number.isFinite(Number(value))) {
          throw new DataError(`${at}: "${String(raw)}" in column "${column}" is not a number.`, "Write plain numbers (e.g. 1, 0.5, 2.24); no separators or units.");
        }
        planned[i][t] = Number(value);
      });
    });
    if (strangers.length > 0) {
      throw new DataError(
        `${source.path} (${where}) plans series the catalogue does not have, e.g. ${strangers.map((s) => `"${s}"`).join(", ")}.`,
        "Use the series keys of the sales file (data.series_key), or drop those rows.",
      );
    }
    let missing = 0;
    const examples: string[] = [];
    for (const [name, planned] of values) {
      planned.forEach((row, i) => {
        row.forEach((value, t) => {
          if (!Number.isNaN(value)) return;
          missing++;
          if (examples.length < EXAMPLES) examples.push(`"${name}" on ${isoFromEpochDay(firstDay + t)} (${columns[i].name})`);
        });
      });
    }
    if (missing > 0) {
      throw new DataError(
        `${source.path} (${where}) leaves ${missing} series × day × covariate value(s) of the forecast days ${isoFromEpochDay(firstDay)} .. ${isoFromEpochDay(firstDay + days - 1)} without a value, e.g. ${examples.join(", ")}.`,
        "Give a row for every series and forecast day with every planned covariate, or drop that covariate's column to keep its last value.",
      );
    }
    return { names: columns.map((c) => c.name), firstDay, days, values };
  } finally {
    source.close();
  }
}
