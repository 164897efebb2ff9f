/**
 * Bad input to a model family: a series too short for it, non-finite values, data the
 * family cannot model (all zero, negative where it needs positive values), or options out of
 * range. The message says what was wrong and what the caller can do about it, so a caller that
 * only prints `message` (a CLI, a leaderboard's "skipped because") still tells the user the fix.
 */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelInputError";
  }
}
