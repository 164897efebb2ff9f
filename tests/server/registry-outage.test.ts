// The server when its registry fails (issue 18), through app.inject(): an MLflow-like registry
// (real models in a LocalRegistry behind a switch that makes every call fail and says
// kind "mlflow", so the server polls it in the background) going down, a server started while
// it is down, a champion whose files are corrupt, and a corrupt local registry index. Never a
// 500; predictions keep their model; /api/ready, /api/health and /metrics say what is wrong.
// The same with a real MLflow server that is stopped: tests/mlflow/serving-outage.test.ts.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import type { ModelRegistry } from "../../src/registry/index.js";
import { buildApp } from "../../src/server/app.js";
import { STALE_HEADER } from "../../src/server/registry-health.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "./helpers.js";

/** The workspace's local registry, presented as an MLflow one that can go down. */
function switchable(inner: ModelRegistry) {
  const state = { down: false, calls: 0 };
  const guard =
    <A extends unknown[], T>(call: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      state.calls++;
      if (state.down) throw new Error("MLflow at http://127.0.0.1:9 did not answer after 2 attempts: connect ECONNREFUSED");
      return call(...args);
    };
  const registry: ModelRegistry = {
    kind: "mlflow",
    categories: guard(() => inner.categories()),
    versions: guard((c: string) => inner.versions(c)),
    resolve: guard((c: string, ref?: number | string) => inner.resolve(c, ref)),
    list: guard(() => inner.list()),
    setAlias: guard((c: string, a: string, v: number) => inner.setAlias(c, a, v)),
    removeAlias: guard((c: string, a: string) => inner.removeAlias(c, a)),
  };
  return { registry, state };
}

const apps: FastifyInstance[] = [];
async function appOver(ws: Workspace, registry: ModelRegistry): Promise<FastifyInstance> {
  // The loop waits an hour between looks: each test polls by hand, nothing depends on timing.
  const config = withOverrides(ws.config, { tracking: { registry_poll_seconds: 3600, registry_start_wait_seconds: 5 } });
  const app = await buildApp({ config, logger: false, env: {}, registry, modelRefreshMs: 0, trainingThreads: 1 });
  apps.push(app);
  await app.ready();
  return app;
}
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const predict = (app: FastifyInstance, url = "/api/predict/Beauty") => app.inject({ method: "POST", url, payload: { series: sampleWindow() } });

/** One series of /metrics, or undefined when absent. */
async function metric(app: FastifyInstance, pattern: RegExp): Promise<number | undefined> {
  const line = (await app.inject("/metrics")).body.split("\n").find((l) => pattern.test(l));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

describe("an MLflow registry that goes down", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace();
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    await commitModel(ws.registry, "Clothing", { seed: 2 });
  });
  afterAll(() => ws?.cleanup());

  it("keeps answering predictions without asking it, and says it is degraded everywhere else", async () => {
    const { registry, state } = switchable(ws.registry);
    const app = await appOver(ws, registry);
    const before = await predict(app);
    expect(before.statusCode).toBe(200);
    expect((await app.inject("/api/ready")).json()).toMatchObject({ status: "ready", reasons: [] });
    expect(before.headers[STALE_HEADER]).toBeUndefined();

    state.down = true;
    await app.salescast.registry.poll();
    const callsBefore = state.calls;
    for (let i = 0; i < 20; i++) {
      const answer = await predict(app, i % 2 ? "/api/predict/Beauty" : "/api/predict/Clothing");
      expect(answer.statusCode).toBe(200);
      expect(answer.headers[STALE_HEADER]).toMatch(/^\d+$/);
    }
    expect((await predict(app)).json().predicted_sales).toBe(before.json().predicted_sales);
    // Not one prediction, nor any read below, asked the registry.
    for (const url of ["/api/models", "/api/models/Beauty", "/api/categories"]) expect((await app.inject(url)).statusCode, url).toBe(200);
    expect(state.calls).toBe(callsBefore);

    const ready = await app.inject("/api/ready");
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe("degraded");
    expect(ready.json().reasons[0]).toMatch(/model registry \(mlflow\) has not answered .*ECONNREFUSED.*serving its last answer/);
    expect((await app.inject("/api/health")).json().registry).toMatchObject({ kind: "mlflow", state: "degraded", fallbacks: [] });
    expect(await metric(app, /^salescast_registry_errors_total /)).toBe(1);
    expect(await metric(app, /^salescast_registry_up /)).toBe(0);
    expect(await metric(app, /^salescast_registry_staleness_seconds /)).toBeGreaterThanOrEqual(0);

    state.down = false;
    await app.salescast.registry.poll();
    expect((await app.inject("/api/ready")).json()).toMatchObject({ status: "ready", reasons: [] });
    expect(await metric(app, /^salescast_registry_up /)).toBe(1);
  });

  it("serves from the saved snapshot when it is already down as the server starts", async () => {
    // The first app saved its snapshot beside the registry; this one never reaches the registry.
    const { registry, state } = switchable(ws.registry);
    state.down = true;
    const app = await appOver(ws, registry);
    expect((await predict(app)).statusCode).toBe(200);
    expect((await app.inject("/api/ready")).json().status).toBe("degraded");
  });

  it("answers 503 with what to check, never 500, when it is down and nothing was ever saved", async () => {
    const fresh = await createWorkspace();
    try {
      await commitModel(fresh.registry, "Beauty");
      const { registry, state } = switchable(fresh.registry);
      state.down = true;
      const app = await appOver(fresh, registry);
      for (const answer of [await predict(app), await predict(app, "/api/predict"), await app.inject("/api/models"), await app.inject("/api/categories")]) {
        expect(answer.statusCode, answer.body).toBe(503);
        expect(answer.json().error).toBe("registry_unavailable");
        expect(answer.json().message).toMatch(/check that the tracking server \(tracking\.uri\) is up/);
      }
      const ready = await app.inject("/api/ready");
      expect(ready.statusCode).toBe(503);
      expect(ready.json().message).toMatch(/registry \(mlflow\) has not answered since the start/);
      // Back: served at the next look, without a restart.
      state.down = false;
      await app.salescast.registry.poll();
      expect((await predict(app)).statusCode).toBe(200);
    } finally {
      await fresh.cleanup();
    }
  });
});

