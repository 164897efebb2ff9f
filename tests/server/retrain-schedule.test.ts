// schedule.retrain in the server (issue 18): off by default; when set, the server arms the next
// time of the cron schedule, and a round trains through an ordinary job and serves a promoted
// version at once. The round's rules are tested in retrain.test.ts; the schedule's grammar in
// tests/util/cron.test.ts. (The timer itself is not waited for: no test waits for a clock.)
import { appendFile } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import { configSchema } from "../../src/config/schema.js";
import { loadSales } from "../../src/data/ingest.js";
import { buildApp } from "../../src/server/app.js";
import { trainAll } from "../../src/training/train-all.js";
import { parseCron } from "../../src/util/cron.js";
import { commitModel, createWorkspace, dailyDates, sampleWindow, syntheticValues, type Workspace } from "./helpers.js";

let ws: Workspace;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  ws = await createWorkspace({ categories: ["Beauty"], days: 90 });
  // A champion whose forecasts are far off: any trained model beats it.
  await commitModel(ws.registry, "Beauty", { normalization: { mean: 100_000, std: 1 } });
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await ws?.cleanup();
});

async function appWith(schedule: string | null): Promise<FastifyInstance> {
  const config = withOverrides(ws.config, { schedule: { retrain: schedule, recent_periods: 14 } });
  const app = await buildApp({
    config,
    logger: false,
    env: {},
    registry: ws.registry,
    modelRefreshMs: 0,
    // The job trains in this thread (the built server uses worker threads).
    trainingRunner: async (request) => trainAll(config, request.categories, { data: await loadSales(config.data), threads: 0 }),
  });
  apps.push(app);
  await app.ready();
  return app;
}

describe("schedule.retrain", () => {
  it("is off by default", async () => {
    expect(ws.config.schedule.retrain).toBeNull();
    expect((await appWith(null)).salescast.retrain).toBeUndefined();
  });

  it("arms the next time of the schedule, and a round trains through a job and serves the winner at once", async () => {
    const app = await appWith("0 3 * * *");
    const before = Date.now();
    const nextAt = app.salescast.retrain!.nextAt()!;
    expect(nextAt).toMatch(/T03:00:00\.000Z$/);
    expect([
      parseCron("0 3 * * *").next(new Date(before)).toISOString(),
      parseCron("0 3 * * *")
        .next(new Date(before - 60_000))
        .toISOString(),
    ]).toContain(nextAt);

    const dates = dailyDates(100).slice(90);
    const values = syntheticValues(100, 1, 100).slice(90);
    await appendFile(ws.csvPath, dates.map((d, i) => `${d},Beauty,${values[i]}\n`).join(""));
    const outcomes = await app.salescast.retrain!.runNow();
    expect(outcomes.map((o) => [o.category, o.status, o.new_version])).toEqual([["Beauty", "promoted", 2]]);
    const jobs = (await app.inject("/api/jobs")).json();
    expect(jobs.jobs.map((j: { categories: string[]; state: string }) => [j.categories, j.state])).toEqual([[["Beauty"], "succeeded"]]);
    const answer = await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: sampleWindow() } });
    expect(answer.headers["x-model-version"]).toBe("2");
  });

  it("refuses a schedule cron would not take, saying which field", () => {
    const base = JSON.parse(JSON.stringify(ws.config));
    const problem = (retrain: string) => {
      const parsed = configSchema.safeParse({ ...base, schedule: { retrain } });
      return parsed.success ? "accepted" : `${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`;
    };
    expect(problem("0 25 * * *")).toMatch(/^schedule\.retrain: .*hour field "25" is outside 0-23/);
    expect(problem("daily")).toMatch(/^schedule\.retrain: .*needs 5 fields/);
    expect(problem("30 2 * * 1-5")).toBe("accepted");
  });
});
