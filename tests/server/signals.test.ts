// The built server as `salescast serve` runs it, in a child process: SIGTERM finishes
// in-flight requests (a request waiting on training gets its answer), then the process exits
// cleanly; log lines are pino JSON carrying the request id. Skipped, and says so, when dist/
// is missing or older than the sources (`npm test` builds first).
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtServerProblem, commitModel, createWorkspace, projectRoot, sampleWindow, type Workspace } from "./helpers.js";

const problem = builtServerProblem();

describe.skipIf(problem !== undefined)(`graceful shutdown on SIGTERM (built server)${problem ? ` [skipped: ${problem}]` : ""}`, () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace({ days: 120 });
    await commitModel(ws.registry, "Beauty");
  });
  afterAll(() => ws?.cleanup());

  it("answers the request in flight, interrupts training and exits 0", async () => {
    const config = { ...ws.config, train: { ...ws.config.train, max_epochs: 100_000, patience: 100_000 } };
    const configPath = join(ws.root, "config.json");
    await writeFile(configPath, JSON.stringify(config));
    const serverModule = pathToFileURL(join(projectRoot, "dist/src/server/index.js")).href;
    const script = `
      import { readFileSync } from "node:fs";
      const { startServer } = await import(${JSON.stringify(serverModule)});
      const server = await startServer(JSON.parse(readFileSync(${JSON.stringify(configPath)}, "utf8")), { port: 0, env: {} });
      console.log("LISTENING " + server.address);
    `;
    // A file, not `node -e`: worker threads inherit the parent's flags, and --input-type breaks them.
    const scriptPath = join(ws.root, "serve.mjs");
    await writeFile(scriptPath, script);
    const child = spawn(process.execPath, [scriptPath], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      for (let i = 0; i < 30_000 && !/LISTENING (\S+)/.test(stdout) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 2));
      const address = /LISTENING (\S+)/.exec(stdout)?.[1];
      expect(address, stderr).toBeDefined();

      const prediction = await fetch(`${address}/api/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ series: sampleWindow() }),
      });
      expect(prediction.status).toBe(200);

      const waiting = fetch(`${address}/api/train?wait=true`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": "wait-req-1" },
        body: "{}",
      });
      // Signal once the job is training (its progress is visible through the API).
      for (let i = 0; i < 30_000; i++) {
        const jobs = (await (await fetch(`${address}/api/jobs`)).json()) as { jobs: Array<{ state: string; progress: Array<{ epoch: number }> }> };
        const job = jobs.jobs[0];
        if (job && job.state !== "queued" && job.state !== "running") throw new Error(`the job ended before the signal: ${JSON.stringify(job)}`);
        if ((job?.progress[0]?.epoch ?? 0) >= 1) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      child.kill("SIGTERM");
      const answer = await waiting;
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ error: "training_cancelled", message: expect.stringContaining("shut down") });
      expect(await exited).toBe(0);

      const logs = stdout
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logs.some((l) => typeof l.msg === "string" && l.msg.startsWith("SIGTERM: finishing in-flight requests"))).toBe(true);
      // The failed request's log line carries the id the client sent.
      expect(logs.some((l) => l.reqId === "wait-req-1" && l.level === 50)).toBe(true);
      expect((await ws.registry.versions("Beauty")).map((v) => v.version)).toEqual([1]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
