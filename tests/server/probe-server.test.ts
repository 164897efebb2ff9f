// The HTTP server's findings of the adversarial probe (issue 14): one test (or a few) per case,
// each failing if the defect came back. Numbers are the issue's. The child-process cases (#5,
// and #10 through the CLI) are in tests/reliability/serve-output.test.ts and
// tests/reliability/read-only-store.test.ts.
import { writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config/schema.js";
import { buildApp } from "../../src/server/app.js";
import { listen, type ListeningServer } from "../../src/server/listen.js";
import type { TrainingRunner } from "../../src/server/index.js";
import { commitModel, createWorkspace, sampleWindow, testApp, type Workspace } from "./helpers.js";

/** A training that finishes at once without training anything (these tests look at what happens before). */
const instantTraining: TrainingRunner = async (request) =>
  request.categories.map((category) => ({ category, status: "skipped" as const, reason: "not trained in this test", epochs: 0, bestEpoch: 0, seconds: 0 }));

let ws: Workspace;
beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
});
afterAll(() => ws?.cleanup());

function withApp(app: Partial<Config["app"]>, train: Partial<Config["train"]> = {}, tracking: Partial<Config["tracking"]> = {}): Config {
  return { ...ws.config, app: { ...ws.config.app, ...app }, train: { ...ws.config.train, ...train }, tracking: { ...ws.config.tracking, ...tracking } };
}

/** `count` distinct windows of whole numbers (short in JSON, like the probe's), so a mix-up between slices would show. */
function windows(count: number): number[][] {
  return Array.from({ length: count }, (_, k) => Array.from({ length: 14 }, (_, i) => 100 + (k % 50) + ((i * 7) % 13)));
}

