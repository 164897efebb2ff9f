// Schema pieces shared by several route groups.

/** Error answers for the given statuses, all the shared ErrorBody. */
export function errorResponses(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries(statuses.map((status) => [status, { $ref: "ErrorBody#" }]));
}

export const categoryParam = {
  type: "object",
  required: ["category"],
  additionalProperties: false,
  properties: {
    category: { type: "string", minLength: 1, maxLength: 200, description: "A category name exactly as in the data (case-sensitive)" },
  },
} as const;

/** Forecast accuracy in sales units; null where undefined (MASE on a flat training part). */
export const metricsSchema = {
  type: "object",
  required: ["rmse", "mae", "smape", "mase"],
  properties: {
    rmse: { type: ["number", "null"] },
    mae: { type: ["number", "null"] },
    smape: { type: ["number", "null"] },
    mase: { type: ["number", "null"] },
  },
} as const;

/**
 * Statuses the framework answers before a route runs; docs.ts adds them to the document:
 * body parsing (400, 413, 415), the router's path parameter cap (414), schema validation of
 * any parameter or body (422).
 */
export const FRAMEWORK_ANSWERS = { body: [400, 413, 415, 422], path: [414, 422], query: [422] } as const;

/**
 * Route schema flag: the body may be left out (the route treats no body as {}). The OpenAPI
 * document then says requestBody.required = false.
 */
export const OPTIONAL_BODY = "x-optional-body";
