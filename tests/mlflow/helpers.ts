// Shared by the MLflow suite: where the server is (set by scripts/test-mlflow.sh), plain REST
// reads that do not go through salescast's client (so the suite checks what the server really
// holds), and stopping / restarting the server for the outage test.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { openSync, readFileSync, writeFileSync } from "node:fs";

export function serverUri(): string {
  const uri = process.env.MLFLOW_TRACKING_URI;
  if (!uri || !/^https?:\/\//.test(uri)) {
    throw new Error("MLFLOW_TRACKING_URI is not set to an MLflow server: run this suite with `npm run test:mlflow`, which starts one");
  }
  return uri.replace(/\/+$/, "");
}

/** A suffix that keeps names of this run apart from earlier runs on the same server. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString("hex");
}

export async function restGet<T>(endpoint: string, query: Record<string, string | number>): Promise<T> {
  const params = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const response = await fetch(`${serverUri()}/api/2.0/mlflow/${endpoint}?${params}`);
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${endpoint} -> ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function restPost<T>(endpoint: string, body: unknown): Promise<T> {
  const response = await fetch(`${serverUri()}/api/2.0/mlflow/${endpoint}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${endpoint} -> ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

export interface RestRun {
  info: { run_id: string; run_name: string; status: string; experiment_id: string; artifact_uri: string; end_time?: number };
  data: {
    tags?: Array<{ key: string; value: string }>;
    params?: Array<{ key: string; value: string }>;
    metrics?: Array<{ key: string; value: number | string; step: number }>;
  };
}

export async function getRestRun(runId: string): Promise<RestRun> {
  return (await restGet<{ run: RestRun }>("runs/get", { run_id: runId })).run;
}

export function asRecord(entries: Array<{ key: string; value: string }> | undefined): Record<string, string> {
  return Object.fromEntries((entries ?? []).map((e) => [e.key, e.value]));
}

export async function metricHistory(runId: string, key: string): Promise<Array<{ step: number; value: number | string }>> {
  const answer = await restGet<{ metrics?: Array<{ step: number; value: number | string }> }>("metrics/get-history", { run_id: runId, metric_key: key });
  return (answer.metrics ?? []).sort((a, b) => a.step - b.step);
}

/** Every file path under a run's artifacts, through MLflow's own artifacts/list endpoint. */
export async function listRunArtifacts(runId: string, path = ""): Promise<string[]> {
  const answer = await restGet<{ files?: Array<{ path: string; is_dir: boolean }> }>("artifacts/list", path ? { run_id: runId, path } : { run_id: runId });
  const out: string[] = [];
  for (const file of answer.files ?? []) {
    if (file.is_dir) out.push(...(await listRunArtifacts(runId, file.path)));
    else out.push(file.path);
  }
  return out.sort();
}

/** The bytes of one artifact, fetched from the server's artifact proxy. */
export async function artifactBytes(artifactUri: string, relative: string): Promise<Buffer> {
  const root = artifactUri.replace(/^mlflow-artifacts:\/*/, "");
  const path = [...root.split("/"), ...relative.split("/")].map(encodeURIComponent).join("/");
  const response = await fetch(`${serverUri()}/api/2.0/mlflow-artifacts/artifacts/${path}`);
  if (!response.ok) throw new Error(`artifact ${relative}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

async function healthy(): Promise<boolean> {
  try {
    const response = await fetch(`${serverUri()}/health`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function serverControl(): { pidfile: string; args: string[]; log: string } {
  const pidfile = process.env.MLFLOW_TEST_PIDFILE;
  const args = process.env.MLFLOW_TEST_SERVER_ARGS;
  const log = process.env.MLFLOW_TEST_SERVER_LOG;
  if (!pidfile || !args || !log)
    throw new Error("the outage test needs MLFLOW_TEST_PIDFILE, MLFLOW_TEST_SERVER_ARGS and MLFLOW_TEST_SERVER_LOG: run it with `npm run test:mlflow`");
  return { pidfile, args: JSON.parse(args) as string[], log };
}

/** Kills the server's whole process group at once (a crash, not a shutdown) and waits until it is gone. */
export async function killServer(): Promise<void> {
  const { pidfile } = serverControl();
  const pgid = Number(readFileSync(pidfile, "utf8").trim());
  try {
    process.kill(-pgid, "SIGKILL");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
  for (let i = 0; i < 100 && (await healthy()); i++) await new Promise((r) => setTimeout(r, 100));
  if (await healthy()) throw new Error("the MLflow server still answers after SIGKILL");
}

/** Starts the server again with the same arguments (same port, database and artifacts), in its own process group. */
export async function restartServer(timeoutMs = 240_000): Promise<void> {
  const { pidfile, args, log } = serverControl();
  const out = openSync(log, "a");
  const child = spawn(args[0], args.slice(1), { detached: true, stdio: ["ignore", out, out] });
  child.unref();
  writeFileSync(pidfile, `${child.pid}\n`); // the script's cleanup stops this one
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await healthy()) return;
    if (child.exitCode !== null) throw new Error(`the MLflow server exited with code ${child.exitCode} while restarting; see ${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the MLflow server did not answer /health within ${timeoutMs} ms after the restart; see ${log}`);
}
