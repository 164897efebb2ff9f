// One test per finding of the API fuzzer (npm run test:fuzz: schemathesis against a real server,
// from the OpenAPI document). They run through app.inject(), with no Python, so `npm test`
// keeps each fix in place. Each test name starts with the schemathesis check that found it.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrainingRunner } from "../../src/server/index.js";
import { MAX_PATH_PARAM_LENGTH } from "../../src/server/app.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import { commitModel, createWorkspace, testApp, type Workspace } from "./helpers.js";

/** Training that never starts: these tests only look at what is refused before a job exists. */
const noTraining: TrainingRunner = async () => {
  throw new Error("no training in the fuzz regression tests");
};

let ws: Workspace;
let app: FastifyInstance;
let runId: string;
let doc: any;

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
  const store = openTrackingStore(ws.config.tracking.uri);
  runId = await store.createRun(await store.getOrCreateExperiment("fuzz"), "fuzz-run", { item_id: "Beauty" });
  await store.logMetrics(runId, [{ key: "val_loss", value: 0.5, step: 1, timestamp: 1 }]);
  app = await testApp(ws, { trainingRunner: noTraining });
  doc = (await app.inject("/docs/json")).json();
});
afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
});

/** An answer in the API's error format with the given status and code. */
function expectErrorBody(response: Awaited<ReturnType<FastifyInstance["inject"]>>, status: number, code: string): { error: string; message: string } {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  const body = response.json();
  expect(Object.keys(body).sort()).toEqual(["error", "message"]);
  expect(body.error).toBe(code);
  return body;
}

const operation = (path: string, method: string) => doc.paths[path][method];

describe("fuzz findings: the OpenAPI document", () => {
  it("schema error: the document is OpenAPI 3.1, where the numeric exclusiveMinimum of predict's level items is valid", () => {
    expect(doc.openapi).toBe("3.1.0");
    const level = operation("/api/predict", "post").requestBody.content["application/json"].schema.properties.level;
    expect(level.items).toMatchObject({ type: "number", exclusiveMinimum: 0, exclusiveMaximum: 100 });
  });

  it("ST103 undocumented 400/413/415/422: every operation with a body documents the body parser's answers", () => {
    const withBody = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) =>
      Object.entries(ops)
        .filter(([, op]: [string, any]) => op.requestBody)
        .map(([method, op]: [string, any]) => ({ label: `${method} ${path}`, op })),
    );
    expect(withBody.map((o) => o.label).sort()).toEqual([
      "post /api/actuals/{category}",
      "post /api/predict",
      "post /api/predict/{category}",
      "post /api/train",
      "post /api/train_all",
    ]);
    for (const { label, op } of withBody) {
      for (const status of ["400", "413", "415", "422"]) {
        expect(op.responses[status]?.content?.["application/json"]?.schema, `${label} ${status}`).toEqual({ $ref: "#/components/schemas/ErrorBody" });
      }
    }
  });

  it("ST103 undocumented 414/422: every operation with a path parameter documents them", () => {
    for (const [path, ops] of Object.entries(doc.paths) as [string, any][]) {
      for (const [method, op] of Object.entries(ops) as [string, any][]) {
        if (!op.parameters?.some((p: { in: string }) => p.in === "path")) continue;
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(["414", "422"]));
      }
    }
  });

  it("ST201 missing body accepted: POST /api/train_all documents its body as optional, and a bodiless request is accepted", async () => {
    expect(operation("/api/train_all", "post").requestBody.required).toBe(false);
    expect(operation("/api/train", "post").requestBody.required).toBe(true);
    expect(JSON.stringify(doc)).not.toContain("x-optional-body");
    const response = await app.inject({ method: "POST", url: "/api/train_all" });
    expect(response.statusCode, response.body).toBe(202);
  });

  it("ST201 schema-violating request accepted: POST /api/train_all refuses a JSON null body (no body at all stays accepted)", async () => {
    const response = await app.inject({ method: "POST", url: "/api/train_all?wait=true", headers: { "content-type": "application/json" }, payload: "null" });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json()).toMatchObject({ error: "validation_error", message: expect.stringContaining("body") });
  });

  it("ST105 undocumented Content-Type: /metrics is documented as Prometheus text and answers it", async () => {
    expect(Object.keys(operation("/metrics", "get").responses["200"].content)).toEqual(["text/plain; version=0.0.4; charset=utf-8"]);
    const response = await app.inject("/metrics");
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.body).toMatch(/^# HELP /);
  });

  it("ST105/ST108 event stream: /api/jobs/{id}/events is documented as text/event-stream events {event, data}", () => {
    const schema = operation("/api/jobs/{id}/events", "get").responses["200"].content["text/event-stream"].schema;
    expect(schema).toMatchObject({ type: "object", required: ["event", "data"] });
    expect(schema.properties.event.enum).toEqual(["snapshot", "progress", "result", "state", "end"]);
  });

  it("warning 'schema validation mismatch': predict carries a valid example request, so the fuzzer reaches a 200", async () => {
    for (const [path, url] of [
      ["/api/predict", "/api/predict"],
      ["/api/predict/{category}", "/api/predict/Beauty"],
    ]) {
      const example = operation(path, "post").requestBody.content["application/json"].example;
      expect(example.series).toHaveLength(ws.config.data.window_size);
      const response = await app.inject({ method: "POST", url, payload: example });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().predicted_sales).toBeTypeOf("number");
    }
  });

  it("ST103 artifact answers: the artifact route documents its files by content type, and 422", () => {
    const responses = operation("/api/runs/{id}/artifacts/{*}", "get").responses;
    expect(Object.keys(responses["200"].content)).toEqual(expect.arrayContaining(["image/png", "application/octet-stream"]));
    expect(responses["422"]).toBeDefined();
  });
});

