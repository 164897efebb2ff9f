// An "MLflow server" that accepts connections and never answers (issue 18): a hung server, or
// another program on the configured port. Commands give up after tracking.timeout_seconds (not
// attempts x 30 s), say so while they wait, and end with a message naming what to check; a
// training keeps its model and queues its run. A fake TCP server here accepts and stays silent.
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOverrides } from "../../src/config/overrides.js";
import { loadSales } from "../../src/data/ingest.js";
import { MlflowHttp, MlflowUnavailableError } from "../../src/tracking/mlflow/mlflow-http.js";
import { trainCategory } from "../../src/training/train-category.js";
import { tinyConfig, writeSalesCsv } from "../training/helpers.js";

let silent: Server;
let silentUri: string;
let connections = 0;
const sockets: Socket[] = [];
let root: string;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  silent = createServer((socket) => {
    connections++;
    sockets.push(socket); // kept open, never written to
  });
  silentUri = `http://127.0.0.1:${await listen(silent)}`;
  root = await mkdtemp(join(tmpdir(), "salescast-silent-mlflow-"));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
  await rm(root, { recursive: true, force: true });
});

describe("a server that accepts connections and never answers", () => {
  it("is given up on when the call's total time is spent, with a message saying what to check", async () => {
    const waits: string[] = [];
    // Four attempts of 600 ms would be allowed; the total of 1.5 s leaves room for three at most.
    const http = new MlflowHttp(silentUri, { retry: { attempts: 4, timeoutMs: 600, baseDelayMs: 10, totalMs: 1500 }, onWait: (m) => waits.push(m) });
    const before = connections;
    const error = await http.get("experiments/get-by-name", { experiment_name: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlflowUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/sent no answer to GET \/api\/2\.0\/mlflow\/experiments\/get-by-name within [\d.]+ s \([123] attempts?\)/);
    expect(message).toMatch(/check that tracking\.uri \/ MLFLOW_TRACKING_URI names the MLflow server/);
    expect(message).toMatch(/raise tracking\.timeout_seconds/);
    const attempts = connections - before;
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(3); // the total, not the attempt count, ended it
    expect(waits.length).toBe(attempts - 1);
    for (const wait of waits)
      expect(wait).toMatch(
        /has not answered GET \/api\/2\.0\/mlflow\/experiments\/get-by-name within [\d.]+ s; trying again, giving up 1\.5 s after the first try/,
      );
  });

  it("is told apart from a server that is not running (connection refused)", async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const http = new MlflowHttp(`http://127.0.0.1:${port}`, { retry: { attempts: 2, timeoutMs: 2000, baseDelayMs: 10, totalMs: 5000 } });
    const error = (await http.get("experiments/list").catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MlflowUnavailableError);
    expect(error.message).toMatch(/did not answer GET \/api\/2\.0\/mlflow\/experiments\/list after 2 attempts \(last: ECONNREFUSED\)\. Is it running\?/);
    expect(error.message).not.toMatch(/sent no answer/);
  });

  it("refuses a total time that is not positive", () => {
    expect(() => new MlflowHttp(silentUri, { retry: { totalMs: 0 } })).toThrow(/totalMs must be a number > 0, got 0/);
  });

  it("costs `train` tracking.timeout_seconds, says so while waiting, and keeps the model with its run queued", async () => {
    await writeSalesCsv(join(root, "sales.csv"), { categories: ["A"], days: 90 });
    const config = withOverrides(tinyConfig({ root, maxEpochs: 1 }), { tracking: { uri: silentUri, timeout_seconds: 2 } });
    const messages: string[] = [];
    const result = await trainCategory(config, "A", {
      data: await loadSales(config.data),
      progress: { report: (event) => void (event.kind === "message" && messages.push(event.text)) },
    });
    expect(result.status, result.reason).toBe("ok");
    expect(messages.some((m) => /has not answered GET .*within 1 s; trying again, giving up 2 s after the first try/.test(m))).toBe(true);
    const queued = messages.find((m) => m.includes("offline queue"));
    expect(queued).toMatch(/sent no answer .* within [\d.]+ s .*tracking\.timeout_seconds.*send the run with: salescast runs sync/);
    // The model is in the local registry and the run waits beside it.
    expect(existsSync(join(result.checkpointDir!, "model.safetensors"))).toBe(true);
    expect(readdirSync(join(root, "checkpoints", ".mlflow-pending"))).toContain(result.runId);
  });

  it("tracking.timeout_seconds must be at least 1 second", () => {
    expect(() => withOverrides(tinyConfig({ root }), { tracking: { timeout_seconds: 0 } })).toThrow(/tracking\.timeout_seconds/);
  });
});
