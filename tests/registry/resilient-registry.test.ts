// ResilientRegistry (issue 18): the server reads MLflow's registry from a snapshot polled in the
// background, so an outage never reaches a request, and serves a version only once it loads.
// The registry behind it is a small in-memory fake here (it can fail, hang and hold versions
// that do not load); the real MLflow server is in tests/mlflow/serving-outage.test.ts, the
// local registry with real corrupt files in tests/server/registry-outage.test.ts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RegistryUnavailableError,
  ResilientRegistry,
  type ModelRegistry,
  type ModelVersionInfo,
  type ResilientRegistryOptions,
  type VersionFallback,
} from "../../src/registry/index.js";

/** An MLflow-like registry in memory: `down` makes every call fail, `hang` makes it never answer. */
class FakeRegistry implements ModelRegistry {
  readonly kind = "mlflow" as const;
  down = false;
  hang = false;
  calls = 0;
  readonly byCategory = new Map<string, ModelVersionInfo[]>();
  readonly champion = new Map<string, number>();

  add(category: string, version: number): ModelVersionInfo {
    const info: ModelVersionInfo = {
      category,
      version,
      dir: `/cache/${category}/v${version}`,
      createdAt: `2026-01-0${version}T00:00:00.000Z`,
      windowSize: 14,
      aliases: [],
    };
    this.byCategory.set(category, [...(this.byCategory.get(category) ?? []), info]);
    return info;
  }

  private async answer<T>(value: () => T): Promise<T> {
    this.calls++;
    if (this.hang) return new Promise<T>(() => undefined);
    if (this.down) throw new Error("MLflow at http://127.0.0.1:1 did not answer after 2 attempts (connection refused)");
    return value();
  }

  categories() {
    return this.answer(() => [...this.byCategory.keys()].sort());
  }
  versions(category: string) {
    return this.answer(() => this.byCategory.get(category) ?? []);
  }
  resolve(category: string, ref?: number | string) {
    return this.answer(() => {
      const all = this.byCategory.get(category) ?? [];
      const wanted = typeof ref === "number" ? ref : this.champion.get(category);
      const found = wanted === undefined ? all[all.length - 1] : all.find((v) => v.version === wanted);
      return found && { ...found, aliases: this.champion.get(category) === found.version ? ["champion"] : [] };
    });
  }
  list() {
    return this.answer(() => [...this.byCategory.values()].map((all) => all[all.length - 1]));
  }
  async setAlias(category: string, _alias: string, version: number) {
    await this.answer(() => this.champion.set(category, version));
  }
  async removeAlias(category: string) {
    await this.answer(() => this.champion.delete(category));
  }
}

