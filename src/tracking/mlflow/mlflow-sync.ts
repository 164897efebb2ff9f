// `salescast runs sync`: sends the runs waiting in the queue folder to the MLflow server, in the
// order they were made, then forgets them. Progress is saved after every operation, so a sync
// that stops half way (server gone again, Ctrl-C) resumes where it stopped without sending an
// operation twice (at most the one in flight when it stopped).
import { hostname } from "node:os";
import { join } from "node:path";
import { uploadArtifact } from "./mlflow-artifacts.js";
import { logBatchBodies, toKeyValues } from "./mlflow-batch.js";
import { MlflowUnavailableError } from "./mlflow-http.js";
import { type PendingOp, type PendingProgress, type PendingRun, PendingRuns } from "./mlflow-pending.js";
import { type MlflowTrackingStore, sendEnd } from "./mlflow-store.js";
import { asTrackingError, LOCAL_RUN_ID_TAG, toMetricPoint, UNSENT_EXPERIMENT_PREFIX, type WireRun } from "./mlflow-wire.js";

/** What sync needs from a model registry to replay a registration queued with the run. */
export interface RunRegistrar {
  registerRun(
    category: string,
    runId: string,
    info: { windowSize: number; metrics?: Record<string, number>; description?: string; heldBack?: string },
  ): Promise<{ modelName: string; version: number | string }>;
}

export interface SyncOptions {
  /** Replays queued model registrations; without it a run holding one fails with a message saying so. */
  registry?: RunRegistrar;
  /** Also send runs whose trainer may still be running (another host, or a live process here). */
  force?: boolean;
}

export interface SyncResult {
  sent: Array<{ runId: string; serverRunId: string; operations: number; registered: Array<{ modelName: string; version: string }> }>;
  /** Runs still being written by a live process: sent by a later sync. */
  skipped: Array<{ runId: string; reason: string }>;
  /** Runs the server refused (the reason says what to fix); they stay queued. */
  failed: Array<{ runId: string; error: string }>;
  /** Set when the server could not be reached: the remaining runs stay queued. */
  unreachable?: string;
}

export async function syncPendingRuns(store: MlflowTrackingStore, folder?: string, options: SyncOptions = {}): Promise<SyncResult> {
  const queue = folder === undefined ? store.pending : new PendingRuns(folder);
  const result: SyncResult = { sent: [], skipped: [], failed: [] };
  for (const runId of await queue.list()) {
    const run = await queue.read(runId);
    const ended = run.ops.some((op) => op.op === "end");
    const busy = ended || options.force ? undefined : stillWriting(run, store);
    if (busy) {
      result.skipped.push({ runId, reason: busy });
      continue;
    }
    try {
      const sent = await sendRun(store, queue, run, options.registry);
      result.sent.push({ runId, ...sent });
      await queue.remove(runId);
      store.forgetPending(runId);
    } catch (err) {
      if (err instanceof MlflowUnavailableError) {
        result.unreachable = err.message;
        break;
      }
      const message = err instanceof Error ? err.message : String(err);
      result.failed.push({ runId, error: `${message} (queued data: ${run.folder}; fix the cause, or delete that folder to drop the run)` });
    }
  }
  return result;
}

async function sendRun(
  store: MlflowTrackingStore,
  queue: PendingRuns,
  run: PendingRun,
  registry: RunRegistrar | undefined,
): Promise<{ serverRunId: string; operations: number; registered: Array<{ modelName: string; version: string }> }> {
  const { header } = run;
  const progress: PendingProgress = { ...run.progress, registered: [...(run.progress.registered ?? [])] };
  let serverRunId = progress.serverRunId ?? (header.createdOnServer ? header.runId : undefined);
  if (!serverRunId) {
    serverRunId = await createServerRun(store, run);
    progress.serverRunId = serverRunId;
    await queue.saveProgress(header.runId, progress);
  }
  const ops = [...run.ops];
  // A run whose trainer died before ending it is ended here, so it does not stay RUNNING forever.
  if (!header.detached && !ops.some((op) => op.op === "end") && (await serverStatus(store, serverRunId)) === "RUNNING") {
    ops.push({
      op: "end",
      status: "KILLED",
      endTime: Date.now(),
      error: `the process that ran it (pid ${header.pid} on ${header.hostname}) stopped before ending the run`,
    });
  }
  for (let i = progress.sent; i < ops.length; i++) {
    const registered = await sendOp(store, run, serverRunId, ops[i], registry);
    if (registered) progress.registered!.push(registered);
    progress.sent = i + 1;
    await queue.saveProgress(header.runId, progress);
  }
  return { serverRunId, operations: ops.length, registered: progress.registered! };
}

