// Forecast-quality monitoring across restarts and from a new data file (issue 18): the forecasts
// the server recorded (and those it scored) are saved to app.monitor_file, atomically, and a
// server started on the same file scores actuals against them; a file that is not a saved
// state is moved aside and the server starts anyway; when the sales file gains the values of
// recorded dates, they are scored as if posted to POST /api/actuals.
import { existsSync, readdirSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import type { Config } from "../../src/config/schema.js";
import { buildApp } from "../../src/server/app.js";
import { commitModel, createWorkspace, sampleWindow, type Workspace } from "./helpers.js";

let ws: Workspace;
const open: FastifyInstance[] = [];
const METRICS = { val_mae: 10, val_mase: 0.5 };

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty", { metrics: METRICS });
});
afterAll(async () => {
  for (const app of open) await app.close();
  await ws?.cleanup();
});

function configWith(monitorFile: string, extra: Record<string, unknown> = {}): Config {
  return withOverrides(ws.config, { app: { monitor_file: monitorFile, ...extra } });
}

async function start(config: Config, logs: string[] = []): Promise<FastifyInstance> {
  const logger = { level: "info", stream: { write: (line: string) => void logs.push(line) } };
  const app = await buildApp({ config, logger: logger as never, env: {}, registry: ws.registry, modelRefreshMs: 0, trainingThreads: 1 });
  open.push(app);
  await app.ready();
  return app;
}

async function close(app: FastifyInstance): Promise<void> {
  await app.close();
  open.splice(open.indexOf(app), 1);
}

async function serveDated(app: FastifyInstance, lastDate: string, horizon: number): Promise<number[]> {
  const answer = await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: sampleWindow(), horizon, last_date: lastDate } });
  expect(answer.statusCode, answer.body).toBe(200);
  return (answer.json() as { forecast: number[] }).forecast;
}

async function scoredMetric(app: FastifyInstance): Promise<number | undefined> {
  const line = (await app.inject("/metrics")).body.split("\n").find((l) => l.startsWith('salescast_live_scored_forecasts{category="Beauty"}'));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

describe("recorded forecasts across a restart", () => {
  it("are saved when the server closes and scored by the next server", async () => {
    const file = join(ws.root, "monitor", "restart.json");
    const first = await start(configWith(file));
    const forecast = await serveDated(first, "2024-05-10", 3);
    await close(first);
    expect(existsSync(file)).toBe(true);
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.format_version).toBe(1);
    expect(saved.recorded.Beauty.map((r: { date: string }) => r.date)).toEqual(["2024-05-11", "2024-05-12", "2024-05-13"]);
    // Written through a temporary file and renamed: nothing else is left in the folder.
    expect(readdirSync(join(ws.root, "monitor"))).toEqual(["restart.json"]);

    const logs: string[] = [];
    const second = await start(configWith(file), logs);
    expect(logs.join("")).toMatch(/forecast monitoring restored from .*restart\.json: 3 recorded forecast date/);
    const answer = await second.inject({
      method: "POST",
      url: "/api/actuals/Beauty",
      payload: { actuals: [{ date: "2024-05-11", value: forecast[0] + 4 }] },
    });
    expect(answer.json()).toMatchObject({ scored: 1, unmatched: 0 });
    expect(answer.json().live.mae).toBeCloseTo(4, 6);
    await close(second);

    // The scored forecast is kept too: a third server still reports it.
    const third = await start(configWith(file));
    expect(await scoredMetric(third)).toBe(1);
    expect(third.salescast.monitor.pendingDates().get("Beauty")).toEqual(["2024-05-12", "2024-05-13"]);
    await close(third);
  });

  it("is saved in the background while the server runs (app.monitor_save_seconds)", async () => {
    const file = join(ws.root, "monitor", "background.json");
    const app = await start(configWith(file));
    await serveDated(app, "2024-06-01", 2);
    await app.salescast.monitorFile.save(); // what the timer does
    const saved = JSON.parse(await readFile(file, "utf8"));
    expect(saved.recorded.Beauty).toHaveLength(2);
  });

  it("starts empty, moving the file aside, when the file is not a saved state", async () => {
    const file = join(ws.root, "monitor", "corrupt.json");
    await mkdir(join(ws.root, "monitor"), { recursive: true });
    await writeFile(file, '{"format_version": 1, "recorded": {"Beauty": [{"date": 5}]}');
    const logs: string[] = [];
    const app = await start(configWith(file), logs);
    expect(logs.join("")).toMatch(/forecast monitoring starts empty: .*corrupt\.json is not a saved monitor state .*moved to .*corrupt\.json\.unreadable/);
    expect(existsSync(`${file}.unreadable`)).toBe(true);
    expect(app.salescast.monitor.pendingDates().size).toBe(0);
    expect((await app.inject({ method: "POST", url: "/api/predict/Beauty", payload: { series: sampleWindow() } })).statusCode).toBe(200);
  });
});

describe("actuals from a new data file", () => {
  it("scores the recorded forecasts of the dates the sales file gains, each once", async () => {
    const file = join(ws.root, "monitor", "from-data.json");
    const app = await start(configWith(file, { actuals_poll_seconds: 0 }));
    // The file ends on 2024-03-30: forecasts for the next three days.
    const forecast = await serveDated(app, "2024-03-30", 3);
    expect(await app.salescast.actualsWatch.check()).toEqual(new Map()); // nothing in the file for them yet

    await appendFile(ws.csvPath, `2024-03-31,Beauty,${forecast[0] + 2}\n2024-04-01,Beauty,${forecast[1] - 6}\n`);
    const scored = await app.salescast.actualsWatch.check();
    expect(scored).toEqual(new Map([["Beauty", 2]]));
    const live = app.salescast.monitor.live("Beauty");
    expect(live.mae).toBeCloseTo(4, 6);
    expect(live.mase).toBeCloseTo(4 / 20, 6);
    expect(await scoredMetric(app)).toBe(2);
    expect(app.salescast.monitor.pendingDates().get("Beauty")).toEqual(["2024-04-02"]);

    // The same file again scores nothing twice; a later value of the third date is scored.
    expect(await app.salescast.actualsWatch.check()).toEqual(new Map());
    await appendFile(ws.csvPath, `2024-04-02,Beauty,${forecast[2]}\n`);
    expect(await app.salescast.actualsWatch.check()).toEqual(new Map([["Beauty", 1]]));
    expect(app.salescast.monitor.live("Beauty").scored).toBe(3);
  });

  it("logs, and does not throw, when the sales file cannot be read", async () => {
    const logs: string[] = [];
    const config = withOverrides(configWith(join(ws.root, "monitor", "missing-data.json"), { actuals_poll_seconds: 0 }), {
      data: { csv_path: join(ws.root, "gone.csv") },
    });
    const app = await start(config, logs);
    await serveDated(app, "2024-03-30", 1);
    expect(await app.salescast.actualsWatch.check()).toEqual(new Map());
    expect(logs.join("")).toMatch(
      /actuals from the sales file could not be read: the sales data file .*gone\.csv cannot be read \(ENOENT\); check data\.csv_path/,
    );
  });
});
