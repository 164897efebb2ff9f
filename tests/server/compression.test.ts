// Compressed answers (issue 15: the API's JSON and the dashboard's chart bundle went out
// uncompressed). A client that sends Accept-Encoding gets a body that decompresses to exactly
// what a client without it gets; a client without it gets the plain body.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitModel, createWorkspace, sampleWindow, testApp, type Workspace } from "./helpers.js";

let ws: Workspace;
let dashboard: string;
let app: FastifyInstance;
/** A stand-in for the chart bundle: 200 KB of JavaScript text. */
const bundle = Array.from({ length: 4000 }, (_, i) => `export const series${i} = [${i}, ${i * 2}, ${i % 7}];`).join("\n");

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
  dashboard = await mkdtemp(join(tmpdir(), "salescast-dashboard-"));
  await mkdir(join(dashboard, "assets"));
  await writeFile(join(dashboard, "index.html"), `<!doctype html><title>salescast</title>${"<!-- padding -->".repeat(100)}`);
  await writeFile(join(dashboard, "assets", "echarts-abc123.js"), bundle);
  await writeFile(join(dashboard, "assets", "tiny-abc123.css"), "body{margin:0}");
  app = await testApp(ws, { dashboardRoot: dashboard });
});
afterAll(async () => {
  await app?.close();
  await ws?.cleanup();
  await rm(dashboard, { recursive: true, force: true });
});

function decoded(response: LightMyRequestResponse): Buffer {
  const encoding = response.headers["content-encoding"];
  if (encoding === "br") return brotliDecompressSync(response.rawPayload);
  if (encoding === "gzip") return gunzipSync(response.rawPayload);
  expect(encoding).toBeUndefined();
  return response.rawPayload;
}

describe("the API's JSON", () => {
  const batch = { instances: Array.from({ length: 200 }, (_, k) => sampleWindow(14, 100 + k)), horizon: 3 };
  const predict = (headers: Record<string, string>) => app.inject({ method: "POST", url: "/api/predict", payload: batch, headers });

  it("is compressed for a client that accepts gzip or brotli, and decompresses to the same JSON", async () => {
    const plain = await predict({});
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const json = plain.json();
    expect(json.forecasts).toHaveLength(200);
    for (const [accept, encoding] of [
      ["gzip", "gzip"],
      ["br", "br"],
      ["gzip, deflate, br", "br"],
      ["br;q=0, gzip", "gzip"],
    ] as const) {
      const response = await predict({ "accept-encoding": accept });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"], accept).toBe(encoding);
      expect(response.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
      expect(JSON.parse(decoded(response).toString("utf8"))).toEqual(json);
    }
    for (const url of ["/api/series/Beauty", "/docs/json"]) {
      const response = await app.inject({ url, headers: { "accept-encoding": "gzip" } });
      expect(response.headers["content-encoding"], url).toBe("gzip");
      expect(JSON.parse(decoded(response).toString("utf8"))).toEqual((await app.inject(url)).json());
    }
  });

  it("leaves small answers alone: the reference's prediction answer is unchanged", async () => {
    const response = await app.inject({ method: "POST", url: "/api/predict", payload: { series: sampleWindow() }, headers: { "accept-encoding": "gzip, br" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(Object.keys(response.json())).toEqual(["predicted_sales"]);
  });

  it("does not decompress request bodies: a gzip-encoded body is still not JSON", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/predict",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      payload: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
    });
    expect(response.statusCode).toBe(400);
  });
});

describe("the dashboard's files", () => {
  const get = (url: string, accept?: string) => app.inject({ url, headers: accept === undefined ? {} : { "accept-encoding": accept } });

  it("are served compressed in the encoding the browser prefers, decompressing to the file", async () => {
    for (const [accept, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
      ["br;q=0.5, gzip;q=1", "gzip"],
      ["br;q=0, gzip", "gzip"],
      ["*", "br"],
    ] as const) {
      const response = await get("/assets/echarts-abc123.js", accept);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"], accept).toBe(encoding);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      expect(response.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(response.rawPayload.length).toBeLessThan(bundle.length / 3);
      expect(decoded(response).toString("utf8")).toBe(bundle);
    }
    const index = await get("/", "br");
    expect(index.headers["content-encoding"]).toBe("br");
    expect(decoded(index).toString("utf8")).toMatch(/^<!doctype html>/);
  });

  it("are plain for a client that accepts no compression, or refuses every kind", async () => {
    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0", "*;q=0", "deflate"]) {
      const response = await get("/assets/echarts-abc123.js", accept);
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-encoding"], String(accept)).toBeUndefined();
      expect(response.body).toBe(bundle);
    }
    // Too small to be worth compressing: plain whatever the client accepts.
    const tiny = await get("/assets/tiny-abc123.css", "gzip, br");
    expect(tiny.headers["content-encoding"]).toBeUndefined();
    expect(tiny.body).toBe("body{margin:0}");
  });
});
