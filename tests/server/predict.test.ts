import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { commitModel, createWorkspace, sampleWindow, testApp, WINDOW, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: FastifyInstance;
let beauty: SalesForecaster;
let clothing: SalesForecaster;

beforeAll(async () => {
  ws = await createWorkspace();
  beauty = await SalesForecaster.fromRegistered(await commitModel(ws.registry, "Beauty", { seed: 1 }));
  clothing = await SalesForecaster.fromRegistered(await commitModel(ws.registry, "Clothing", { seed: 2, normalization: { mean: 200, std: 50 } }));
  app = await testApp(ws, { bodyLimit: 64 * 1024 });
});
afterAll(async () => {
  await app.close();
  await ws.cleanup();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: "POST",
    url,
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    headers: { "content-type": "application/json", ...headers },
  });

function expectError(response: Awaited<ReturnType<typeof post>>, status: number, code: string, message?: RegExp | string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = response.json();
  expect(Object.keys(body).sort()).toEqual(["error", "message"]);
  expect(body.error).toBe(code);
  if (message !== undefined) expect(body.message).toMatch(message);
}

describe("POST /api/predict (the reference contract)", () => {
  it("answers {predicted_sales} from the default category's model", async () => {
    const series = sampleWindow();
    const response = await post("/api/predict", { series });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ predicted_sales: expect.any(Number) });
    expect(response.json().predicted_sales).toBeCloseTo(beauty.forecast(series), 4);
    expect(response.headers["x-model-version"]).toBe("1");
  });

  it("uses the category's own model on /api/predict/{category}", async () => {
    const series = sampleWindow();
    const response = await post("/api/predict/Clothing", { series });
    expect(response.statusCode).toBe(200);
    expect(response.json().predicted_sales).toBeCloseTo(clothing.forecast(series), 4);
    expect(response.json().predicted_sales).not.toBeCloseTo(beauty.forecast(series), 2);
  });

  it("answers 422 'Series must contain exactly N values' for a wrong length, N from the model", async () => {
    for (const length of [0, 1, WINDOW - 1, WINDOW + 1, 100]) {
      const response = await post("/api/predict", { series: sampleWindow(length) });
      expectError(response, 422, "invalid_series_length", `Series must contain exactly ${WINDOW} values, got ${length}`);
    }
  });

  it("takes N from the category's model, not a constant", async () => {
    await commitModel(ws.registry, "Weekly", { windowSize: 8 });
    expectError(await post("/api/predict/Weekly", { series: sampleWindow(WINDOW) }), 422, "invalid_series_length", /exactly 8 values, got 14/);
    expect((await post("/api/predict/Weekly", { series: sampleWindow(8) })).statusCode).toBe(200);
  });
});

describe("POST /api/predict additions", () => {
  it("adds the recursive forecast when horizon is given", async () => {
    const series = sampleWindow();
    const response = await post("/api/predict", { series, horizon: 5 });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.forecast).toHaveLength(5);
    expect(body.predicted_sales).toBe(body.forecast[0]);
    beauty.forecast(series, { horizon: 5 }).forEach((v, i) => expect(body.forecast[i]).toBeCloseTo(v, 3));
  });

  it("answers a batch of instances in one call", async () => {
    const instances = [sampleWindow(WINDOW, 90), sampleWindow(WINDOW, 150)];
    const response = await post("/api/predict", { instances });
    expect(response.statusCode).toBe(200);
    const { predictions } = response.json();
    expect(predictions).toHaveLength(2);
    instances.forEach((w, i) => expect(predictions[i]).toBeCloseTo(beauty.forecast(w), 4));

    const withHorizon = (await post("/api/predict", { instances, horizon: 3 })).json();
    expect(withHorizon.forecasts).toHaveLength(2);
    expect(withHorizon.forecasts[1]).toHaveLength(3);
    expect(withHorizon.predictions[1]).toBe(withHorizon.forecasts[1][0]);
  });

  it("names the instance whose length is wrong", async () => {
    expectError(
      await post("/api/predict", { instances: [sampleWindow(), sampleWindow(3)] }),
      422,
      "invalid_series_length",
      /^instances\[1\]: Series must contain exactly 14 values, got 3/,
    );
  });
});

