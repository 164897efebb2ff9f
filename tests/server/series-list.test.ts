// GET /api/series (one page of a catalogue's series, by search and hierarchy level) on a small
// generated catalogue, and series names holding "/", "%", spaces and unicode in URL paths:
// GET /api/series/{name} and POST /api/predict/{name} with the name percent-encoded.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { MAX_PAGE_SIZE } from "../../src/server/routes/series-list.js";
import { commitModel, createWorkspace, dailyDates, sampleWindow, testApp, WINDOW, type Workspace } from "./helpers.js";

const STORES = 3;
const ITEMS = 40;
const HIERARCHY = [[], ["state_id"], ["store_id"], ["dept_id"], ["store_id", "item_id"]];

let root: string;
const apps: FastifyInstance[] = [];

/** An app serving the keyed file `csvPath` (data.series_key [store_id, item_id]). */
async function keyedApp(csvPath: string, hierarchy: string[][]): Promise<{ app: FastifyInstance; registry: LocalRegistry }> {
  const registryRoot = join(root, `checkpoints-${apps.length}`);
  const config = configFromDefaults(
    {
      data: { csv_path: csvPath, date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"], hierarchy, window_size: WINDOW },
      model: { conv_channels: 4, lstm_hidden: 8 },
      train: { mlflow_tracking_uri: "" },
    },
    { folder: root },
  );
  const registry = new LocalRegistry(registryRoot);
  const ws = { root, csvPath, registryRoot, config, registry, cleanup: async () => undefined } satisfies Workspace;
  const app = await testApp(ws);
  apps.push(app);
  return { app, registry };
}

let catalogue: FastifyInstance;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-series-list-"));
  await writeCatalogue(join(root, "catalogue.csv"), { stores: STORES, items: ITEMS, days: 60, seed: 3 });
  catalogue = (await keyedApp(join(root, "catalogue.csv"), HIERARCHY)).app;
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await rm(root, { recursive: true, force: true });
});

const list = (query: string, app = catalogue) => app.inject({ method: "GET", url: `/api/series${query}` });