let dir: string;
const opened: ResilientRegistry[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-resilient-"));
});
afterAll(async () => {
  for (const r of opened) r.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A polled registry over `inner` whose loop never fires on its own (the tests poll by hand). */
function polled(inner: ModelRegistry, options: Partial<ResilientRegistryOptions> & { snapshot?: string } = {}) {
  const events = { errors: 0, recovered: [] as number[], fallbacks: [] as VersionFallback[] };
  const registry = new ResilientRegistry(inner, {
    mode: "polled",
    check: async () => undefined,
    snapshotPath: join(dir, options.snapshot ?? `snapshot-${opened.length}.json`),
    pollMs: 3_600_000,
    onPollError: () => events.errors++,
    onRecovered: (seconds) => events.recovered.push(seconds),
    onFallback: (f) => events.fallbacks.push(f),
    ...options,
  });
  opened.push(registry);
  return { registry, events };
}

describe("polled (MLflow)", () => {
  it("answers from its snapshot while the registry is down, says it is degraded and why, and recovers", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.add("Beauty", 2);
    inner.champion.set("Beauty", 1);
    let now = 1_000_000;
    const { registry, events } = polled(inner, { now: () => now });
    await registry.start(5_000);
    expect(registry.health()).toMatchObject({ state: "ok", consecutiveFailures: 0, stalenessSeconds: 0 });

    inner.down = true;
    const callsBefore = inner.calls;
    // Reads never reach the registry: they answer from the snapshot, whatever its health.
    expect(await registry.categories()).toEqual(["Beauty"]);
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    expect((await registry.versions("Beauty")).map((v) => v.version)).toEqual([1, 2]);
    expect((await registry.list()).map((v) => [v.category, v.version])).toEqual([["Beauty", 1]]);
    expect(inner.calls).toBe(callsBefore);

    now += 40_000;
    await registry.poll();
    await registry.poll();
    expect(events.errors).toBe(2);
    expect(registry.health()).toMatchObject({ state: "degraded", consecutiveFailures: 2, stalenessSeconds: 40 });
    expect(registry.health().reason).toMatch(/did not answer after 2 attempts/);
    expect((await registry.resolve("Beauty"))?.version).toBe(1);

    // Back, with a new champion: the next look adopts it.
    inner.down = false;
    inner.champion.set("Beauty", 2);
    now += 20_000;
    await registry.poll();
    expect(events.recovered).toEqual([60]);
    expect(registry.health()).toMatchObject({ state: "ok", consecutiveFailures: 0 });
    expect((await registry.resolve("Beauty"))?.version).toBe(2);
  });

  it("says unavailable, and refuses reads with RegistryUnavailableError, when it never had an answer", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.down = true;
    const { registry } = polled(inner);
    await registry.start(5_000);
    expect(registry.health().state).toBe("unavailable");
    await expect(registry.categories()).rejects.toBeInstanceOf(RegistryUnavailableError);
    await expect(registry.resolve("Beauty")).rejects.toThrow(/has not answered since this server started.*tracking\.uri/);
  });

  it("starts from the snapshot an earlier server saved when the registry is down at start", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.add("Clothing", 3);
    await polled(inner, { snapshot: "shared.json" }).registry.start(5_000);

    inner.down = true;
    const { registry } = polled(inner, { snapshot: "shared.json" });
    await registry.start(5_000);
    expect(registry.health().state).toBe("degraded");
    expect(await registry.categories()).toEqual(["Beauty", "Clothing"]);
    expect((await registry.resolve("Clothing"))?.version).toBe(3);
  });

  it("does not wait past its start limit for a registry that never answers", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    await polled(inner, { snapshot: "hung.json" }).registry.start(5_000);
    inner.hang = true;
    const { registry } = polled(inner, { snapshot: "hung.json" });
    await registry.start(50); // resolves although the first look never ends
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
  });

  it("calls a registry degraded when its looks hang long past the poll interval", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    let now = 0;
    const { registry } = polled(inner, { pollMs: 1000, now: () => now });
    await registry.start(5_000);
    now += 64_000; // more than 3 intervals + a minute without a confirmed answer
    expect(registry.health()).toMatchObject({ state: "degraded", consecutiveFailures: 0 });
    expect(registry.health().reason).toMatch(/has not answered for 64 s/);
  });

  it("serves the last version that loads when the registry's champion does not, and says so once", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.add("Beauty", 2);
    inner.add("Beauty", 3);
    inner.champion.set("Beauty", 2);
    const broken = new Set([3]);
    const { registry, events } = polled(inner, {
      check: async (info) => {
        if (broken.has(info.version)) throw new Error(`model.safetensors of version ${info.version} does not match its sha256`);
      },
    });
    await registry.start(5_000);
    expect((await registry.resolve("Beauty"))?.version).toBe(2);

    inner.champion.set("Beauty", 3);
    await registry.poll();
    await registry.poll();
    expect((await registry.resolve("Beauty"))?.version).toBe(2);
    // The registry's own answer is still what the catalog shows.
    expect((await registry.list()).map((v) => v.version)).toEqual([3]);
    expect(registry.fallbacks()).toEqual([{ category: "Beauty", wanted: 3, serving: 2, reason: "model.safetensors of version 3 does not match its sha256" }]);
    expect(events.fallbacks).toHaveLength(1);

    // A good version 4 ends the fallback.
    inner.add("Beauty", 4);
    inner.champion.set("Beauty", 4);
    await registry.poll();
    expect((await registry.resolve("Beauty"))?.version).toBe(4);
    expect(registry.fallbacks()).toEqual([]);
  });

  it("on a fresh start, walks back to the newest earlier version that loads, skipping versions held back", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.add("Beauty", 2).heldBack = "worse than the champion";
    inner.add("Beauty", 3);
    const { registry } = polled(inner, {
      check: async (info) => {
        if (info.version === 3) throw new Error("model.json: not valid JSON");
      },
    });
    await registry.start(5_000);
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    expect(registry.fallbacks()).toEqual([{ category: "Beauty", wanted: 3, serving: 1, reason: "model.json: not valid JSON" }]);
  });

  it("serves nothing for a category none of whose versions load, instead of a broken model", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    inner.add("Clothing", 1);
    const { registry } = polled(inner, {
      check: async (info) => {
        if (info.category === "Beauty") throw new Error("truncated weights");
      },
    });
    await registry.start(5_000);
    expect(await registry.resolve("Beauty")).toBeUndefined();
    expect((await registry.resolve("Clothing"))?.version).toBe(1);
    expect(registry.fallbacks()).toEqual([{ category: "Beauty", wanted: 1, reason: "truncated weights" }]);
  });
});

describe("direct (local)", () => {
  it("reads the registry on every lookup and never reports it stale", async () => {
    const inner = new FakeRegistry();
    inner.add("Beauty", 1);
    const registry = new ResilientRegistry(inner, { mode: "direct", check: async () => undefined });
    await registry.start(10);
    expect((await registry.resolve("Beauty"))?.version).toBe(1);
    inner.add("Beauty", 2);
    expect((await registry.resolve("Beauty"))?.version).toBe(2);
    expect(registry.health().state).toBe("ok");
    inner.down = true;
    await expect(registry.categories()).rejects.toThrow(/did not answer/);
  });
});
