// The queue section (README, "Running workers"): no queue by default; a url must be redis://.
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";

describe("queue settings", () => {
  it("default to no queue: train --all stays on this process's threads", () => {
    expect(configSchema.parse({}).queue).toEqual({
      url: "",
      shard_size: 1,
      concurrency: 1,
      stalled_ms: 30_000,
      rate_limit: { max: 0, duration_ms: 1000 },
      global_concurrency: 0,
      prefix: "salescast",
    });
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

  // Limits (src/queue/limits.ts): each error names the setting and what it takes.
  const queueError = (queue: unknown) => {
    const parsed = configSchema.safeParse({ queue });
    return parsed.success ? undefined : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
  };

  it("refuse negative, fractional and unknown limits, naming the setting", () => {
    expect(queueError({ rate_limit: { max: -1 } })).toBe("queue.rate_limit.max: must be 0 (no limit) or a whole number of jobs");
    expect(queueError({ rate_limit: { max: 1.5 } })).toMatch(/^queue\.rate_limit\.max: /);
    expect(queueError({ rate_limit: { max: 2, duration_ms: 5 } })).toBe("queue.rate_limit.duration_ms: must be at least 10 ms");
    expect(queueError({ rate_limit: { per_second: 3 } })).toMatch(/queue\.rate_limit: .*per_second/);
    expect(queueError({ global_concurrency: -2 })).toBe("queue.global_concurrency: must be 0 (no cap) or a whole number of jobs");
  });

  it("take limits given as text (command line, environment)", () => {
    expect(configSchema.parse({ queue: { rate_limit: { max: "3", duration_ms: "250" }, global_concurrency: "2" } }).queue).toMatchObject({
      rate_limit: { max: 3, duration_ms: 250 },
      global_concurrency: 2,
    });
  });
});
