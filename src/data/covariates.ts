// Covariate columns (model.features.covariates): values known in advance, such as a promotion
// flag or a planned price, read from the sales file next to the sales and turned into one value
// per period of a series.
//
// Long layout: per category and day, the mean of that category's rows (a promotion column of a
// transaction file is per category). Wide layout: per day, the mean of the rows, the same for
// every series. A weekly period takes the mean of its days. Cells that are empty or not finite
// numbers are left out of the means; a period with no value at all is filled like the sales
// (data.fill: zero or previous). A catalogue (data.series_key) is read per series and day
// instead (keyed-covariates.ts). This file opens DuckDB; covariate-periods.ts is the pure part
// (training threads import only that one).
import { planRead } from "./read-plan.js";
import { DataError } from "./errors.js";
import { openSource, resolveColumn, unreadableFile } from "./source.js";
import { amountOf, categoryText, dateKeyOf, epochDayOf, isNumber, rawText } from "./sql.js";
import type { CovariateData } from "./covariate-periods.js";
import { loadKeyedCovariates } from "./keyed-covariates.js";
import type { DataSettings } from "./types.js";

export { covariatePeriods, ALL_SERIES, type CovariateData } from "./covariate-periods.js";

/** Reads the covariate columns of the configured file; a column that is missing names the columns there are. */
export async function loadCovariates(settings: DataSettings, names: readonly string[]): Promise<CovariateData> {
  // A catalogue: per series and day, in a compact matrix (keyed-covariates.ts).
  if ((settings.series_key ?? []).length > 0) return loadKeyedCovariates(settings, names);
  const source = await openSource(settings.csv_path);
  try {
    const columns = names.map((name) => resolveColumn(source, name, "model.features.covariates"));
    const plan = await planRead(source, settings);
    if (plan.layout === "wide") {
      const clash = columns.filter((column) => plan.seriesColumns.includes(column));
      if (clash.length > 0) {
        throw new DataError(
          `Covariate column${clash.length > 1 ? "s" : ""} ${clash.map((c) => `"${c}"`).join(", ")} would also be read as a series (data.layout wide).`,
          "List the sales series in data.series_columns without the covariate columns.",
        );
      }
    }
    const day = epochDayOf(dateKeyOf(rawText(plan.dateColumn)));
    // Per category like the sales (NFC, see categoryText); one shared set for a wide file or a long one without categories.
    const category = plan.layout === "long" && plan.categoryColumn !== null ? categoryText(rawText(plan.categoryColumn)) : `''`;
    const means = columns.map((column, i) => {
      const amount = amountOf(rawText(column));
      return `avg(${amount}) FILTER (WHERE ${isNumber(amount)}) AS c${i}, count(*) FILTER (WHERE ${isNumber(amount)})::DOUBLE AS n${i}`;
    });
    const sql = `SELECT ${category} AS category, ${day} AS day, ${means.join(", ")} FROM ${source.relation} GROUP BY ALL ORDER BY category, day`;
    let rows: Record<string, unknown>[];
    try {
      rows = (await source.connection.runAndReadAll(sql)).getRowObjectsJS();
    } catch (error) {
      throw unreadableFile(source.path, source.kind, error);
    }
    const counts = columns.map((_, i) => rows.reduce((sum, row) => sum + Number(row[`n${i}`]), 0));
    const empty = columns.filter((_, i) => counts[i] === 0);
    if (empty.length > 0) {
      throw new DataError(
        `Covariate column${empty.length > 1 ? "s" : ""} ${empty.map((c) => `"${c}"`).join(", ")} of ${source.path} ${empty.length > 1 ? "have" : "has"} no numeric values.`,
        "Covariates are numbers known in advance (e.g. a 0/1 promotion flag): fix the column or remove it from model.features.covariates.",
      );
    }
    const byCategory: CovariateData["byCategory"] = {};
    for (const row of rows) {
      if (row.day === null || row.category === null) continue;
      const key = String(row.category);
      const entry = (byCategory[key] ??= { days: [], values: [] });
      entry.days.push(Number(row.day));
      entry.values.push(columns.map((_, i) => (row[`c${i}`] === null ? Number.NaN : Number(row[`c${i}`]))));
    }
    return { names: [...names], byCategory };
  } finally {
    source.close();
  }
}