describe("GET /api/series on a catalogue", () => {
  it("lists the bottom series one page at a time, in natural order, every series exactly once over the pages", async () => {
    const first = await list("?page_size=50");
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ level: "store_id/item_id", search: "", page: 1, page_size: 50, total_count: STORES * ITEMS });
    expect(body.series).toHaveLength(50);
    expect(body.series[0]).toEqual({
      name: `${body.series[0].parts[0]}/${body.series[0].parts[1]}`,
      parts: [expect.stringMatching(/^(CA|TX|WI)_\d+$/), expect.stringMatching(/^[A-Z]+_\d_\d{3}$/)],
      level: "store_id/item_id",
      first_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      last_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      periods: expect.any(Number),
      total: expect.any(Number),
      has_model: false,
    });
    expect(body.levels.map((l: { label: string }) => l.label)).toEqual(["store_id/item_id", "total", "state_id", "store_id", "dept_id"]);
    expect(body.levels[0]).toEqual({ label: "store_id/item_id", columns: ["store_id", "item_id"], bottom: true, series: STORES * ITEMS, child_level: null });
    expect(body).toMatchObject({ parent_level: null, parent: null });

    const pages = [body.series];
    for (const page of [2, 3]) pages.push((await list(`?page_size=50&page=${page}`)).json().series);
    const names = pages.flat().map((s: { name: string }) => s.name);
    expect(names).toHaveLength(STORES * ITEMS);
    expect(new Set(names).size).toBe(STORES * ITEMS);
    const sorted = [...names].sort(new Intl.Collator("en", { numeric: true }).compare);
    expect(names).toEqual(sorted);
    // The same names GET /api/categories lists, nothing more or less.
    const categories = (await catalogue.inject({ method: "GET", url: "/api/categories" })).json().categories.map((c: { name: string }) => c.name);
    expect(new Set(names)).toEqual(new Set(categories));
  });

  it("a page past the end is empty and still counts the matches", async () => {
    const past = (await list("?page=99&page_size=10")).json();
    expect(past).toMatchObject({ page: 99, total_count: STORES * ITEMS, series: [] });
  });

  it("first/last date, periods and total agree with the series itself", async () => {
    const one = (await list("?page_size=1&page=7")).json().series[0];
    const full = (await catalogue.inject({ method: "GET", url: `/api/series/${encodeURIComponent(one.name)}` })).json();
    expect(one.first_date).toBe(full.dates[0]);
    expect(one.last_date).toBe(full.dates[full.dates.length - 1]);
    expect(one.periods).toBe(full.values.length);
    expect(one.total).toBeCloseTo(
      full.values.reduce((a: number, b: number) => a + b, 0),
      6,
    );
  });

  it("search: case-insensitive on the name, every word must match", async () => {
    const all = (await list(`?page_size=${MAX_PAGE_SIZE}`)).json().series.map((s: { name: string }) => s.name);
    const foods = (await list(`?search=foods&page_size=${MAX_PAGE_SIZE}`)).json();
    const expected = all.filter((name: string) => name.toLowerCase().includes("foods"));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    expect(foods.total_count).toBe(expected.length);
    expect(foods.series.map((s: { name: string }) => s.name)).toEqual(expected);

    const both = (await list(`?search=${encodeURIComponent("ca_1  FOODS")}&page_size=${MAX_PAGE_SIZE}`)).json();
    const expectedBoth = all.filter((name: string) => name.startsWith("CA_1/") && name.includes("FOODS"));
    expect(both.series.map((s: { name: string }) => s.name)).toEqual(expectedBoth);
    expect(both.total_count).toBe(expectedBoth.length);

    // Paging within a search: page 2 of 3 per page is the 4th to 6th match.
    const page2 = (await list("?search=foods&page_size=3&page=2")).json();
    expect(page2.series.map((s: { name: string }) => s.name)).toEqual(expected.slice(3, 6));
    expect(page2.total_count).toBe(expected.length);

    const none = (await list("?search=nothing-like-this")).json();
    expect(none).toMatchObject({ total_count: 0, series: [] });
  });

  it("level=<label> lists that level's aggregates, with their totals the sums of their bottom series", async () => {
    const stores = (await list("?level=store_id")).json();
    expect(stores).toMatchObject({ level: "store_id", total_count: STORES });
    expect(stores.series.map((s: { name: string }) => s.name)).toEqual(["CA_1", "CA_2", "TX_1"]);
    const bottom = (await list(`?search=CA_1/&page_size=${MAX_PAGE_SIZE}`)).json().series;
    const ca1 = bottom.reduce((sum: number, s: { total: number }) => sum + s.total, 0);
    expect(stores.series[0]).toMatchObject({ parts: ["CA_1"], level: "store_id" });
    expect(stores.series[0].total).toBeCloseTo(ca1, 6);

    const total = (await list("?level=total")).json();
    expect(total.series).toEqual([expect.objectContaining({ name: "total", parts: [], level: "total" })]);
    // The aggregate's values: GET /api/series/{name}?level=.
    const ca1Series = await catalogue.inject({ method: "GET", url: "/api/series/CA_1?level=store_id" });
    expect(ca1Series.statusCode).toBe(200);
    expect(ca1Series.json().values.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(ca1, 6);
    // Without the level, "CA_1" is no bottom series.
    const notBottom = await catalogue.inject({ method: "GET", url: "/api/series/CA_1" });
    expect(notBottom.statusCode).toBe(404);
    expect(notBottom.json().message).toMatch(/and \d+ more \(GET \/api\/series\?search=/);
  });

  it("bad input: page 0, a page size beyond the bound, non-numbers, unknown fields and levels", async () => {
    const cases: [string, number, string, RegExp][] = [
      ["?page=0", 422, "validation_error", /querystring\.page must be a whole number from 1 to 1,000,000 \(got 0\)/],
      [
        "?page_size=1000000",
        422,
        "validation_error",
        new RegExp(`querystring\\.page_size must be a whole number from 1 to ${MAX_PAGE_SIZE} \\(got 1000000\\)`),
      ],
      ["?page_size=0", 422, "validation_error", /page_size must be a whole number from 1/],
      ["?page=-1", 422, "validation_error", /querystring\.page must match pattern/],
      ["?page=1.5", 422, "validation_error", /querystring\.page must match pattern/],
      ["?page_size=ten", 422, "validation_error", /querystring\.page_size must match pattern/],
      ["?sort=name", 422, "validation_error", /unknown field "sort"; allowed fields: search, level, page, page_size, parent_level, parent/],
      [`?search=${"x".repeat(201)}`, 422, "validation_error", /querystring\.search/],
      ["?level=region", 404, "unknown_level", /level "region" is not in the data\. Levels: store_id\/item_id, total, state_id, store_id, dept_id/],
      ["?level=", 422, "validation_error", /querystring\.level/],
    ];
    for (const [query, status, code, message] of cases) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(status);
      expect(response.json(), query).toEqual({ error: code, message: expect.stringMatching(message) });
    }
    const unknownAtLevel = await catalogue.inject({ method: "GET", url: "/api/series/CA_1?level=region" });
    expect(unknownAtLevel.statusCode).toBe(404);
    expect(unknownAtLevel.json().error).toBe("unknown_level");
  });
});

