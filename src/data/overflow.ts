// Amounts too large to compute with. Every amount may be a finite number while their sum is not:
// two rows of 1e308 on one day sum to infinity, and spread over days the totals stay finite but
// the normalisation (a mean and a standard deviation, i.e. a sum of squares) does not, so the
// training would fail far from the cause. Refused here with the row holding the largest amount.
//
// The rule, per series: the sum of the squares of its period totals must be a finite float64
// (below about 1.8e308). That bounds everything computed from the series afterwards (totals,
// means, deviations, errors); it holds for any amount below about 1e150.

import { DataError } from "./errors.js";
import { seriesName, type ReadPlan } from "./read-plan.js";
import { rowLocation, seriesRowsSql } from "./row-search.js";
import type { DataSource } from "./source.js";
import { amountOf } from "./sql.js";
import type { CategorySeries } from "./types.js";

/** True when the period totals, squared and summed, stay finite. */
export function computableValues(values: ArrayLike<number>): boolean {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += values[i] * values[i];
  return Number.isFinite(squares);
}

/** Throws a DataError for the first series whose totals overflow, naming its row with the largest amount. */
export async function rejectOverflow(source: DataSource, plan: ReadPlan, series: readonly CategorySeries[]): Promise<void> {
  const bad = series.find((s) => !computableValues(s.values));
  if (!bad) return;
  const rows = seriesRowsSql(source, plan, bad.category);
  const sql = rows && `SELECT rn, amount_text FROM (${rows}) ORDER BY abs(${amountOf("amount_text")}) DESC NULLS LAST, rn LIMIT 1`;
  const found = sql ? (await source.connection.runAndReadAll(sql)).getRowObjectsJS()[0] : undefined;
  if (!found) throw new Error(`bug: the totals of ${JSON.stringify(bad.category)} overflow but its row search found none`);
  const column = plan.layout === "long" ? plan.valueColumn : (plan.seriesColumns.find((c) => seriesName(c) === bad.category) ?? bad.category);
  const what = Number.isFinite(bad.total) ? "the sum of the squares of its totals (needed to normalise them)" : "its total";
  throw new DataError(
    `${rowLocation(source, Number(found.rn))}: "${String(found.amount_text)}" in column "${column}" is the largest amount of ` +
      `"${bad.category}", whose amounts are too large to compute with: ${what} exceeds the largest number (about 1.8e308).`,
    "Amounts must be below about 1e150; such a value is almost always a typo or a unit error: fix or remove the row.",
  );
}