async function createServerRun(store: MlflowTrackingStore, run: PendingRun): Promise<string> {
  const { header } = run;
  let experimentId = header.experimentId;
  if (!experimentId) {
    experimentId = await store.getOrCreateExperiment(header.experimentName ?? "Default");
    // getOrCreateExperiment answers a placeholder instead of throwing when the server is down.
    if (experimentId.startsWith(UNSENT_EXPERIMENT_PREFIX)) throw new MlflowUnavailableError(`MLflow server ${store.uri} is unreachable`);
  }
  const tags = toKeyValues({ ...header.tags, [LOCAL_RUN_ID_TAG]: header.runId });
  try {
    const { run: created } = await store.http.post<{ run: WireRun }>("runs/create", {
      experiment_id: experimentId,
      run_name: header.runName,
      start_time: header.startTime,
      tags: tags.slice(0, 100),
    });
    if (tags.length > 100) await store.logBatch(created.info.run_id, { tags: tags.slice(100) });
    return created.info.run_id;
  } catch (err) {
    throw asTrackingError(err, `create run "${header.runName}" in experiment ${experimentId}`);
  }
}

async function sendOp(
  store: MlflowTrackingStore,
  run: PendingRun,
  serverRunId: string,
  op: PendingOp,
  registry: RunRegistrar | undefined,
): Promise<{ modelName: string; version: string } | undefined> {
  switch (op.op) {
    case "tags":
      await store.logBatch(serverRunId, { tags: toKeyValues(op.tags) });
      return undefined;
    case "params":
      await store.logBatch(serverRunId, { params: toKeyValues(op.params) });
      return undefined;
    case "metrics":
      for (const body of logBatchBodies(serverRunId, { metrics: op.metrics.map(toMetricPoint) })) await store.postBatch(body);
      return undefined;
    case "artifact":
      await uploadArtifact(store.http, await store.artifactRoot(serverRunId), join(run.folder, op.stored), op.artifactPath);
      return undefined;
    case "end":
      await sendEnd(store.http, serverRunId, op);
      return undefined;
    case "register": {
      if (!registry) throw new Error(`run ${run.header.runId} holds a model registration for "${op.category}": sync it with a model registry`);
      const info = {
        windowSize: op.windowSize,
        ...(op.metrics ? { metrics: op.metrics } : {}),
        ...(op.description ? { description: op.description } : {}),
        ...(op.heldBack ? { heldBack: op.heldBack } : {}),
      };
      const done = await registry.registerRun(op.category, serverRunId, info);
      return { modelName: done.modelName, version: String(done.version) };
    }
    default:
      throw new Error(`unknown queued operation ${JSON.stringify((op as { op: unknown }).op)} in ${run.folder}; was it written by a newer salescast?`);
  }
}

async function serverStatus(store: MlflowTrackingStore, serverRunId: string): Promise<string> {
  return (await store.fetchRun(serverRunId)).info.status;
}

/** Why a run without an end must wait, or undefined when its writer is gone. */
function stillWriting(run: PendingRun, store: MlflowTrackingStore): string | undefined {
  const { header } = run;
  if (header.detached) return undefined;
  if (store.pendingRunIds().includes(header.runId)) return "still being written by this process";
  if (header.hostname !== hostname()) return `started on ${header.hostname}, whose process cannot be checked from here; use --force once it has stopped`;
  if (header.pid !== process.pid && processAlive(header.pid)) return `its trainer (pid ${header.pid}) is still running`;
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
