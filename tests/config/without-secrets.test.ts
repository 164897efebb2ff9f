// withoutSecrets: what a run logs of its configuration carries no password.
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { withoutSecrets } from "../../src/config/without-secrets.js";

describe("withoutSecrets", () => {
  it("replaces the passwords inside queue.url and tracking.uri, and nothing else", () => {
    const config = configSchema.parse({
      queue: { url: "rediss://worker:p%40ss@redis.example:6380/2" },
      tracking: { uri: "http://alice:hunter2@mlflow:5005" },
    });
    const shown = withoutSecrets(config);
    expect(shown.queue.url).toBe("rediss://worker:***@redis.example:6380/2");
    expect(shown.tracking.uri).toMatch(/^http:\/\/alice:\*\*\*@mlflow:5005\/?$/);
    expect(JSON.stringify(shown)).not.toMatch(/hunter2|p%40ss/);
    expect({ ...shown, queue: config.queue, tracking: config.tracking }).toEqual(config);
  });

  it("leaves urls without a password and local paths as they are", () => {
    const config = configSchema.parse({ queue: { url: "redis://10.0.0.5:6379" }, tracking: { uri: "mlruns" } });
    expect(withoutSecrets(config).queue.url).toBe("redis://10.0.0.5:6379");
    expect(withoutSecrets(config).tracking.uri).toBe("mlruns");
    expect(withoutSecrets(configSchema.parse({})).queue.url).toBe("");
  });
});
