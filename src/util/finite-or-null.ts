// JSON has no NaN or Infinity (JSON.stringify writes them as null without a word): every JSON
// output says so on purpose, through this one function.

/** The number when it is finite, else null. */
export function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
