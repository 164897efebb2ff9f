// Over a real socket: listen on 127.0.0.1, a free port, and talk HTTP with fetch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type ListeningServer, type TrainingRunner } from "../../src/server/index.js";
import type { ProgressSink } from "../../src/training/progress.js";
import type { CategoryResult } from "../../src/training/result.js";
import { commitModel, createWorkspace, parseSse, sampleWindow, type Workspace } from "./helpers.js";

let ws: Workspace;
let server: ListeningServer;
const runs: Array<{ progress: ProgressSink; finish(results: CategoryResult[]): void; signal: AbortSignal }> = [];
const runner: TrainingRunner = (_request, { progress, signal }) =>
  new Promise((resolve) => {
    runs.push({ progress, finish: resolve, signal });
    signal.addEventListener("abort", () => resolve([]));
  });

async function untilRuns(count: number): Promise<void> {
  for (let i = 0; i < 10_000 && runs.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(runs.length).toBeGreaterThanOrEqual(count);
}

beforeAll(async () => {
  ws = await createWorkspace();
  await commitModel(ws.registry, "Beauty");
  server = await startServer(ws.config, { port: 0, logger: false, env: {}, registry: ws.registry, trainingRunner: runner, handleSignals: false });
});
afterAll(async () => {
  await server.close();
  await ws.cleanup();
});

describe("over a real socket", () => {
  it("listens on loopback and answers the reference contract", async () => {
    expect(server.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${server.address}/api/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ series: sampleWindow() }),
    });
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object)).toEqual(["predicted_sales"]);
    const health = await fetch(`${server.address}/api/health`);
    expect(((await health.json()) as { status: string }).status).toBe("ok");
  });

  it("streams server-sent events live while a job runs", async () => {
    const accepted = await fetch(`${server.address}/api/train`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(accepted.status).toBe(202);
    const { job_id: id } = (await accepted.json()) as { job_id: string };
    await untilRuns(1);

    const stream = await fetch(`${server.address}/api/jobs/${id}/events`);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    };
    await readUntil("event: snapshot"); // subscribed: what follows is live
    runs[0].progress.report({ kind: "epoch", category: "Beauty", epoch: 1, maxEpochs: 3, trainLoss: 0.5, valLoss: 0.7, seconds: 0.1, improved: true });
    await readUntil("event: progress");
    runs[0].finish([{ category: "Beauty", status: "ok", epochs: 3, bestEpoch: 3, seconds: 1, version: 2 }]);
    await readUntil("event: end");
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(["snapshot", "progress", "result", "state", "end"]);
    expect(events[0].data.state).toBe("running");
    expect(events[1].data).toMatchObject({ category: "Beauty", epoch: 1, max_epochs: 3, val_loss: 0.7 });
    expect(events[4].data).toMatchObject({ id, state: "succeeded" });
    expect((await reader.read()).done).toBe(true); // the server closed the stream
  });

  it("shuts down gracefully: a request waiting on training gets its answer before the server stops", async () => {
    const waiting = fetch(`${server.address}/api/train?wait=true`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await untilRuns(2);
    await server.close();
    expect(runs[1].signal.aborted).toBe(true);
    const response = await waiting;
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ error: "training_cancelled", message: expect.stringContaining("shut down") });
    await expect(fetch(`${server.address}/api/health`)).rejects.toThrow();
  });
});
