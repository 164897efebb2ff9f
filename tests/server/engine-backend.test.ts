// The server computes on the backend its configuration's engine.backend chooses, and says so in
// GET /api/health: the setting, the backend it stands for here, and why the native one cannot
// be used (without the server's paths). engine.backend: native without the addon stops the
// server before it listens, saying what to do.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import { nativeBackendProblem } from "../../src/engine/index.js";
import { commitModel, createWorkspace, sampleWindow, testApp, type Workspace } from "./helpers.js";

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty", { seed: 3 });
});
afterAll(() => ws.cleanup());

const savedAddon = process.env.SALESCAST_NATIVE_ADDON;
afterEach(() => {
  if (savedAddon === undefined) delete process.env.SALESCAST_NATIVE_ADDON;
  else process.env.SALESCAST_NATIVE_ADDON = savedAddon;
  vi.resetModules();
});

async function predictAndHealth(backend: "auto" | "reference" | "native") {
  const app = await testApp(ws, { config: withOverrides(ws.config, { engine: { backend } }) });
  try {
    const predicted = await app.inject({ method: "POST", url: "/api/predict", payload: { series: sampleWindow() } });
    expect(predicted.statusCode).toBe(200);
    return { predicted: predicted.json().predicted_sales as number, health: (await app.inject("/api/health")).json() };
  } finally {
    await app.close();
  }
}

describe("engine.backend in the server", () => {
  it("reference serves on the reference backend, and auto (native when built) gives the same forecast to float32 rounding", async () => {
    const reference = await predictAndHealth("reference");
    expect(reference.health.engine).toMatchObject({ setting: "reference", backend: "reference" });
    expect(reference.health.models).toEqual([expect.objectContaining({ category: "Beauty", backend: "reference" })]);
    const auto = await predictAndHealth("auto");
    const expected = nativeBackendProblem() === undefined ? "native" : "reference";
    expect(auto.health.engine).toMatchObject({ setting: "auto", backend: expected });
    expect(auto.health.models).toEqual([expect.objectContaining({ backend: expected })]);
    expect(Math.abs(auto.predicted - reference.predicted)).toBeLessThan(1e-3 * Math.max(1, Math.abs(reference.predicted)));
  });

  it.runIf(nativeBackendProblem() === undefined)("native serves on the native backend", async () => {
    const native = await predictAndHealth("native");
    expect(native.health.engine).toEqual({ setting: "native", backend: "native", native_unavailable: null });
  });

  describe("without the native addon", () => {
    async function serverModulesWithoutAddon() {
      process.env.SALESCAST_NATIVE_ADDON = join(tmpdir(), "salescast-missing-addon", "salescast_native.node");
      vi.resetModules(); // a fresh module graph looks for the addon (at the missing path) again
      return import("../../src/server/app.js");
    }

    it("auto falls back to reference and /api/health says why, without the server's paths", async () => {
      const { buildApp } = await serverModulesWithoutAddon();
      const app = await buildApp({ config: ws.config, logger: false, env: {}, modelRefreshMs: 0, registry: ws.registry });
      try {
        const health = (await app.inject("/api/health")).json();
        expect(health.engine.setting).toBe("auto");
        expect(health.engine.backend).toBe("reference");
        expect(health.engine.native_unavailable).toMatch(/^the native addon is not built \(no salescast_native\.node\); build it with/);
        expect(health.engine.native_unavailable).not.toContain(tmpdir());
      } finally {
        await app.close();
      }
    });

    it("native refuses to start, saying what is missing and which setting to change", async () => {
      const { buildApp } = await serverModulesWithoutAddon();
      const config = withOverrides(ws.config, { engine: { backend: "native" } });
      await expect(buildApp({ config, logger: false, env: {}, modelRefreshMs: 0, registry: ws.registry })).rejects.toThrow(
        /engine\.backend is native, but: The native engine backend cannot be used: the native addon is not built .*set engine\.backend to auto/,
      );
    });
  });
});
