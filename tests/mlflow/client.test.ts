// The HTTP layer and the batching on their own, against a small fake server on 127.0.0.1: what
// a real MLflow server cannot be made to do on demand (answer 503, demand credentials, count calls).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { logBatchBodies, MAX_BATCH_BYTES } from "../../src/tracking/mlflow/mlflow-batch.js";
import { authorizationFromEnv, displayUri, MlflowApiError, MlflowHttp, MlflowUnavailableError } from "../../src/tracking/mlflow/mlflow-http.js";
import { proxyRoot } from "../../src/tracking/mlflow/mlflow-artifacts.js";
import { filterLiteral } from "../../src/tracking/mlflow/mlflow-wire.js";

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let respond: (req: IncomingMessage, res: ServerResponse, n: number) => void = (_req, res) => res.end("{}");

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      respond(req, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  seen = [];
  respond = (_req, res) => res.end("{}");
});

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2000 };

describe("authentication, as MLflow's clients take it from the environment", () => {
  it("sends a bearer token, else basic credentials, else nothing", async () => {
    await new MlflowHttp(base, { env: { MLFLOW_TRACKING_TOKEN: "t0ken" } }).get("experiments/get", { experiment_id: "1" });
    await new MlflowHttp(base, { env: { MLFLOW_TRACKING_USERNAME: "ana", MLFLOW_TRACKING_PASSWORD: "s3cret" } }).get("experiments/get", {});
    await new MlflowHttp(base, { env: {} }).get("experiments/get", {});
    expect(seen.map((s) => s.authorization)).toEqual(["Bearer t0ken", `Basic ${Buffer.from("ana:s3cret").toString("base64")}`, undefined]);
    expect(seen[0].url).toBe("/api/2.0/mlflow/experiments/get?experiment_id=1");
  });

  it("refuses half a basic login, and says which half is missing", () => {
    expect(() => authorizationFromEnv({ MLFLOW_TRACKING_USERNAME: "ana" })).toThrow(/needs both .*\(only the username is set\)/);
    expect(() => authorizationFromEnv({ MLFLOW_TRACKING_PASSWORD: "x" })).toThrow(/only the password is set/);
  });

  it("takes credentials from the URL but never prints them", async () => {
    const http = new MlflowHttp(base.replace("http://", "http://bob:pw@"), { env: {} });
    expect(http.baseUrl).toBe(base);
    await http.get("x", {});
    expect(seen[0].authorization).toBe(`Basic ${Buffer.from("bob:pw").toString("base64")}`);
    expect(displayUri("http://bob:pw@host:5005/")).toBe("http://host:5005");
  });

  it("explains a refused login", async () => {
    respond = (_req, res) => {
      res.statusCode = 401;
      res.end("You are not authenticated");
    };
    const error = await new MlflowHttp(base, { env: {}, retry: fast }).get("x", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowApiError);
    expect((error as Error).message).toMatch(/HTTP 401.*MLFLOW_TRACKING_TOKEN/);
    expect(seen.length).toBe(1); // never retried
  });

  it("refuses URIs that are not an MLflow server", () => {
    expect(() => new MlflowHttp("not a url")).toThrow(/not a valid URL/);
    expect(() => new MlflowHttp("ftp://host/")).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new MlflowHttp("http://host/?x=1")).toThrow(/query or fragment/);
  });
});

describe("retries", () => {
  it("retries 5xx and 429, then succeeds", async () => {
    respond = (_req, res, n) => {
      res.statusCode = n === 1 ? 503 : n === 2 ? 429 : 200;
      res.end(n >= 3 ? '{"ok":true}' : "busy");
    };
    expect(await new MlflowHttp(base, { env: {}, retry: fast }).post("runs/log-batch", { run_id: "r" })).toEqual({ ok: true });
    expect(seen.length).toBe(3);
    expect(seen.every((s) => s.body === '{"run_id":"r"}')).toBe(true);
  });

  it("never retries a 4xx, and keeps MLflow's error code", async () => {
    respond = (_req, res) => {
      res.statusCode = 400;
      res.end(JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "bad key" }));
    };
    const error = (await new MlflowHttp(base, { env: {}, retry: fast }).post("runs/log-batch", {}).catch((e: unknown) => e)) as MlflowApiError;
    expect(error).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
    expect(error.message).toMatch(/bad key/);
    expect(seen.length).toBe(1);
  });

  it("gives up with MlflowUnavailableError naming the server and the last problem", async () => {
    respond = (_req, res) => {
      res.statusCode = 502;
      res.end("bad gateway");
    };
    const error = await new MlflowHttp(base, { env: {}, retry: fast }).get("runs/get", { run_id: "r" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowUnavailableError);
    expect((error as Error).message).toMatch(/after 3 attempts \(last: HTTP 502 bad gateway\)/);
    expect(seen.length).toBe(3);

    const closed = new MlflowHttp("http://127.0.0.1:1", { env: {}, retry: fast });
    await expect(closed.get("x", {})).rejects.toBeInstanceOf(MlflowUnavailableError);
  });
});

describe("log-batch limits", () => {
  const points = (n: number) => Array.from({ length: n }, (_, i) => ({ key: "m", value: i, step: i, timestamp: 1 }));

  it("splits metrics at 1000, params and tags at 100, and 1000 items in all", () => {
    const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: "v" }));
    const tags = Array.from({ length: 30 }, (_, i) => ({ key: `t${i}`, value: "v" }));
    const bodies = logBatchBodies("r", { metrics: points(2500), params, tags });
    for (const body of bodies) {
      expect(body.metrics.length).toBeLessThanOrEqual(1000);
      expect(body.params.length).toBeLessThanOrEqual(100);
      expect(body.tags.length).toBeLessThanOrEqual(100);
      expect(body.metrics.length + body.params.length + body.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(bodies.flatMap((b) => b.metrics.map((m) => m.step))).toEqual(points(2500).map((p) => p.step)); // order kept
    expect(bodies.flatMap((b) => b.params).length).toBe(150);
    expect(bodies.flatMap((b) => b.tags).length).toBe(30);
    expect(logBatchBodies("r", {})).toEqual([]);
  });

  it("keeps each body under MLflow's 1 MB", () => {
    const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: "x".repeat(6000) }));
    const tags = Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: "y".repeat(5000) }));
    const bodies = logBatchBodies("r", { params, tags });
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it("writes NaN and infinities the way protobuf's JSON mapping does", () => {
    const [body] = logBatchBodies("r", { metrics: [NaN, Infinity, -Infinity, 0.5].map((value, step) => ({ key: "m", value, step, timestamp: 1 })) });
    expect(body.metrics.map((m) => m.value)).toEqual(["NaN", "Infinity", "-Infinity", 0.5]);
  });
});

describe("names that reach MLflow", () => {
  it("reads the proxy root of a run's artifact location, and refuses other stores", () => {
    expect(proxyRoot("mlflow-artifacts:/3/abc/artifacts")).toEqual(["3", "abc", "artifacts"]);
    expect(proxyRoot("mlflow-artifacts://mlflow:5005/3/abc/artifacts")).toEqual(["3", "abc", "artifacts"]);
    expect(() => proxyRoot("s3://bucket/3/abc")).toThrow(/--serve-artifacts/);
    expect(() => proxyRoot("mlflow-artifacts:/3/../x")).toThrow(/"\." or "\.\."/);
  });

  it("quotes filter values with the quote they do not contain", () => {
    expect(filterLiteral("Beauty")).toBe("'Beauty'");
    expect(filterLiteral("it's")).toBe(`"it's"`);
    expect(filterLiteral(`it's "x"`)).toBeUndefined();
  });
});
