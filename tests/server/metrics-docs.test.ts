import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitModel, createWorkspace, sampleWindow, testApp, type Workspace } from "./helpers.js";

let ws: Workspace;
let app: FastifyInstance;
beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
  app = await testApp(ws);
});
afterAll(async () => {
  await app.close();
  await ws.cleanup();
});

describe("GET /metrics", () => {
  it("exposes request counts and latencies per route and status, predictions per category, models and jobs", async () => {
    for (let i = 0; i < 3; i++) await app.inject({ method: "POST", url: "/api/predict", payload: { series: sampleWindow() } });
    await app.inject({ method: "POST", url: "/api/predict", payload: { instances: [sampleWindow(), sampleWindow()] } });
    await app.inject({ method: "POST", url: "/api/predict", payload: { series: [1] } });
    await app.inject({ method: "POST", url: "/api/predict/Toys", payload: { series: sampleWindow() } });
    await app.inject({ method: "GET", url: "/no/such/route" });

    const response = await app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('salescast_http_requests_total{method="POST",route="/api/predict",status="200"} 4');
    expect(text).toContain('salescast_http_requests_total{method="POST",route="/api/predict",status="422"} 1');
    expect(text).toContain('salescast_http_requests_total{method="POST",route="/api/predict/:category",status="404"} 1');
    expect(text).toMatch(/salescast_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(/salescast_http_request_duration_seconds_bucket\{le="0\.005",method="POST",route="\/api\/predict",status="200"\} \d/);
    expect(text).toContain('salescast_predictions_total{category="Beauty"} 5');
    expect(text).toContain('salescast_model_version_loaded{category="Beauty"} 1');
    expect(text).toMatch(/salescast_training_jobs\{state="running"\} 0/);
    expect(text).toMatch(/salescast_process_cpu_user_seconds_total \d/);
  });
});

describe("OpenAPI and Swagger UI", () => {
  it("serves the OpenAPI document with every route and its schemas", async () => {
    const response = await app.inject({ method: "GET", url: "/docs/json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/actuals/{category}",
        "/api/categories",
        "/api/forecast/{category}",
        "/api/forecasts/{level}",
        "/api/health",
        "/api/jobs",
        "/api/jobs/{id}",
        "/api/jobs/{id}/events",
        "/api/models",
        "/api/models/{category}",
        "/api/models/{category}/leaderboard",
        "/api/monitoring/{category}",
        "/api/predict",
        "/api/predict/{category}",
        "/api/ready",
        "/api/runs",
        "/api/runs/{id}",
        "/api/runs/{id}/artifacts/{*}",
        "/api/runs/{id}/metrics/{key}",
        "/api/series",
        "/api/series/{category}",
        "/api/series/{category}/latest",
        "/api/settings",
        "/api/train",
        "/api/train_all",
        "/metrics",
      ].sort(),
    );
    const predict = doc.paths["/api/predict"].post;
    expect(predict.requestBody.content["application/json"].schema.properties.series.items.type).toBe("number");
    expect(Object.keys(predict.responses)).toEqual(expect.arrayContaining(["200", "404", "413", "422"]));
    expect(JSON.stringify(predict.responses["422"])).toContain("ErrorBody");
    expect(doc.components.schemas.ErrorBody.required).toEqual(["error", "message"]);
  });

  it("serves Swagger UI at /docs from the package (no network)", async () => {
    let response = await app.inject({ method: "GET", url: "/docs" });
    if (response.statusCode === 302) response = await app.inject({ method: "GET", url: response.headers.location as string });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/text\/html/);
    expect(response.body).toContain("swagger");
  });

  it("keeps text like <key> inside Markdown code spans, where Swagger UI shows it literally (issue 15: it dropped '<key>')", async () => {
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const texts: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (["description", "summary", "title"].includes(key) && typeof value === "string") texts.push(value);
          else collect(value);
        }
      }
    };
    collect(doc);
    expect(doc.info.description).toContain("`Authorization: Bearer <key>`");
    // Anything Swagger UI's Markdown would take for an HTML tag, outside a code span.
    const tagLike = texts.map((text) => text.replace(/`[^`]*`/g, "")).filter((text) => /<[A-Za-z/!]/.test(text));
    expect(tagLike).toEqual([]);
  });
});
