// The category the server uses when a request names none (POST /api/predict, POST /api/train,
// the catalog's "default"): data.item_id, or the only series of a one-series file (issue 15),
// resolved by the same function as the CLI (src/data/default-category.ts).
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { defaultCategory } from "../../src/data/default-category.js";
import { commitModel, createWorkspace, testApp, WINDOW, type Workspace } from "./helpers.js";

describe("defaultCategory", () => {
  it("keeps data.item_id when the data has it, or has several categories, or none", () => {
    expect(defaultCategory("Beauty", ["Beauty", "Clothing"])).toEqual({ category: "Beauty" });
    expect(defaultCategory("Beauty", ["A", "B"])).toEqual({ category: "Beauty" });
    expect(defaultCategory("Beauty", [])).toEqual({ category: "Beauty" });
    expect(defaultCategory("Beauty", ["Beauty"])).toEqual({ category: "Beauty" });
  });
  it("uses the only series of the data instead, with a note saying so", () => {
    const chosen = defaultCategory("Beauty", ["Sales"]);
    expect(chosen.category).toBe("Sales");
    expect(chosen.note).toContain('data.item_id is "Beauty", which is not in the data; the data has one series, "Sales": using it');
  });
  it("compares names in NFC, like the data", () => {
    expect(defaultCategory("Cafe\u0301", ["Caf\u00e9", "Tea"])).toEqual({ category: "Caf\u00e9" });
  });
});

describe("the server's default category", () => {
  let ws: Workspace;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await ws?.cleanup();
  });
  const window = Array.from({ length: WINDOW }, (_, i) => 100 + i);

  it("is the only series of a one-series file when data.item_id is not in it", async () => {
    ws = await createWorkspace({ categories: ["Sales"] });
    await commitModel(ws.registry, "Sales");
    app = await testApp(ws);
    const predicted = await app.inject({ method: "POST", url: "/api/predict", payload: { series: window } });
    expect(predicted.statusCode, predicted.body).toBe(200);
    expect(predicted.headers["x-model-version"]).toBe("1");
    expect((await app.inject({ method: "GET", url: "/api/categories" })).json().default).toBe("Sales");
  });

  it("finds a category whose name the path spells in NFD (NFC everywhere, like the data)", async () => {
    ws = await createWorkspace({ categories: ["Caf\u00e9", "Tea"] });
    await commitModel(ws.registry, "Caf\u00e9");
    app = await testApp(ws);
    const nfd = encodeURIComponent("Cafe\u0301");
    const predicted = await app.inject({ method: "POST", url: `/api/predict/${nfd}`, payload: { series: window } });
    expect(predicted.statusCode, predicted.body).toBe(200);
    expect(predicted.headers["x-model-version"]).toBe("1");
    const history = await app.inject({ method: "GET", url: `/api/series/${nfd}` });
    expect(history.statusCode, history.body).toBe(200);
  });

  it("stays data.item_id with several series: a request without a category gets the clear 404", async () => {
    ws = await createWorkspace({ categories: ["A", "B"] });
    await commitModel(ws.registry, "A");
    app = await testApp(ws);
    const predicted = await app.inject({ method: "POST", url: "/api/predict", payload: { series: window } });
    expect(predicted.statusCode).toBe(404);
    expect(predicted.json().message).toContain('"Beauty"');
    expect((await app.inject({ method: "GET", url: "/api/categories" })).json().default).toBe("Beauty");
  });
});

// Issue 14, item 9: /api/series answered 503 "bug: the aggregate counted bad rows but the row
// search found none" for two amounts whose sum overflows. It still answers 503 (the file is the
// server's, not the caller's), now naming the row and the fix.
describe("GET /api/series on amounts whose sum overflows", () => {
  let ws: Workspace;
  let app: FastifyInstance;
  afterEach(async () => {
    await app?.close();
    await ws?.cleanup();
  });

  it("answers 503 naming the row, never the internal 'bug' message", async () => {
    ws = await createWorkspace({ categories: ["A"] });
    const { appendFile } = await import("node:fs/promises");
    await appendFile(ws.csvPath, "2024-01-06,A,1e308\n2024-01-06,A,1e308\n");
    app = await testApp(ws);
    const response = await app.inject({ method: "GET", url: "/api/series/A" });
    expect(response.statusCode).toBe(503);
    const { error, message } = response.json();
    expect(error).toBe("data_unavailable");
    expect(message).toContain('"1e308" in column "Total Amount" is the largest amount of "A"');
    expect(message).toContain("too large to compute with");
    expect(message).not.toContain("bug");
  });
});
