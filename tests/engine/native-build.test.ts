// Installing without a usable compiler must still work (the install script exits 0 and says
// why), and the engine must then run on the reference backend, with a clear error only when
// engine.backend: native asks for the missing addon.

import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/build-native.mjs", import.meta.url));
const saved = { backend: process.env.SALESCAST__ENGINE__BACKEND, addon: process.env.SALESCAST_NATIVE_ADDON };

afterEach(() => {
  for (const [key, value] of [
    ["SALESCAST__ENGINE__BACKEND", saved.backend],
    ["SALESCAST_NATIVE_ADDON", saved.addon],
  ] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  vi.resetModules();
});

/** Runs the install script with extra environment; every case builds into a temp dir, never native/build. */
function runScript(env: Record<string, string>) {
  return spawnSync(process.execPath, [SCRIPT], { encoding: "utf8", env: { ...process.env, ...env } });
}

function withTempDir(run: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "salescast-native-"));
  try {
    run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("scripts/build-native.mjs (the install script)", () => {
  it("exits 0 with one line saying why when the build is skipped", () => {
    withTempDir((dir) => {
      const result = runScript({ SALESCAST_SKIP_NATIVE: "1", SALESCAST_NATIVE_BUILD_DIR: dir });
      expect(result.status).toBe(0);
      expect(result.stdout.trim().split("\n")).toEqual([
        "salescast: native engine backend unavailable (SALESCAST_SKIP_NATIVE=1, build skipped); the reference TypeScript backend will be used.",
      ]);
    });
  });

  it("exits 0, builds nothing and names the compiler when there is no working compiler", () => {
    withTempDir((dir) => {
      const result = runScript({ SALESCAST_SKIP_NATIVE: "", CXX: "/nonexistent/c++", SALESCAST_NATIVE_BUILD_DIR: dir });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/native engine backend unavailable \(the compiler CXX=\/nonexistent\/c\+\+ does not run\)/);
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it("exits 0 and quotes the compiler's error when compiling fails, leaving no addon behind", () => {
    withTempDir((dir) => {
      const fake = join(dir, "broken-c++");
      writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "broken 1.0"; exit 0; fi\necho "x.cpp:1: error: broken on purpose" >&2; exit 1\n');
      chmodSync(fake, 0o755);
      const out = join(dir, "build");
      const result = runScript({ SALESCAST_SKIP_NATIVE: "", CXX: fake, SALESCAST_NATIVE_BUILD_DIR: out });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/native engine backend unavailable \(compiling network_kernels .* failed: x\.cpp:1: error: broken on purpose\)/);
      expect(readdirSync(out)).toEqual([]);
    });
  });
});

describe("the engine without the native addon", () => {
  async function engineWithoutAddon() {
    process.env.SALESCAST_NATIVE_ADDON = join(tmpdir(), "salescast-missing", "salescast_native.node");
    vi.resetModules(); // a fresh module graph loads the addon (from the missing path) again
    return import("../../src/engine/index.js");
  }

  it("engine.backend auto takes the reference backend and says why", async () => {
    delete process.env.SALESCAST__ENGINE__BACKEND;
    const engine = await engineWithoutAddon();
    expect(engine.resolveBackendName("auto")).toBe("reference");
    expect(engine.activeBackend().name).toBe("reference");
    expect(engine.backendDescription()).toMatch(/^reference \(TypeScript; native backend unavailable: the native addon is not built \(no .*salescast-missing/);
    const model = new engine.CnnLstmModel({ windowSize: 5, inputSize: 1, convChannels: 2, lstmHidden: 3, lstmLayers: 1, outputSize: 1 }, 1);
    expect(model.backend.name).toBe("reference");
    expect(model.predict(new Float32Array(5), 1)).toHaveLength(1);
  });

  it("engine.backend: native fails with what is missing, how to build it and the setting to change", async () => {
    process.env.SALESCAST__ENGINE__BACKEND = "native";
    const engine = await engineWithoutAddon();
    expect(() => engine.activeBackend()).toThrow(
      /The native engine backend cannot be used: the native addon is not built .*npm rebuild salescast.*node scripts\/build-native\.mjs.*set engine\.backend to auto/,
    );
    expect(() => new engine.CnnLstmModel({ windowSize: 5, inputSize: 1, convChannels: 2, lstmHidden: 3, lstmLayers: 1, outputSize: 1 }, 1)).toThrow(
      /native engine backend cannot be used/,
    );
    expect(engine.backendDescription()).toMatch(/^none \(The native engine backend cannot be used/);
  });
});
