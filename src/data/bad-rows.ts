// Turning "the aggregate counted bad rows" into an error that names the first bad row and its
// value. This second scan only runs when the first one found a problem, so clean files pay
// nothing for it; it stops at the first offending row.

import type { DailyAggregate } from "./aggregate.js";
import { DataError, quotedList } from "./errors.js";
import type { ReadPlan } from "./read-plan.js";
import { numberedRowsSql, rowLocation } from "./row-search.js";
import type { DataSource } from "./source.js";
import { amountOf, cleanText, epochDayOf, isNumber } from "./sql.js";

const DATE_HINT = "Dates must be ISO YYYY-MM-DD, optionally with a time (2023-01-05 or 2023-01-05 14:30:00); fix or remove the row.";
const NUMBER_HINT = "Values must be plain numbers such as 1234.5 (no thousands separators, currency signs, inf or nan); fix or remove the row.";

/** True when the layout allows empty value cells (wide: a missing reading, filled per data.fill). */
function emptyValuesAllowed(plan: ReadPlan): boolean {
  return plan.layout === "wide";
}

/** True when some row needs naming: a bad date, value or category, or a total that is not finite. */
export function hasBadRows(plan: ReadPlan, aggregate: DailyAggregate): boolean {
  return (
    aggregate.badDateRows > 0 ||
    aggregate.badValueCells > 0 ||
    aggregate.emptyCategoryRows > 0 ||
    (!emptyValuesAllowed(plan) && aggregate.emptyValueCells > 0)
  );
}

/**
 * Throws a DataError for the first bad row when the aggregate counted any. A total that is not
 * finite without any bad cell is a sum that overflowed: that is left to rejectOverflow (overflow.ts).
 */
export async function rejectBadRows(source: DataSource, plan: ReadPlan, aggregate: DailyAggregate): Promise<void> {
  if (!hasBadRows(plan, aggregate)) return;

  // The SQL flags say which cell is bad, so the rules live in one place (sql.ts).
  const flags =
    plan.layout === "long"
      ? [`${cleanText("category_raw")} IS NULL AS no_category`, `NOT ${isNumber(amountOf("amount_text"))} AS bad_value`]
      : plan.seriesColumns.map((_, i) => `(v${i} IS NOT NULL AND NOT ${isNumber(amountOf(`v${i}`))}) AS bad_v${i}`);
  const condition =
    plan.layout === "long"
      ? "bad_date OR no_category OR bad_value"
      : ["bad_date", ...plan.seriesColumns.map((_, i) => `bad_v${i}`)].join(" OR ");
  // The date text itself is read again (date_text) so the message shows it as written.
  const sql = `
    SELECT * FROM (SELECT *, ${epochDayOf("date_key")} IS NULL AS bad_date, ${flags.join(", ")} FROM (${numberedRowsSql(source, plan)}))
    WHERE ${condition} LIMIT 1`;
  const found = (await source.connection.runAndReadAll(sql)).getRowObjectsJS()[0];
  if (found) throw describeBadRow(source, plan, aggregate, found);
  if (aggregate.nonFiniteGroups === 0) {
    throw new Error("bug: the aggregate counted bad rows but the row search found none");
  }
}

function describeBadRow(
  source: DataSource,
  plan: ReadPlan,
  aggregate: DailyAggregate,
  row: Record<string, unknown>,
): DataError {
  const where = rowLocation(source, Number(row.rn));
  const more = (count: number, what: string) => (count > 1 ? ` ${count} rows have ${what}; this is the first.` : "");
  const dateText = row.date_text as string | null;

  if (row.bad_date) {
    const column = plan.dateColumn;
    const allBad = aggregate.badDateRows === aggregate.rows && aggregate.rows > 1;
    const hint = allBad
      ? `No row of column "${column}" holds a date: is data.date_column the right column? ${DATE_HINT}`
      : DATE_HINT;
    const problem =
      dateText === null
        ? `${where} has no date in column "${column}".`
        : `${where}: "${dateText}" in column "${column}" is not a date (expected YYYY-MM-DD).`;
    return new DataError(problem + more(aggregate.badDateRows, "a missing or invalid date"), hint);
  }

  if (plan.layout === "long") {
    if (row.no_category) {
      return new DataError(
        `${where} has no category in column "${plan.categoryColumn}".` + more(aggregate.emptyCategoryRows, "no category"),
        "Fill in the category or remove the row.",
      );
    }
    return badValue(where, plan.valueColumn, row.amount_text as string | null, aggregate, more);
  }

  const index = plan.seriesColumns.findIndex((_, i) => row[`bad_v${i}`] === true);
  const column = plan.seriesColumns[index];
  const error = badValue(where, column, row[`v${index}`] as string, aggregate, more);
  if (!plan.detection) return error;
  // The column was taken as a series by detection, not by the user: it may not be one at all.
  const taken = quotedList(plan.detection.series);
  return new DataError(
    error.problem,
    `${error.hint} Or, if "${column}" is not a sales series, list the series in data.series_columns ` +
      `(data.series_columns is [], so every mostly numeric column was taken: ${taken}).`,
  );
}

function badValue(
  where: string,
  column: string,
  text: string | null,
  aggregate: DailyAggregate,
  more: (count: number, what: string) => string,
): DataError {
  if (text === null) {
    return new DataError(
      `${where} has no value in column "${column}".` + more(aggregate.emptyValueCells, "no value"),
      "Every transaction needs an amount: enter 0 or remove the row. " +
        "(In the wide layout an empty cell means no reading that day and is filled per data.fill.)",
    );
  }
  return new DataError(
    `${where}: "${text}" in column "${column}" is not a number.` + more(aggregate.badValueCells, "a value that is not a number"),
    NUMBER_HINT,
  );
}
