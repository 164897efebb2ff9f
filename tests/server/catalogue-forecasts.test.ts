// GET /api/forecasts/{level}?format=csv|parquet on a small trained catalogue: a whole level's
// forecasts streamed as CSV, sent as Parquet, the level label percent-encoded when it holds "/";
// and what is refused: an unknown level, a bad format, no catalogue model registered.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadConfiguredData } from "../../src/data/model-data.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { trainCatalogue } from "../../src/training/catalogue/train.js";
import { testApp } from "./helpers.js";

const STORES = 2;
const ITEMS = 6;
let root: string;
let app: FastifyInstance;
let empty: FastifyInstance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-catalogue-api-"));
  const csvPath = join(root, "catalogue.parquet");
  await writeCatalogue(csvPath, { stores: STORES, items: ITEMS, days: 200, seed: 9 });
  const config = configFromDefaults(
    {
      data: {
        csv_path: csvPath,
        date_column: "date",
        value_column: "sales",
        series_key: ["store_id", "item_id"],
        hierarchy: [[], ["store_id"], ["store_id", "item_id"]],
      },
      model: { gbdt: { threads: 1 } },
      catalogue: { horizon: 7, max_rounds: 10, training_days: 60, price_column: null },
    },
    { folder: root },
  );
  await trainCatalogue(config, await loadConfiguredData(config));
  const registryRoot = join(root, "checkpoints");
  app = await testApp({ root, csvPath, registryRoot, config, registry: new LocalRegistry(registryRoot), cleanup: async () => undefined });
  const emptyRoot = join(root, "empty");
  const emptyConfig = configFromDefaults({ data: config.data }, { folder: emptyRoot });
  empty = await testApp({
    root: emptyRoot,
    csvPath,
    registryRoot: join(emptyRoot, "checkpoints"),
    config: emptyConfig,
    registry: new LocalRegistry(join(emptyRoot, "checkpoints")),
    cleanup: async () => undefined,
  });
});
afterAll(async () => {
  await app?.close();
  await empty?.close();
  await rm(root, { recursive: true, force: true });
});

describe("GET /api/forecasts/{level}", () => {
  it("streams a level's forecasts as CSV: every series of the level, each day of the horizon, with intervals", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecasts/store_id%2Fitem_id?format=csv" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = response.body.trim().split("\n");
    expect(lines[0]).toBe("level,series,date,forecast,lo_80,hi_80,lo_95,hi_95");
    expect(lines).toHaveLength(1 + STORES * ITEMS * 7);
    expect(new Set(lines.slice(1).map((line) => line.split(",")[1])).size).toBe(STORES * ITEMS);
    expect(lines.slice(1).every((line) => line.startsWith("store_id/item_id,"))).toBe(true);
  });

  it("answers CSV by default and the total level too", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecasts/total" });
    expect(response.statusCode).toBe(200);
    expect(response.body.trim().split("\n").slice(1)).toHaveLength(7);
  });

  it("sends Parquet with format=parquet", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecasts/store_id?format=parquet" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/vnd.apache.parquet");
    const bytes = response.rawPayload;
    expect(bytes.subarray(0, 4).toString()).toBe("PAR1");
    expect(bytes.subarray(bytes.length - 4).toString()).toBe("PAR1");
  });

  it("answers only the series named (series=…, repeated), in the order named; a name not in the level is a 404 naming it", async () => {
    const whole = (await app.inject({ method: "GET", url: "/api/forecasts/store_id" })).body.trim().split("\n");
    const stores = [...new Set(whole.slice(1).map((line) => line.split(",")[1]))];
    expect(stores).toHaveLength(STORES);
    const url = `/api/forecasts/store_id?series=${encodeURIComponent(stores[1])}&series=${encodeURIComponent(stores[0])}`;
    const response = await app.inject({ method: "GET", url });
    expect(response.statusCode).toBe(200);
    const lines = response.body.trim().split("\n");
    expect(lines[0]).toBe(whole[0]);
    const ofStore = (name: string) => whole.slice(1).filter((line) => line.split(",")[1] === name);
    expect(lines.slice(1)).toEqual([...ofStore(stores[1]), ...ofStore(stores[0])]);
    // One name: a query parameter given once is still a list.
    const one = await app.inject({ method: "GET", url: `/api/forecasts/store_id?series=${encodeURIComponent(stores[0])}` });
    expect(one.body.trim().split("\n").slice(1)).toEqual(ofStore(stores[0]));

    const unknown = await app.inject({ method: "GET", url: `/api/forecasts/store_id?series=${encodeURIComponent(stores[0])}&series=NOWHERE` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toMatch(/level "store_id" of the catalogue model has no series "NOWHERE"/);
  });

  it("refuses an unknown level with 404, naming the levels", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecasts/aisle" });
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/level "aisle" is not a level of the catalogue model \(levels: total, store_id, store_id\/item_id\)/);
  });

  it("refuses a format other than csv or parquet", async () => {
    const response = await app.inject({ method: "GET", url: "/api/forecasts/total?format=xlsx" });
    expect([400, 422]).toContain(response.statusCode);
    expect(response.body).toMatch(/format/);
  });

  it("says to train one when no catalogue model is registered", async () => {
    const response = await empty.inject({ method: "GET", url: "/api/forecasts/total" });
    expect(response.statusCode).toBe(404);
    expect(response.body).toMatch(/train --catalogue/);
  });
});
