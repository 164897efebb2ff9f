// "Is this series long enough to train on?" Kept apart from loadSales so that training all
// categories can skip the short ones and still train the rest.

import { DataError } from "./errors.js";
import type { SalesData } from "./types.js";

export interface LengthProblem {
  category: string;
  periods: number;
  needed: number;
  /** Ready to throw when the caller cannot skip the category. */
  error: DataError;
}

/**
 * window_size inputs + 1 target make one training window; one more period is the least a
 * validation split can hold. Fewer than window_size + 2 periods cannot train at all.
 */
export function minimumPeriods(windowSize: number): number {
  return windowSize + 2;
}

/** One entry per category too short for `windowSize`; [] when every category is fine. */
export function checkLongEnough(data: SalesData, windowSize: number): LengthProblem[] {
  const needed = minimumPeriods(windowSize);
  const unit = data.frequency === "W" ? "weekly" : "daily";
  return data.series
    .filter((series) => series.values.length < needed)
    .map(({ category, values }) => ({
      category,
      periods: values.length,
      needed,
      error: new DataError(
        `Category "${category}" has ${values.length} ${unit} periods; window_size ${windowSize} needs at least ${needed} ` +
          `(${windowSize} inputs + 1 target + 1 for validation).`,
        "Lower data.window_size, provide more history, or leave the category out of data.available_categories.",
      ),
    }));
}