describe("GET /api/series drill-down: child_level and parent_level/parent", () => {
  type Listed = { name: string; parts: string[]; total: number };
  const names = (body: { series: Listed[] }) => body.series.map((s) => s.name);

  it("each level names the level its series drill down to, following data.hierarchy", async () => {
    const levels = (await list("?page_size=1")).json().levels as { label: string; child_level: string | null }[];
    // [dept_id] does not nest in a store (a department spans every store): a store drills to its items.
    expect(Object.fromEntries(levels.map((l) => [l.label, l.child_level]))).toEqual({
      total: "state_id",
      state_id: "store_id",
      store_id: "store_id/item_id",
      dept_id: "store_id/item_id",
      "store_id/item_id": null,
    });
  });

  it("lists the children of one series: total → states → stores → items, their totals adding up to the parent's", async () => {
    const total = (await list("?level=total")).json().series[0] as Listed;
    const states = (await list("?level=state_id&parent_level=total&parent=total")).json();
    expect(states).toMatchObject({ level: "state_id", parent_level: "total", parent: "total", total_count: 2 });
    expect(names(states)).toEqual(["CA", "TX"]);
    expect(states.series.reduce((sum: number, s: Listed) => sum + s.total, 0)).toBeCloseTo(total.total, 6);

    const caStores = (await list("?level=store_id&parent_level=state_id&parent=CA")).json();
    expect(names(caStores)).toEqual(["CA_1", "CA_2"]);
    expect(caStores.series.reduce((sum: number, s: Listed) => sum + s.total, 0)).toBeCloseTo(states.series[0].total, 6);

    const items = (await list(`?level=${encodeURIComponent("store_id/item_id")}&parent_level=store_id&parent=CA_2&page_size=${MAX_PAGE_SIZE}`)).json();
    expect(items.total_count).toBe(ITEMS);
    expect(items.series.every((s: Listed) => s.parts[0] === "CA_2")).toBe(true);
    expect(items.series.reduce((sum: number, s: Listed) => sum + s.total, 0)).toBeCloseTo(caStores.series[1].total, 6);

    // Paging and search inside the children; the bottom level is the default level.
    const page2 = (await list("?parent_level=store_id&parent=CA_2&page_size=7&page=2")).json();
    expect(page2).toMatchObject({ level: "store_id/item_id", total_count: ITEMS });
    expect(names(page2)).toEqual(names(items).slice(7, 14));
    const foods = (await list(`?parent_level=store_id&parent=CA_2&search=foods&page_size=${MAX_PAGE_SIZE}`)).json();
    expect(names(foods)).toEqual(names(items).filter((name) => name.includes("FOODS")));

    // A level that does not follow the config order but nests all the same: a department's items in every store.
    const dept = (await list("?level=dept_id&page_size=1")).json().series[0] as Listed;
    const deptItems = (await list(`?parent_level=dept_id&parent=${encodeURIComponent(dept.name)}&page_size=${MAX_PAGE_SIZE}`)).json();
    expect(deptItems.total_count).toBeGreaterThan(0);
    expect(deptItems.series.every((s: Listed) => s.parts[1].startsWith(`${dept.name}_`))).toBe(true);
    expect(deptItems.series.reduce((sum: number, s: Listed) => sum + s.total, 0)).toBeCloseTo(dept.total, 6);
  });

  it("has_model marks the bottom series with a registered model", async () => {
    const { app, registry } = await keyedApp(join(root, "catalogue.csv"), HIERARCHY);
    const first = (await list("?page_size=3", app)).json().series as Listed[];
    await commitModel(registry, first[1].name);
    const again = (await list("?page_size=3", app)).json().series as { name: string; has_model: boolean }[];
    expect(again.map((s) => s.has_model)).toEqual([false, true, false]);
    const stores = (await list("?level=store_id", app)).json().series as { has_model: boolean }[];
    expect(stores.every((s) => !s.has_model)).toBe(true);
  });

  it("bad input: a parent without its level, an unknown parent or parent level, a level that does not nest", async () => {
    const cases: [string, number, string, RegExp][] = [
      ["?parent=CA", 422, "validation_error", /parent and querystring\.parent_level go together/],
      ["?parent_level=state_id", 422, "validation_error", /parent and querystring\.parent_level go together/],
      [
        "?parent_level=state_id&parent=NY",
        404,
        "unknown_category",
        /parent "NY" is not a series of level "state_id" \(GET \/api\/series\?level=state_id lists them\)/,
      ],
      ["?parent_level=region&parent=CA", 404, "unknown_level", /level "region" is not in the data/],
      [
        "?level=dept_id&parent_level=store_id&parent=CA_1",
        422,
        "validation_error",
        /level "dept_id" does not nest in "store_id": .* Levels that do: store_id\/item_id$/,
      ],
      ["?parent_level=&parent=CA", 422, "validation_error", /querystring\.parent_level/],
    ];
    for (const [query, status, code, message] of cases) {
      const response = await list(query);
      expect(response.statusCode, query).toBe(status);
      expect(response.json(), query).toEqual({ error: code, message: expect.stringMatching(message) });
    }
  });
});

