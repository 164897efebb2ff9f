// The request mix of the soak: valid forecasts for the categories in turn, and a fixed share of
// the bad requests a real client sends, each with the status and error code docs/api.md
// promises for it. The mix is a fixed cycle (not random) so every run sends the same requests.

export const CATEGORIES = ["Beauty", "Clothing", "Electronics"] as const;

/** What went wrong on purpose (or "valid"). */
export type RequestKind = "valid" | "bad_window" | "unknown_category" | "wrong_type" | "malformed_json" | "too_long";

export interface SoakRequest {
  kind: RequestKind;
  /** Category the request asks for ("Toys" for unknown_category). */
  category: string;
  path: string;
  body: Buffer;
  status: number;
  /** The "error" field of the documented error body; undefined for valid requests. */
  errorCode?: string;
}

/** Bodies larger than this are refused with 413; the soak server is started with it (app.body_limit). */
export const SOAK_BODY_LIMIT = 16 * 1024;

const WINDOW = [120, 135, 98, 110, 160, 72, 60, 118, 140, 95, 112, 158, 70, 61];

function request(kind: RequestKind, category: string, body: string, status: number, errorCode?: string): SoakRequest {
  return { kind, category, path: `/api/predict/${encodeURIComponent(category)}`, body: Buffer.from(body), status, errorCode };
}

/** Three shapes of valid request (one window, a horizon, intervals), so more than one code path runs. */
function validRequests(category: string): SoakRequest[] {
  return [
    request("valid", category, JSON.stringify({ series: WINDOW }), 200),
    request("valid", category, JSON.stringify({ series: WINDOW.map((v) => v * 1.1), horizon: 7 }), 200),
    request("valid", category, JSON.stringify({ series: WINDOW.map((v) => v * 0.9), level: [80, 95] }), 200),
  ];
}

function invalidRequests(category: string): SoakRequest[] {
  const tooLong = JSON.stringify({ series: Array.from({ length: SOAK_BODY_LIMIT / 4 }, (_, i) => 100 + (i % 50)) });
  return [
    request("bad_window", category, JSON.stringify({ series: WINDOW.slice(0, 3) }), 422, "invalid_series_length"),
    request("unknown_category", "Toys", JSON.stringify({ series: WINDOW }), 404, "model_not_found"),
    request("wrong_type", category, JSON.stringify({ series: WINDOW.map((v, i) => (i === 1 ? String(v) : v)) }), 422, "validation_error"),
    request("malformed_json", category, '{"series": [120, 135,', 400, "invalid_json"),
    request("too_long", category, tooLong, 413, "payload_too_large"),
  ];
}

/**
 * The cycle the load walks through: 25 requests, 20 valid (80%) and one of each of the five
 * invalid kinds (20%), the categories taken in turn. Invalid requests are spread through the
 * cycle rather than bunched.
 */
export function requestCycle(): SoakRequest[] {
  const cycle: SoakRequest[] = [];
  let invalidIndex = 0;
  for (let i = 0; i < 25; i++) {
    const category = CATEGORIES[i % CATEGORIES.length];
    if (i % 5 === 4) cycle.push(invalidRequests(category)[invalidIndex++]);
    else cycle.push(validRequests(category)[i % 3]);
  }
  return cycle;
}

/** The valid requests only (the connection-churn mode, where any failure must be the network's). */
export function validCycle(): SoakRequest[] {
  return CATEGORIES.flatMap((category) => validRequests(category));
}

/** Why the answer is not the documented one, or undefined when it is. */
export function answerProblem(sent: SoakRequest, status: number, body: string): string | undefined {
  if (status !== sent.status) return `status ${status} (expected ${sent.status})`;
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return `status ${status} with a body that is not JSON`;
  }
  if (sent.errorCode === undefined) return typeof parsed.predicted_sales === "number" ? undefined : "200 without a numeric predicted_sales";
  return parsed.error === sent.errorCode ? undefined : `error code ${JSON.stringify(parsed.error)} (expected ${sent.errorCode})`;
}
