// A file of covariate values for a forecast (`salescast predict --covariates plan.csv`): a date
// column (data.date_column) and one column per covariate the model reads, one row per date, e.g.
//
//   Date,Holiday_Flag,Price
//   2024-01-01,1,9.99
//   2024-01-02,0,9.99
//
// Read with DuckDB like the sales file, with the same strict rules: dates written YYYY-MM-DD,
// numbers without separators; a bad cell is refused with its row and column, and a date given
// twice is refused (which value would count?).
import { DataError } from "./errors.js";
import { openSource, resolveColumn, unreadableFile } from "./source.js";
import { amountOf, dateKeyOf, epochDayOf, rawText } from "./sql.js";

/** Values by epoch day, in the order of `names`. */
export type CovariateTable = Map<number, number[]>;

export async function readCovariateFile(path: string, dateColumn: string, names: readonly string[]): Promise<CovariateTable> {
  const source = await openSource(path);
  try {
    const date = resolveColumn(source, dateColumn, "data.date_column", " (the covariate file's date column has the sales file's name)");
    const columns = names.map((name) => resolveColumn(source, name, "--covariates", ` (the file needs a column for each covariate the model reads: ${names.join(", ")})`));
    const cells = columns.map((column, i) => `${rawText(column)} AS r${i}, ${amountOf(rawText(column))} AS v${i}`);
    const sql = `SELECT ${rawText(date)} AS date_text, ${epochDayOf(dateKeyOf(rawText(date)))} AS day, ${cells.join(", ")} FROM ${source.relation}`;
    let rows: Record<string, unknown>[];
    try {
      rows = (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
    } catch (error) {
      throw unreadableFile(source.path, source.kind, error);
    }
    const table: CovariateTable = new Map();
    rows.forEach((row, index) => {
      const where = `${source.path}, data row ${index + 1}`;
      if (row.day === null) {
        throw new DataError(`${where}: "${String(row.date_text ?? "")}" in column "${date}" is not a date written YYYY-MM-DD.`, "Write each date as YYYY-MM-DD (e.g. 2024-01-31).");
      }
      const day = Number(row.day);
      if (table.has(day)) throw new DataError(`${where}: the date ${String(row.date_text).trim()} appears twice.`, "Give each date once.");
      table.set(
        day,
        columns.map((column, i) => {
          const value = row[`v${i}`];
          if (value === null || !Number.isFinite(Number(value))) {
            throw new DataError(`${where}: "${String(row[`r${i}`] ?? "")}" in column "${column}" is not a number.`, "Write plain numbers (e.g. 1, 0.5, 1200); no separators or units.");
          }
          return Number(value);
        }),
      );
    });
    return table;
  } finally {
    source.close();
  }
}
