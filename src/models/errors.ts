/**
 * Input a statistical model cannot use (too short for the family, non-finite, all zero where
 * the family needs variation, negative where it needs positive data). Anything else thrown
 * from src/models/ is a bug.
 *
 * `message` is complete on its own: what was wrong, then (second line) what the caller can do,
 * like DataError in src/data/errors.ts. `problem` and `hint` hold the two parts separately.
 */
export class ModelInputError extends Error {
  readonly problem: string;

  constructor(
    message: string,
    public readonly hint?: string,
  ) {
    super(hint ? `${message}\n  hint: ${hint}` : message);
    this.name = "ModelInputError";
    this.problem = message;
  }
}
