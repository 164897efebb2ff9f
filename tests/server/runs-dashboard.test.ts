// The runs routes and the dashboard's static files, through app.inject(): answers, bad input,
// and that no request path reaches the file system unchecked.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/index.js";
import { makeProject, type TestProject } from "../e2e/support/project.js";

let project: TestProject;
let app: FastifyInstance;
let build: string;

beforeAll(async () => {
  project = await makeProject({ categories: ["Beauty", "Clothing"], pretrain: ["Beauty"], days: 200 });
  build = await mkdtemp(join(tmpdir(), "salescast-web-"));
  await mkdir(join(build, "assets"));
  await writeFile(join(build, "index.html"), "<!doctype html><title>salescast</title>");
  await writeFile(join(build, "assets", "index-abc123.js"), "console.log(1)");
  app = await buildApp({ config: project.config, host: "127.0.0.1", logger: false, warmModels: false, env: {}, dashboardRoot: build });
});

afterAll(async () => {
  await app?.close();
  await project?.remove();
  if (build) await rm(build, { recursive: true, force: true });
});

describe("runs routes", () => {
  it("lists runs with the store kind, filtered by category", async () => {
    const all = (await app.inject("/api/runs")).json() as { store: { kind: string }; runs: Array<{ run_id: string; tags: Record<string, string> }> };
    expect(all.store.kind).toBe("local");
    expect(all.runs).toHaveLength(1);
    expect(all.runs[0].tags.item_id).toBe("Beauty");
    expect((await app.inject("/api/runs?category=Clothing")).json()).toMatchObject({ runs: [] });
    const bad = await app.inject("/api/runs?status=DONE");
    expect(bad.statusCode).toBe(422);
  });

  it("gives a metric's history and the run's artifacts, and 404s for anything else", async () => {
    const runId = project.pretrained[0].runId!;
    const history = (await app.inject(`/api/runs/${runId}/metrics/train_loss`)).json() as { history: Array<{ step: number }> };
    expect(history.history.map((p) => p.step)).toEqual([1, 2]);

    const plot = await app.inject(`/api/runs/${runId}/artifacts/eval_plot.png`);
    expect(plot.statusCode).toBe(200);
    expect(plot.headers["content-type"]).toBe("image/png");
    expect(plot.rawPayload.subarray(1, 4).toString()).toBe("PNG");

    expect((await app.inject("/api/runs/0123456789abcdef0123456789abcdef")).statusCode).toBe(404);
    expect((await app.inject(`/api/runs/${runId}/artifacts/missing.png`)).json()).toMatchObject({ error: "artifact_not_found" });
    for (const path of ["..%2F..%2Fmeta.json", "../meta.json", "%2Fetc%2Fpasswd"]) {
      const answer = await app.inject(`/api/runs/${runId}/artifacts/${path}`);
      expect(answer.statusCode, path).toBe(404);
    }
    expect((await app.inject("/api/runs/..%2F..%2Fx")).statusCode).toBe(422); // run ids are plain tokens
  });
});

describe("dashboard files", () => {
  it("serves index.html at / and the hashed assets, nothing else", async () => {
    const index = await app.inject("/");
    expect(index.statusCode).toBe(200);
    expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(index.headers["cache-control"]).toBe("no-cache");
    expect(index.headers["content-security-policy"]).toContain("default-src 'self'");
    const asset = await app.inject("/assets/index-abc123.js");
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toContain("immutable");
    for (const path of ["/assets/nope.js", "/assets/../index.html", "/assets/..%2F..%2Fpackage.json"]) {
      expect((await app.inject(path)).statusCode, path).toBe(404);
    }
    // The API still answers JSON 404s for unknown routes.
    expect((await app.inject("/api/nope")).json()).toMatchObject({ error: "route_not_found" });
  });
});