describe("fuzz findings: answers", () => {
  it("ST201/ST103 path parameter over the router's 100 characters: the schema's 422, in the API's error format (was Fastify's own 414)", async () => {
    const long = "x".repeat(201);
    for (const url of [`/api/jobs/${long}`, `/api/models/${long}`, `/api/series/${long}/latest`, `/api/series/${"é".repeat(201)}`]) {
      const body = expectErrorBody(await app.inject(url), 422, "validation_error");
      expect(body.message).toMatch(/params\.(id|category) must NOT have more than \d+ characters/);
    }
  });

  it("ST103 a path parameter beyond the router's cap answers 414 in the API's error format", async () => {
    const body = expectErrorBody(await app.inject(`/api/models/${"x".repeat(MAX_PATH_PARAM_LENGTH + 1)}`), 414, "uri_too_long");
    expect(body.message).toMatch(/path parameter .* too long/);
  });

  it("router refusal: a badly percent-encoded path parameter answers 400 in the API's error format", async () => {
    const body = expectErrorBody(await app.inject("/api/models/%E0%A4%A"), 400, "bad_url");
    expect(body.message).toMatch(/percent-encoded/);
  });

  it("ST204 undeclared method: 405 with an Allow header naming the path's methods, not 404 or 400", async () => {
    const cases: Array<[string, string, string]> = [
      ["TRACE", "/api/health", "GET, HEAD"],
      ["DELETE", "/api/categories", "GET, HEAD"],
      ["PUT", "/api/predict", "POST"],
      ["GET", "/api/predict/Beauty", "POST"],
      ["TRACE", "/metrics", "GET, HEAD"],
      ["PATCH", "/api/train_all", "POST"],
    ];
    for (const [method, url, allow] of cases) {
      const response = await app.inject({ method: method as "GET", url });
      const body = expectErrorBody(response, 405, "method_not_allowed");
      expect(response.headers.allow, `${method} ${url}`).toBe(allow);
      expect(body.message).toContain(`use ${allow}`);
    }
    // QUERY needs a Content-Type, but the method is refused first.
    const query = await app.inject({ method: "QUERY" as "GET", url: "/api/jobs/some-id" });
    expectErrorBody(query, 405, "method_not_allowed");
    expect(query.headers.allow).toBe("GET, HEAD");
  });

  it("ST204 the 405 routes change nothing else: declared methods answer, unknown paths stay 404, HEAD works", async () => {
    expect((await app.inject("/api/health")).statusCode).toBe(200);
    expect((await app.inject({ method: "HEAD", url: "/api/health" })).statusCode).toBe(200);
    expectErrorBody(await app.inject({ method: "DELETE", url: "/api/nothing-here" }), 404, "route_not_found");
    expect(Object.keys(doc.paths)).not.toContain("/api/nothing-here");
    // The 405 catch-alls are hidden from the document: no operation for TRACE, DELETE, ...
    const methods = new Set(Object.values(doc.paths).flatMap((ops: any) => Object.keys(ops)));
    expect([...methods].sort()).toEqual(["get", "post"]);
  });

  it("ST101 server error: an experiment name with control characters (or blank) is refused with 422, before any job starts", async () => {
    for (const name of ["bad\u0000name", "tab\tname", "   "]) {
      for (const url of ["/api/train_all?wait=true", "/api/train?wait=true"]) {
        const body = expectErrorBody(await app.inject({ method: "POST", url, payload: { experiment_name: name } }), 422, "validation_error");
        expect(body.message).toMatch(/body\.experiment_name must match pattern/);
      }
    }
    // Unicode letters, spaces inside and punctuation stay allowed.
    const ok = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Clothing"], experiment_name: "Ventes été 2024 (v2)" } });
    expect(ok.statusCode, ok.body).toBe(202);
  });

  it("ST202 schema-valid metric key refused: the key's alphabet is in the schema, so an impossible key is a validation error", async () => {
    expect(operation("/api/runs/{id}/metrics/{key}", "get").parameters.find((p: { name: string }) => p.name === "key").schema.pattern).toBeTypeOf("string");
    for (const key of ["%C3%80%17", "a%2F..%2Fb", "%2Fabs", "x%2F.."]) {
      const body = expectErrorBody(await app.inject(`/api/runs/${runId}/metrics/${key}`), 422, "validation_error");
      expect(body.message).toMatch(/params\.key must match pattern/);
    }
    const good = await app.inject(`/api/runs/${runId}/metrics/val_loss`);
    expect(good.json().history).toEqual([{ step: 1, value: 0.5, timestamp: 1 }]);
    // "/" and dots inside are fine: an unlogged key has an empty history.
    expect((await app.inject(`/api/runs/${runId}/metrics/a%2F.b%2F..c`)).json()).toEqual({ key: "a/.b/..c", history: [] });
  });

  it("ST101 server error: a valid 250-character metric key whose file name is too long answers an empty history, not 500", async () => {
    const key = `0/${"0".repeat(248)}`; // stored as "0%2F000...": more than 255 bytes
    const response = await app.inject(`/api/runs/${runId}/metrics/${encodeURIComponent(key)}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ key, history: [] });
  });

  it("ST202 schema-valid date refused: ?from/?to are format date, so 0000-00-00 fails validation and years 0001-0099 work", async () => {
    const to = operation("/api/series/{category}", "get").parameters.find((p: { name: string }) => p.name === "to");
    expect(to.schema.format).toBe("date");
    const body = expectErrorBody(await app.inject("/api/series/Beauty?to=0000-00-00"), 422, "validation_error");
    expect(body.message).toBe('querystring.to must be a real date as YYYY-MM-DD (got "0000-00-00")');
    const early = await app.inject("/api/series/Beauty?from=0001-01-01&to=0099-12-31");
    expect(early.statusCode, early.body).toBe(200);
    expect(early.json().dates).toEqual([]);
    const all = (await app.inject("/api/series/Beauty?from=0001-01-01&to=2024-01-03")).json();
    expect(all.dates).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
  });
});

describe("security review (docs/security.md)", () => {
  it("Swagger UI's static files cannot be used to read files outside them", async () => {
    for (const url of ["/docs/static/../../package.json", "/docs/static/%2e%2e/%2e%2e/package.json", "/docs/static/..%2f..%2fpackage.json"]) {
      const response = await app.inject(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).not.toContain('"name": "salescast"');
    }
    expect((await app.inject("/docs")).statusCode).toBe(200);
  });
});
