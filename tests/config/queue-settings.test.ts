// The queue section (README, "Running workers"): no queue by default; a url must be redis://.
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";

describe("queue settings", () => {
  it("default to no queue: train --all stays on this process's threads", () => {
    expect(configSchema.parse({}).queue).toEqual({ url: "", shard_size: 1, concurrency: 1, stalled_ms: 30_000, prefix: "salescast" });
    expect(configSchema.parse({ queue: { url: null } }).queue.url).toBe("");
  });

  it("take redis:// and rediss:// urls", () => {
    expect(configSchema.parse({ queue: { url: "redis://10.0.0.5:6379/2" } }).queue.url).toBe("redis://10.0.0.5:6379/2");
    expect(configSchema.parse({ queue: { url: "rediss://user:pw@redis.example:6380" } }).queue.url).toMatch(/^rediss:/);
  });

  it.each([
    [{ url: "http://127.0.0.1:6379" }, /redis:\/\/ or rediss:\/\//],
    [{ shard_size: 0 }, /too_small|>0|greater than 0/i],
    [{ stalled_ms: 10 }, />=1000|at least|too_small/i],
    [{ prefix: "a b" }, /letters, digits/],
  ])("refuse %j", (queue, message) => {
    const parsed = configSchema.safeParse({ queue });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error!.issues)).toMatch(message);
  });
});