describe("#2 the work of one prediction request is bounded, and big batches do not block the server", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(ws);
  });
  afterAll(() => app?.close());

  it("answers the probe's request (10,000 windows × 365 steps) with 413, naming the limit and how to split it", async () => {
    const response = await app.inject({ method: "POST", url: "/api/predict", payload: { instances: windows(10_000), horizon: 365 } });
    expect(response.statusCode, response.body).toBe(413);
    const body = response.json();
    expect(body.error).toBe("forecast_too_large");
    expect(body.message).toContain("3,650,000 forecast values (10,000 windows × horizon 365)");
    expect(body.message).toContain("100,000 one request may ask for (app.max_forecast_values)");
    expect(body.message).toContain("at most 273 windows per request at this horizon");
  });

  it("answers a batch at the limit, and the single window at the longest horizon always", async () => {
    const atLimit = await app.inject({ method: "POST", url: "/api/predict", payload: { instances: windows(273), horizon: 365 } });
    expect(atLimit.statusCode, atLimit.body.slice(0, 200)).toBe(200);
    expect(atLimit.json().forecasts).toHaveLength(273);
    const single = await app.inject({ method: "POST", url: "/api/predict", payload: { series: sampleWindow(), horizon: 365 } });
    expect(single.statusCode).toBe(200);
    expect(single.json().forecast).toHaveLength(365);
  });

  it("documents 413 on the predict routes and states the limit in the OpenAPI document", async () => {
    const doc = (await app.inject("/docs/json")).json();
    for (const path of ["/api/predict", "/api/predict/{category}"]) {
      const operation = doc.paths[path].post;
      expect(Object.keys(operation.responses)).toContain("413");
      expect(operation.requestBody.content["application/json"].schema.properties.instances.description).toMatch(
        /at most 100,000 forecast values .*app\.max_forecast_values/,
      );
    }
  });

  it("the limit and the slice size come from app.max_forecast_values and app.forecast_chunk_values; a limit under 365 is refused at start", async () => {
    const small = await testApp(ws, { config: withApp({ max_forecast_values: 1000 }) });
    try {
      const refused = await small.inject({ method: "POST", url: "/api/predict", payload: { instances: windows(3), horizon: 365 } });
      expect(refused.statusCode).toBe(413);
      expect(refused.json().message).toContain("more than the 1,000 one request");
    } finally {
      await small.close();
    }
    await expect(buildApp({ config: withApp({ max_forecast_values: 364 }), logger: false, env: {} })).rejects.toThrow(
      /app\.max_forecast_values must be at least 365/,
    );
  });

  it("computes a batch slice by slice with the same answers as one call, and names the request's own instance in errors", async () => {
    const sliced = await testApp(ws, { config: withApp({ forecast_chunk_values: 20 }) });
    try {
      const batch = windows(45);
      const whole = (await app.inject({ method: "POST", url: "/api/predict", payload: { instances: batch, horizon: 7 } })).json();
      const inSlices = await sliced.inject({ method: "POST", url: "/api/predict", payload: { instances: batch, horizon: 7 } });
      expect(inSlices.statusCode).toBe(200);
      // 45 windows in slices of 2 (20 values / 7 steps). The engine's batched kernels round a
      // little differently with the batch size, so equal within float32 rounding.
      const got = inSlices.json();
      expect(got.forecasts).toHaveLength(45);
      got.forecasts.forEach((steps: number[], b: number) => {
        expect(steps).toHaveLength(7);
        steps.forEach((value, h) => expect(Math.abs(value - whole.forecasts[b][h])).toBeLessThan(1e-4 * Math.abs(whole.forecasts[b][h])));
      });
      expect(got.predictions).toEqual(got.forecasts.map((steps: number[]) => steps[0]));
      const bad = batch.map((w) => [...w]);
      bad[30] = bad[30].slice(0, 5);
      const refused = await sliced.inject({ method: "POST", url: "/api/predict", payload: { instances: bad, horizon: 7 } });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().message).toMatch(/^instances\[30\]: Series must contain exactly 14 values, got 5/);
    } finally {
      await sliced.close();
    }
  });

  it("answers GET /api/health over a real socket while a big allowed request is being computed", async () => {
    const app = await buildApp({
      config: withApp({ max_forecast_values: 2_000_000, forecast_chunk_values: 1000 }),
      logger: false,
      env: {},
      registry: ws.registry,
      modelRefreshMs: 60_000, // the model is found in memory: nothing but the forecast itself runs once the handler starts
    });
    // Told when the prediction's handler is about to run (the body has been read and checked).
    let computing!: () => void;
    const started = new Promise<void>((resolve) => (computing = resolve));
    app.addHook("preHandler", (request, _reply, done) => {
      if (request.url === "/api/predict" && (request.body as { instances?: unknown[] }).instances?.length === 5000) computing();
      done();
    });
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    try {
      const post = (payload: unknown) =>
        fetch(`${server.address}/api/predict`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(payload) });
      expect((await post({ series: sampleWindow() })).status).toBe(200); // loads the model
      const order: string[] = [];
      const big = post({ instances: windows(5000), horizon: 100 }).then(async (response) => {
        order.push("big");
        return { status: response.status, body: (await response.json()) as { forecasts: number[][] } };
      });
      await Promise.race([started, big.then((answer) => Promise.reject(new Error(`the big request ended before its handler ran: ${answer.status}`)))]);
      const health = await fetch(`${server.address}/api/health`);
      order.push("health");
      expect(health.status).toBe(200);
      const answer = await big;
      expect(answer.status).toBe(200);
      expect(answer.body.forecasts).toHaveLength(5000);
      // Without slices, the whole batch (500 slices of 1,000 values here) would run before the
      // server even read the health request, and the big answer would come first.
      expect(order).toEqual(["health", "big"]);
    } finally {
      await server.close();
    }
  }, 120_000);
  it("stops computing a big batch when its client hangs up", async () => {
    const app = await buildApp({
      config: withApp({ max_forecast_values: 2_000_000, forecast_chunk_values: 1000 }),
      logger: false,
      env: {},
      registry: ws.registry,
      modelRefreshMs: 60_000,
      // The hooks below watch for the client's request: listen()'s warm-up must not trip them.
      warmUpRequests: 0,
    });
    let computing!: () => void;
    const started = new Promise<void>((resolve) => (computing = resolve));
    let answered!: (status: number) => void;
    const ended = new Promise<number>((resolve) => (answered = resolve));
    app.addHook("preHandler", (request, _reply, done) => {
      if (request.url === "/api/predict/Beauty") computing();
      done();
    });
    // The answer cannot reach a client that has gone; the error the handler ends with can be seen.
    app.addHook("onError", (request, _reply, error, done) => {
      if (request.url === "/api/predict/Beauty") answered((error as { statusCode?: number }).statusCode ?? 0);
      done();
    });
    const server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    try {
      await app.salescast.models.get("Beauty");
      const client = new AbortController();
      const big = fetch(`${server.address}/api/predict/Beauty`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ instances: windows(5000), horizon: 100 }),
        signal: client.signal,
      }).catch(() => "aborted");
      await started;
      client.abort();
      expect(await big).toBe("aborted");
      // The work ends at the next slice as "client closed request", and no prediction is counted.
      expect(await ended).toBe(499);
      expect(await app.salescast.metrics.registry.getSingleMetricAsString("salescast_predictions_total")).not.toMatch(/category="Beauty"/);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe("#11 an API key with spaces", () => {
  const passphrase = "my long secret passphrase";

  it("is accepted at start and, sent exactly, opens the training routes", async () => {
    const app = await testApp(ws, { host: "0.0.0.0", env: { SALESCAST_API_KEY: passphrase }, trainingRunner: instantTraining });
    try {
      const train = (authorization?: string) => app.inject({ method: "POST", url: "/api/train", payload: {}, headers: authorization ? { authorization } : {} });
      expect((await train(`Bearer ${passphrase}`)).statusCode).toBe(202);
      expect((await train(`bearer   ${passphrase}  `)).statusCode).toBe(202);
      expect((await train("Bearer my")).statusCode).toBe(401); // the first word alone is not the key
      expect((await train(`Bearer ${passphrase.replaceAll(" ", "")}`)).statusCode).toBe(401);
      expect((await train("Bearer ")).json().message).toMatch(/needs the API key/);
    } finally {
      await app.close();
    }
  });

  it("a key an HTTP header cannot carry (a tab, a control character, beyond ASCII) is refused at start, saying which character", async () => {
    const start = (key: string) => buildApp({ config: ws.config, logger: false, env: { SALESCAST_API_KEY: key }, host: "0.0.0.0" });
    await expect(start("secret\twith-a-tab-inside")).rejects.toThrow(/SALESCAST_API_KEY has a character an HTTP header cannot carry .*U\+0009 at position 7/);
    await expect(start("geheimes-passwort-müller")).rejects.toThrow(/U\+00FC at position 20.*printable ASCII/);
  });
});

