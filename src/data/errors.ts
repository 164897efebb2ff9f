/**
 * Every data problem a user can cause (wrong path, wrong column name, a bad value in the file,
 * a series too short to train on). Anything else thrown from src/data/ is a bug.
 *
 * `message` is complete on its own: what is wrong, then (second line) how to fix it, so a caller
 * that only prints `message` still tells the user the fix. `problem` and `hint` hold the two
 * parts separately for structured output (API error bodies).
 */
export class DataError extends Error {
  readonly problem: string;

  constructor(
    message: string,
    public readonly hint?: string,
  ) {
    super(hint ? `${message}\n  hint: ${hint}` : message);
    this.name = "DataError";
    this.problem = message;
  }
}

/** Names for a message: quoted, comma-separated, the first `limit` then "and N more". */
export function quotedList(names: readonly string[], limit = 20): string {
  const shown = names.slice(0, limit).map((name) => `"${name}"`).join(", ");
  return names.length > limit ? `${shown} and ${names.length - limit} more` : shown;
}
