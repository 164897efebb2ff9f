// Issue 14 #6: runs that cannot reach the MLflow server were always queued in
// ./checkpoints/.mlflow-pending, whatever train.checkpoint_path said, so `runs sync` from
// another folder printed "sent 0 run(s)", exited 0, and the run stayed behind. The queue now
// lives beside the registry it belongs to (the folder of train.checkpoint_path), and `runs
// sync` always says which folder it read. The server is a closed port on loopback: nothing
// answers, like MLflow being down.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, builtCliProblem, createWorkspace, type Exited, type Workspace } from "./helpers.js";

const problem = builtCliProblem();
let ws: Workspace;
let overrides: string[];
let store: string;

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function cli(cwd: string, args: string[]): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH ?? "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

beforeAll(async () => {
  if (problem) return;
  ws = await createWorkspace({ maxEpochs: 1 });
  store = join(ws.root, "store", "registry");
  overrides = [`tracking.uri=http://127.0.0.1:${await closedPort()}`, `train.checkpoint_path=${join(store, "model.ckpt")}`];
});
afterAll(() => ws?.cleanup());

describe.skipIf(problem)(`the MLflow offline queue follows train.checkpoint_path${problem ? ` (skipped: ${problem})` : ""}`, () => {
  it("a run that cannot reach MLflow is queued beside the registry, not in ./checkpoints", async () => {
    const trained = await cli(ws.root, ["train", "--json", "--config", "config.yaml", ...overrides]);
    expect(trained.code, trained.stderr).toBe(0);
    const { categories } = JSON.parse(trained.stdout) as { categories: Array<{ run_id: string }> };
    const queued = await readdir(join(store, ".mlflow-pending"));
    expect(queued).toHaveLength(1);
    expect(JSON.stringify(categories)).toContain(queued[0]);
    expect(existsSync(join(ws.root, "checkpoints"))).toBe(false);
  }, 120_000);

  it("runs sync from another folder finds it, and says where it looked", async () => {
    const elsewhere = join(ws.root, "elsewhere");
    await mkdir(elsewhere);
    const sync = await cli(elsewhere, ["runs", "sync", "--config", "../config.yaml", ...overrides]);
    expect(sync.code).toBe(1); // the server is still down: nothing sent, nothing lost
    expect(sync.stdout).toContain(`nothing was lost (queued in ${join(store, ".mlflow-pending")})`);
    expect(await readdir(join(store, ".mlflow-pending"))).toHaveLength(1);
    expect(existsSync(join(elsewhere, "checkpoints"))).toBe(false);
  }, 120_000);

  it("an empty queue is reported with its folder and the setting that chose it, never as a bare 'sent 0'", async () => {
    const other = join(ws.root, "other", "model.ckpt");
    const sync = await cli(ws.root, ["runs", "sync", "--json", "--config", "config.yaml", overrides[0], `train.checkpoint_path=${other}`]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ sent: [], queue: join(ws.root, "other", ".mlflow-pending") });
    const text = await cli(ws.root, ["runs", "sync", "--config", "config.yaml", overrides[0], `train.checkpoint_path=${other}`]);
    expect(text.stdout).toContain(`sent 0 run(s) from ${join(ws.root, "other", ".mlflow-pending")}`);
    expect(text.stdout).toContain(`nothing was waiting there; runs are queued beside the model registry, the folder of train.checkpoint_path (${other})`);
  }, 60_000);
});
