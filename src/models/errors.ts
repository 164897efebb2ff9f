/**
 * A series a model family cannot fit as given: too short, not finite, constant or all zero
 * where the family needs variation, negative where it needs positive data. The message says
 * what was wrong and what the caller can do (skip the model, give more history, use another
 * family), so a tournament can record it as the reason a candidate was skipped.
 */
export class ModelInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelInputError";
  }
}
