// app.read_auth (issue 18), through app.inject(): off (the default), reads stay open and only
// training needs the key; on, every route needs it but the probes and the dashboard's files,
// which hold no data. The setting itself is checked where the configuration is read.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { withOverrides } from "../../src/config/overrides.js";
import { buildApp, ServerConfigError } from "../../src/server/index.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "./helpers.js";

const KEY = "read-auth-test-key-0123456789";
const HEADERS = { authorization: `Bearer ${KEY}` };

/** Every route that is not a probe or a dashboard file, with a request it answers (not 401) given the key. */
const PROTECTED: Array<{ method: "GET" | "POST"; url: string; payload?: unknown }> = [
  { method: "GET", url: "/api/categories" },
  { method: "GET", url: "/api/models" },
  { method: "GET", url: "/api/settings" },
  { method: "GET", url: "/api/series/Beauty" },
  { method: "GET", url: "/api/series/Beauty/latest" },
  { method: "GET", url: "/api/runs" },
  { method: "GET", url: "/api/jobs" },
  { method: "GET", url: "/metrics" },
  { method: "GET", url: "/docs/json" },
  { method: "GET", url: "/docs" },
  { method: "POST", url: "/api/predict", payload: { series: sampleWindow() } },
  { method: "POST", url: "/api/predict/Beauty", payload: { series: sampleWindow() } },
  { method: "GET", url: "/api/no-such-route" },
];
const OPEN = ["/api/health", "/api/ready", "/", "/assets/index-abc123.js"];

let ws: Workspace;
let build: string;
const apps: FastifyInstance[] = [];

async function appWith(readAuth: boolean, env: NodeJS.ProcessEnv = { SALESCAST_API_KEY: KEY }): Promise<FastifyInstance> {
  const config = withOverrides(ws.config, { app: { read_auth: readAuth } });
  const app = await buildApp({ config, logger: false, env, registry: ws.registry, dashboardRoot: build, trainingThreads: 1 });
  apps.push(app);
  await app.ready();
  return app;
}

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
  build = await mkdtemp(join(tmpdir(), "salescast-web-"));
  await mkdir(join(build, "assets"));
  await writeFile(join(build, "index.html"), "<!doctype html><title>salescast</title>");
  await writeFile(join(build, "assets", "index-abc123.js"), "console.log(1)");
});

afterAll(async () => {
  for (const app of apps) await app.close();
  await ws?.cleanup();
  if (build) await rm(build, { recursive: true, force: true });
});

describe("app.read_auth off (the default)", () => {
  it("answers reads, predictions, /metrics and the docs without a key, while training still needs it", async () => {
    const app = await appWith(false);
    for (const route of PROTECTED.filter((r) => r.url !== "/api/no-such-route")) {
      const answer = await app.inject({ method: route.method, url: route.url, ...(route.payload ? { payload: route.payload } : {}) });
      expect(answer.statusCode, `${route.method} ${route.url}`).toBe(200);
    }
    const train = await app.inject({ method: "POST", url: "/api/train", payload: { categories: ["Beauty"] } });
    expect(train.statusCode).toBe(401);
    expect(train.json()).toMatchObject({ error: "unauthorized" });
    // The document does not claim a 401 the reads never give.
    const doc = (await app.inject("/docs/json")).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.paths["/api/models"].get.responses).not.toHaveProperty("401");
  });
});

describe("app.read_auth on", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith(true);
  });

  it("refuses every other route without the key, or with a wrong one, and says how to send it", async () => {
    for (const route of PROTECTED) {
      const name = `${route.method} ${route.url}`;
      const payload = route.payload ? { payload: route.payload } : {};
      const none = await app.inject({ method: route.method, url: route.url, ...payload });
      expect(none.statusCode, name).toBe(401);
      expect(none.headers["www-authenticate"], name).toBe('Bearer realm="salescast"');
      expect(none.json(), name).toMatchObject({ error: "unauthorized", message: expect.stringContaining("Authorization: Bearer <key>") });
      const wrong = await app.inject({ method: route.method, url: route.url, headers: { authorization: "Bearer not-the-key-at-all-000" }, ...payload });
      expect(wrong.statusCode, name).toBe(401);
      expect(wrong.json(), name).toMatchObject({ message: expect.stringContaining("the API key is wrong") });
      // A key sent another way (basic auth, a bare token) is not the key.
      const basic = await app.inject({
        method: route.method,
        url: route.url,
        headers: { authorization: `Basic ${Buffer.from(`x:${KEY}`).toString("base64")}` },
        ...payload,
      });
      expect(basic.statusCode, name).toBe(401);
    }
  });

  it("answers them with the key, as before", async () => {
    for (const route of PROTECTED) {
      const answer = await app.inject({ method: route.method, url: route.url, headers: HEADERS, ...(route.payload ? { payload: route.payload } : {}) });
      expect(answer.statusCode, `${route.method} ${route.url}`).toBe(route.url === "/api/no-such-route" ? 404 : 200);
    }
    const forecast = await app.inject({ method: "POST", url: "/api/predict/Beauty", headers: HEADERS, payload: { series: sampleWindow() } });
    expect(typeof forecast.json().predicted_sales).toBe("number");
  });

  it("keeps the probes and the dashboard's files open, and they carry no data", async () => {
    for (const url of OPEN) expect((await app.inject(url)).statusCode, url).toBe(200);
    expect((await app.inject("/api/ready")).json()).toMatchObject({ status: "ready" });
    // The page is the build's file as it is: nothing of this server's data or settings.
    expect((await app.inject("/")).body).toBe("<!doctype html><title>salescast</title>");
  });

  it("documents the key and the 401 on every protected operation, and not on the probes", async () => {
    const doc = (await app.inject({ url: "/docs/json", headers: HEADERS })).json() as {
      info: { description: string };
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>;
    };
    expect(doc.info.description).toContain("`app.read_auth` on");
    for (const [path, method] of [
      ["/api/models", "get"],
      ["/api/predict/{category}", "post"],
      ["/metrics", "get"],
      ["/api/runs", "get"],
    ] as const) {
      expect(doc.paths[path][method].responses, path).toHaveProperty("401");
      expect(doc.paths[path][method].security, path).toEqual([{ bearer: [] }]);
    }
    expect(doc.paths["/api/health"].get.responses).not.toHaveProperty("401");
    expect(doc.paths["/api/ready"].get.security).toBeUndefined();
  });

  it("refuses to start without a key, even on loopback, naming the setting and the variable", async () => {
    const config = withOverrides(ws.config, { app: { read_auth: true } });
    await expect(buildApp({ config, logger: false, env: {}, registry: ws.registry })).rejects.toThrow(ServerConfigError);
    await expect(buildApp({ config, logger: false, env: {}, registry: ws.registry })).rejects.toThrow(/app\.read_auth is on.*SALESCAST_API_KEY is not set/);
  });
});

describe("the app.read_auth setting", () => {
  it("is off by default, takes true or false, and refuses anything else with the key's path", async () => {
    const path = new URL("../../config/config.yaml", import.meta.url).pathname;
    expect((await loadConfig({ path, env: {} })).config.app.read_auth).toBe(false);
    expect((await loadConfig({ path, env: {}, overrides: ["app.read_auth=true"] })).config.app.read_auth).toBe(true);
    expect((await loadConfig({ path, env: { SALESCAST__APP__READ_AUTH: "true" } })).config.app.read_auth).toBe(true);
    await expect(loadConfig({ path, env: {}, overrides: ["app.read_auth=sometimes"] })).rejects.toThrow(/app\.read_auth/);
  });
});