describe("#12 a JSON number out of range", () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(ws);
  });
  afterAll(() => app?.close());

  it("is reported as out of range (not finite), not as 'must be a number (got null)'", async () => {
    const cases: Array<[string, RegExp]> = [
      [`{"series":[${sampleWindow(13).join(",")},1e999]}`, /^body\.series\[13\] is out of range: a number beyond ±1\.8e308 \(such as 1e999\) is not finite/],
      [`{"series":[-1e999]}`, /^body\.series\[0\] is out of range: .*such as -1e999/],
      [`{"series":[${sampleWindow().join(",")}],"horizon":1e999}`, /^body\.horizon is out of range/],
    ];
    for (const [text, message] of cases) {
      const response = await app.inject({ method: "POST", url: "/api/predict", headers: { "content-type": "application/json" }, payload: text });
      expect(response.statusCode).toBe(422);
      expect(response.json().message).toMatch(message);
      expect(response.json().message).not.toContain("got null");
    }
  });
});

/** Writes `request` on a raw socket, all of it, before reading anything; resolves with what the server sent. */
function sendAllThenRead(server: ListeningServer, request: Buffer[]): Promise<{ wrote: boolean; text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(server.port, "127.0.0.1");
    const received: Buffer[] = [];
    let wrote = false;
    let error: string | undefined;
    socket.on("error", (e: NodeJS.ErrnoException) => (error ??= e.code ?? e.message));
    socket.on("close", () => resolve({ wrote, text: Buffer.concat(received).toString("utf8"), error }));
    socket.on("connect", () => {
      // Like Python's http.client: the whole request goes out before the answer is read.
      socket.pause();
      let pending = request.length;
      for (const part of request) {
        socket.write(part, (e) => {
          if (!e && --pending === 0) {
            wrote = true;
            socket.on("data", (chunk) => received.push(chunk));
            socket.resume();
          }
        });
      }
    });
  });
}

