// Errors a forecaster caller can cause. Each carries a `code` the HTTP layer maps to a status
// (422 for bad input, 404 for a missing model) without parsing messages.

/** The input cannot be forecast: wrong window length, a value that is not a finite number. */
export class ForecastInputError extends Error {
  constructor(
    message: string,
    readonly code: "invalid_series_length" | "invalid_value" | "invalid_horizon" | "invalid_level" | "invalid_last_date" | "invalid_covariates",
  ) {
    super(message);
    this.name = "ForecastInputError";
  }
}

/** A category with no registered model: names the categories that have one and how to train. */
export class ModelNotFoundError extends Error {
  constructor(
    readonly category: string,
    readonly known: readonly string[],
  ) {
    super(
      `no trained model for category ${JSON.stringify(category)}. ` +
        (known.length > 0 ? `Categories with a model: ${known.join(", ")}. ` : "No category has a model yet. ") +
        `Train it first (salescast train --category NAME, or POST /api/train).`,
    );
    this.name = "ModelNotFoundError";
  }
}

/** The model answered something that is not a finite number: a broken checkpoint, not the caller's fault. */
export class ModelOutputError extends Error {
  constructor(category: string, version: number | undefined) {
    super(
      `the model of ${JSON.stringify(category)}${version === undefined ? "" : ` (version ${version})`} produced a value that is not ` +
        `a finite number; its weights are probably damaged: retrain the category`,
    );
    this.name = "ModelOutputError";
  }
}