describe("a served version whose files are corrupt", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace();
  });
  afterAll(() => ws?.cleanup());

  it("serves the previous version that loads, and says so in /api/health, /api/ready and /metrics", async () => {
    await commitModel(ws.registry, "Beauty", { seed: 1 });
    const good = (await predict(await appOver(ws, ws.registry))).json().predicted_sales;
    const v2 = await commitModel(ws.registry, "Beauty", { seed: 7 });
    const weights = join(v2.dir, "model.safetensors");
    const bytes = await readFile(weights);
    bytes[bytes.length - 1] ^= 0xff; // one flipped byte: the sha256 in model.json no longer matches
    await writeFile(weights, bytes);

    const app = await appOver(ws, ws.registry);
    const answer = await predict(app);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["x-model-version"]).toBe("1");
    expect(answer.json().predicted_sales).toBe(good);
    const [fallback] = (await app.inject("/api/health")).json().registry.fallbacks;
    expect(fallback).toMatchObject({ category: "Beauty", wanted_version: 2, serving_version: 1 });
    expect(fallback.reason).toMatch(/sha256|checksum|does not match/i);
    const ready = (await app.inject("/api/ready")).json();
    expect(ready.status).toBe("degraded");
    expect(ready.reasons).toEqual([expect.stringMatching(/^Beauty: serving version 1 because version 2 does not load/)]);
    expect(await metric(app, /^salescast_model_fallback\{category="Beauty"\} /)).toBe(1);
    expect(await metric(app, /^salescast_model_fallbacks_total\{category="Beauty"\} /)).toBe(1);
    // The catalog still shows what the registry serves.
    expect((await app.inject("/api/models/Beauty")).statusCode).toBe(200);
  });
});

describe("a corrupt local registry index", () => {
  it("answers 503 registry_corrupt with the repair hint on predictions and reads, not 500", async () => {
    const ws = await createWorkspace();
    try {
      await commitModel(ws.registry, "Beauty");
      await writeFile(join(ws.registryRoot, "registry.json"), "{ this is not json");
      const app = await appOver(ws, ws.registry);
      for (const answer of [await predict(app), await app.inject("/api/models"), await app.inject("/api/ready")]) {
        expect(answer.statusCode, answer.body).toBe(503);
        expect(answer.json().error).toBe("registry_corrupt");
        expect(answer.json().message).toMatch(/registry index .*registry\.json is corrupt .*restore it from a backup or fix it by hand/);
      }
    } finally {
      await ws.cleanup();
    }
  });
});
