import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import type { RunInfo } from "../tracking/index.js";
import { formatTextTable } from "../util/text-table.js";
import type { MlflowRegistry } from "../registry/index.js";
import type { SyncResult } from "../tracking/mlflow/index.js";

export const runsCommand: CommandSpec = {
  name: "runs",
  summary: "list the tracked runs (runs [--category X]), print one (runs show ID), or send unsent ones to MLflow (runs sync)",
  args: [
    { name: "[action]", description: "list (the default), show or sync" },
    { name: "[id]", description: "the run id, for show" },
  ],
  options: (command) =>
    command.option("--category <name>", "only runs of this category (tag item_id)").option("--experiment <name>", "only runs of this experiment"),
  async run({ config, out }, options, args) {
    const { trackingStoreFor } = await import("../tracking/index.js");
    const { runJson } = await import("../tracking/run-json.js");
    const store = trackingStoreFor(config);
    const [action = "list", id] = args;
    if (action === "list") {
      const runs = await store.listRuns({ category: options.category as string | undefined, experimentName: options.experiment as string | undefined });
      out.result({ tracking: store.uri, runs: runs.map(runJson) }, () =>
        runs.length ? listTable(runs) : `no runs in ${store.uri} yet: train one with salescast train`,
      );
      return;
    }
    if (action === "show") {
      if (!id) throw new UsageError("salescast runs show needs a run id: salescast runs show <id> (salescast runs lists them).");
      const run = await store.getRun(id);
      out.result(runJson(run), () => describeRun(run));
      return;
    }
    if (action === "sync") {
      const { MlflowTrackingStore } = await import("../tracking/index.js");
      if (!(store instanceof MlflowTrackingStore)) {
        out.result({ tracking: store.uri, sent: [] }, () => `nothing to sync: tracking.uri ${store.uri} is the local store, which is always up to date`);
        return;
      }
      const { syncPendingRuns } = await import("../tracking/mlflow/index.js");
      const { servedRegistry } = await import("../registry/index.js");
      const registry = servedRegistry(config, store) as MlflowRegistry;
      const queue = store.pending.dir;
      const result = await syncPendingRuns(store, undefined, { registry });
      // Where the queue is (beside the registry of train.checkpoint_path) is always said: an empty
      // answer from the wrong folder must not read as "everything was sent".
      out.result({ ...syncJson(result), queue }, () =>
        result.unreachable
          ? `MLflow at ${store.uri} is unreachable: ${result.unreachable}; nothing was lost (queued in ${queue}), try again later`
          : `sent ${result.sent.length} run(s) from ${queue} to ${store.uri}` +
            `${result.failed.length ? `, ${result.failed.length} failed` : ""}${result.skipped.length ? `, ${result.skipped.length} still being written` : ""}` +
            (result.sent.length + result.failed.length + result.skipped.length === 0
              ? `\nnothing was waiting there; runs are queued beside the model registry, the folder of train.checkpoint_path (${config.train.checkpoint_path})`
              : ""),
      );
      return result.failed.length || result.unreachable ? 1 : 0;
    }
    throw new UsageError(`unknown runs action "${action}": use salescast runs (list), runs show <id>, or runs sync.`);
  },
};

/** `runs sync --json`, in the one key style of every JSON output (snake_case). */
function syncJson(result: SyncResult) {
  return {
    sent: result.sent.map((run) => ({
      run_id: run.runId,
      server_run_id: run.serverRunId,
      operations: run.operations,
      registered: run.registered.map((model) => ({ model_name: model.modelName, version: model.version })),
    })),
    skipped: result.skipped.map((run) => ({ run_id: run.runId, reason: run.reason })),
    failed: result.failed.map((run) => ({ run_id: run.runId, error: run.error })),
    ...(result.unreachable === undefined ? {} : { unreachable: result.unreachable }),
  };
}

function listTable(runs: RunInfo[]): string {
  const rows = runs.map((run) => [
    run.runId,
    run.runName,
    run.experimentName,
    run.status,
    new Date(run.startTime).toISOString().slice(0, 19).replace("T", " "),
    formatMetric(run.metrics.val_mase),
    formatMetric(run.metrics.seasonal_naive_val_mase),
  ]);
  return formatTextTable(["run id", "name", "experiment", "status", "started (UTC)", "val MASE", "seasonal naive MASE"], rows, { textColumns: 7 });
}

function describeRun(run: RunInfo): string {
  const section = (title: string, entries: Record<string, string | number>) =>
    [
      `${title}:`,
      ...Object.entries(entries)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `  ${key} = ${value}`),
    ].join("\n");
  return [
    `run ${run.runId} (${run.runName}) in experiment ${run.experimentName}: ${run.status}`,
    `started ${new Date(run.startTime).toISOString()}${run.endTime ? `, ended ${new Date(run.endTime).toISOString()}` : ""}`,
    ...(run.error ? [`error: ${run.error}`] : []),
    section("tags", run.tags),
    section("metrics", run.metrics),
    section("params", run.params),
    `artifacts: ${run.artifacts.join(", ") || "none"}`,
  ].join("\n");
}

function formatMetric(value: number | undefined): string {
  return value === undefined ? "-" : value.toFixed(3);
}