describe("POST /api/predict bad input", () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ["a string among the numbers", { series: [...sampleWindow(13), "12"] }, /body\.series\[13\] must be a number \(got "12"\)/],
    ["null among the numbers", { series: [null, ...sampleWindow(13)] }, /body\.series\[0\] must be a number \(got null\)/],
    ["a nested array", { series: [[1, 2], ...sampleWindow(13)] }, /body\.series\[0\] must be a number \(got an array of 2\)/],
    ["an object in the series", { series: [{ v: 1 }, ...sampleWindow(13)] }, /body\.series\[0\] must be a number \(got an object\)/],
    ["an object for series", { series: { a: 1 } }, /body\.series must be an array/],
    ["a number for series", { series: 5 }, /body\.series must be an array/],
    ["an unknown field", { series: sampleWindow(), extra: 1 }, /unknown field "extra"; allowed fields: series, instances, horizon, level/],
    ["a missing series", {}, /missing the required field "series"/],
    ["both series and instances", { series: sampleWindow(), instances: [sampleWindow()] }, /both "series" and "instances"/],
    ["an empty instances list", { instances: [] }, /body\.instances must NOT have fewer than 1 items/],
    ["junk inside instances", { instances: [[1, "x"]] }, /body\.instances\[0\]\[1\] must be a number/],
    ["a horizon of 0", { series: sampleWindow(), horizon: 0 }, /body\.horizon must be >= 1/],
    ["a horizon over 365", { series: sampleWindow(), horizon: 366 }, /body\.horizon must be <= 365/],
    ["a fractional horizon", { series: sampleWindow(), horizon: 2.5 }, /body\.horizon must be an integer/],
    ["a string horizon", { series: sampleWindow(), horizon: "3" }, /body\.horizon must be an integer \(got "3"\)/],
    ["an array body", [1, 2, 3], /^body must be an object/],
    ["a null body", null, /^body must be an object/],
  ];
  for (const [name, body, message] of cases) {
    it(`answers 422 naming the field for ${name}`, async () => {
      expectError(await post("/api/predict", body), 422, "validation_error", message);
    });
  }

  it("refuses numbers outside what JSON allows (1e999 parses as Infinity)", async () => {
    const text = `{"series":[${sampleWindow(13).join(",")},1e999]}`;
    expectError(await post("/api/predict", text), 422, "validation_error", /^body\.series\[13\] is out of range: .*not finite/);
  });

  it("answers 422, not a failure, for a value nested 30,000 arrays deep", async () => {
    const depth = 30_000;
    const text = `{"series":${"[".repeat(depth)}1${"]".repeat(depth)}}`;
    expectError(await post("/api/predict", text), 422, "validation_error", /body\.series\[0\] must be a number \(got an array of 1\)/);
  });

  it("refuses values far outside the model's scale", async () => {
    expectError(await post("/api/predict", { series: [...sampleWindow(13), 1e300] }), 422, "invalid_value", /series\[13\] = 1e\+300 is too far/);
  });

  it("answers 400 for an empty body and for malformed JSON", async () => {
    expectError(await post("/api/predict", ""), 400, "empty_body");
    expectError(await post("/api/predict", '{"series": [1, 2'), 400, "invalid_json");
  });

  it("answers 400 for a body trying prototype pollution", async () => {
    const response = await post("/api/predict", '{"series": [1], "__proto__": {"polluted": true}}');
    expect(response.statusCode).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers 415 for a body that is not JSON", async () => {
    expectError(await post("/api/predict", "series=1,2,3", { "content-type": "text/plain" }), 415, "unsupported_media_type", /application\/json/);
    expectError(await post("/api/predict", "series=1", { "content-type": "application/x-www-form-urlencoded" }), 415, "unsupported_media_type");
  });

  it("answers 422 when no body is sent at all", async () => {
    const response = await app.inject({ method: "POST", url: "/api/predict" });
    expectError(response, 422, "validation_error", /^body must be an object/);
  });

  it("answers 413 for a body over the limit, naming the limit", async () => {
    const instances = Array.from({ length: 600 }, () => sampleWindow());
    expectError(await post("/api/predict", { instances }), 413, "payload_too_large", /limit of 65536 bytes/);
  });

  it("answers 404 naming the categories with a model for an unknown category", async () => {
    expectError(await post("/api/predict/Toys", { series: sampleWindow() }), 404, "model_not_found", /Categories with a model: Beauty, Clothing, Weekly/);
  });

  it("never lets a category name reach the file system", async () => {
    for (const name of ["..", "..%2F..%2Fetc%2Fpasswd", "%2E%2E", "Beauty%00", "Beauty%2F..%2F..", "%2Fetc%2Fpasswd", "beauty"]) {
      const response = await post(`/api/predict/${name}`, { series: sampleWindow() });
      expect(response.statusCode, name).toBe(404);
      expect(response.json().error).toMatch(/model_not_found|route_not_found/);
    }
  });

  it("answers a JSON 404 for unknown routes and 405 for wrong methods", async () => {
    expectError(await app.inject({ method: "GET", url: "/api/nothing" }), 404, "route_not_found", /GET \/api\/nothing/);
    // A path that exists with another method: 405 naming the allowed ones (fuzz finding, see fuzz-regressions.test.ts).
    expectError(await app.inject({ method: "GET", url: "/api/predict" }), 405, "method_not_allowed", /use POST/);
  });

  it("keeps answering after all of the above", async () => {
    expect((await post("/api/predict", { series: sampleWindow() })).statusCode).toBe(200);
  });
});