describe("#13 a body over the limit from a client that writes it all before reading", () => {
  let server: ListeningServer;
  beforeAll(async () => {
    const app = await buildApp({ config: ws.config, logger: false, env: {}, registry: ws.registry });
    server = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
  });
  afterAll(() => server?.close());

  // 16 MiB: far more than the kernel's socket buffers hold, so the write completes only if the
  // server reads it.
  const body = Buffer.from(`{"series":[${"1,".repeat(8 * 1024 * 1024 - 1)}1]}`);

  it("gets the documented 413 (with Content-Length), not a broken pipe", async () => {
    const head = `POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await sendAllThenRead(server, [Buffer.from(head), body]);
    expect(answer.error).toBeUndefined();
    expect(answer.wrote).toBe(true);
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.text).toContain('"error":"payload_too_large"');
  }, 60_000);

  it("gets the 413 with a chunked body too", async () => {
    const head = "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    const chunks = [];
    for (let at = 0; at < body.length; at += 1 << 20) {
      const part = body.subarray(at, at + (1 << 20));
      chunks.push(Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from("\r\n"));
    }
    const answer = await sendAllThenRead(server, [Buffer.from(head), ...chunks, Buffer.from("0\r\n\r\n")]);
    expect(answer.error).toBeUndefined();
    expect(answer.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.text).toContain('"error":"payload_too_large"');
  }, 60_000);

  it("is not read beyond app.body_drain_limit: a declared body over it is answered at once", async () => {
    const app = await buildApp({ config: withApp({ body_drain_limit: 1024 * 1024 }), logger: false, env: {}, registry: ws.registry });
    const small = await listen(app, { host: "127.0.0.1", port: 0, handleSignals: false });
    try {
      // Only the head is sent: the answer must come without waiting for 16 MiB that never arrive.
      const socket = connect(small.port, "127.0.0.1");
      const text = await new Promise<string>((resolve) => {
        let data = "";
        socket.on("data", (chunk) => (data += chunk));
        socket.on("close", () => resolve(data));
        socket.on("error", () => undefined);
        socket.write(`POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
      });
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
    } finally {
      await small.close();
    }
  });
});

describe("#10 a tracking store or registry the server cannot write", () => {
  it("POST /api/train answers 503 at once naming the setting, with no server path in the body", async () => {
    const file = join(ws.root, "a-regular-file");
    await writeFile(file, "not a folder\n");
    const cases: Array<[Config, string]> = [
      [withApp({}, {}, { uri: join(file, "mlruns") }), "tracking.uri"],
      [withApp({}, { checkpoint_path: join(file, "checkpoints", "model.ckpt") }), "train.checkpoint_path"],
    ];
    for (const [config, setting] of cases) {
      const app = await testApp(ws, { config, trainingRunner: instantTraining });
      try {
        for (const url of ["/api/train?wait=true", "/api/train", "/api/train_all"]) {
          const response = await app.inject({ method: "POST", url, payload: {} });
          expect(response.statusCode, `${url}: ${response.body}`).toBe(503);
          const body = response.json();
          expect(body.error).toBe("storage_not_writable");
          expect(body.message).toContain(`(${setting}) cannot be written by the server (a part of its path is a file, not a folder)`);
          expect(response.body).not.toContain(ws.root);
          expect(response.body).not.toMatch(/E[A-Z]{3,} |mkdir|\/tmp/);
        }
        expect(app.salescast.jobs.list()).toEqual([]); // refused before any job existed
      } finally {
        await app.close();
      }
    }
  });
});
