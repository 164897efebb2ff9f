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
  properties: {
    rmse: { type: ["number", "null"] },
    mae: { type: ["number", "null"] },
    smape: { type: ["number", "null"] },
    mase: { type: ["number", "null"] },
  },
} as const;

/** JSON has no NaN or Infinity: such values go out as null. */
export function finiteOrNull(value: number | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