describe("GET /api/series on a file without data.series_key", () => {
  it("lists its categories as one level, 'category'", async () => {
    const ws = await createWorkspace({ categories: ["Beauty", "Clothing", "Électronique"] });
    try {
      const app = await testApp(ws);
      apps.push(app);
      const body = (await list("?search=%C3%A9LEC", app)).json();
      expect(body).toMatchObject({
        level: "category",
        total_count: 1,
        levels: [{ label: "category", columns: [], bottom: true, series: 3, child_level: null }],
      });
      expect(body.series[0]).toMatchObject({ name: "Électronique", parts: ["Électronique"], first_date: "2024-01-01", periods: 90 });
      // "é" spelled as "e" + combining accent finds the same (NFC).
      const decomposed = (await list(`?search=${encodeURIComponent("E\u0301lec")}`, app)).json();
      expect(decomposed.total_count).toBe(1);
    } finally {
      await ws.cleanup();
    }
  });
});

describe("series names with '/', '%', spaces and unicode in URL paths", () => {
  // Keys whose parts hold a "/" and a "%" (written %2F and %25 in the name), a space and an accent.
  const KEYS = [
    ["CA_1", "FOODS_3_090"],
    ["A/B", "x%y"],
    ["CA 1", "café crème"],
  ];
  const NAMES = ["CA_1/FOODS_3_090", "A%2FB/x%25y", "CA 1/café crème"];
  let app: FastifyInstance;
  let registry: LocalRegistry;

  beforeAll(async () => {
    const dates = dailyDates(30);
    const lines = ["date,store_id,item_id,sales"];
    KEYS.forEach(([store, item], k) => dates.forEach((date, i) => lines.push(`${date},"${store}","${item}",${10 * (k + 1) + (i % 7)}`)));
    await writeFile(join(root, "odd-keys.csv"), `${lines.join("\n")}\n`);
    ({ app, registry } = await keyedApp(join(root, "odd-keys.csv"), [[], ["store_id"]]));
  });

  it("the list names them as series-key.ts does, and search finds a part as written", async () => {
    const body = (await list("?page_size=10", app)).json();
    expect(new Set(body.series.map((s: { name: string }) => s.name))).toEqual(new Set(NAMES));
    const slash = (await list(`?search=${encodeURIComponent("a/b")}`, app)).json();
    expect(slash.series).toEqual([expect.objectContaining({ name: "A%2FB/x%25y", parts: ["A/B", "x%y"] })]);
    const stores = (await list("?level=store_id", app)).json();
    // A one-column level's names are its values as written (series-key.ts encodes only joined keys).
    expect(new Set(stores.series.map((s: { name: string }) => s.name))).toEqual(new Set(["CA_1", "A/B", "CA 1"]));
  });

  it("GET /api/series/{name} and /latest answer each name sent percent-encoded", async () => {
    for (const [k, name] of NAMES.entries()) {
      const response = await app.inject({ method: "GET", url: `/api/series/${encodeURIComponent(name)}` });
      expect(response.statusCode, name).toBe(200);
      expect(response.json().category).toBe(name);
      expect(response.json().values.slice(0, 3)).toEqual([10 * (k + 1), 10 * (k + 1) + 1, 10 * (k + 1) + 2]);
      const latest = await app.inject({ method: "GET", url: `/api/series/${encodeURIComponent(name)}/latest` });
      expect(latest.statusCode, name).toBe(200);
      expect(latest.json()).toMatchObject({ category: name, window_size: WINDOW });
    }
    // An aggregate whose name holds a "/".
    const store = await app.inject({ method: "GET", url: `/api/series/${encodeURIComponent("A/B")}?level=store_id` });
    expect(store.statusCode).toBe(200);
    expect(store.json().values[0]).toBe(20);
    // The "/" left unencoded is another path, answered clearly (not a different series).
    const raw = await app.inject({ method: "GET", url: "/api/series/CA_1/FOODS_3_090" });
    expect(raw.statusCode).toBe(404);
    expect(raw.json().error).toBe("route_not_found");
  });

  it("POST /api/predict/{name} reaches each name's own model", async () => {
    for (const [k, name] of NAMES.entries()) await commitModel(registry, name, { seed: k + 1 });
    const answers: number[] = [];
    for (const name of NAMES) {
      const response = await app.inject({ method: "POST", url: `/api/predict/${encodeURIComponent(name)}`, payload: { series: sampleWindow() } });
      expect(response.statusCode, name).toBe(200);
      expect(response.headers["x-model-version"]).toBe("1");
      answers.push(response.json().predicted_sales);
    }
    // Three models of different seeds: three different answers, so no name fell back to another's model.
    expect(new Set(answers).size).toBe(NAMES.length);
    const models = (await app.inject({ method: "GET", url: "/api/models" })).json().models.map((m: { category: string }) => m.category);
    expect(new Set(models)).toEqual(new Set(NAMES));
    const unknown = await app.inject({ method: "POST", url: `/api/predict/${encodeURIComponent("CA_1/FOODS_3_091")}`, payload: { series: sampleWindow() } });
    expect(unknown.statusCode).toBe(404);
  });
});
