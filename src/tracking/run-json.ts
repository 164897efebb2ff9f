// A tracked run as JSON, in the one key style of every JSON output (snake_case, as MLflow's own
// REST API writes runs). GET /api/runs and `salescast runs --json` print runs through this one
// function, so a script reads the same keys from either.
import { finiteOrNull } from "../util/finite-or-null.js";
import type { RunInfo } from "./index.js";

export function runJson(run: RunInfo) {
  return {
    run_id: run.runId,
    run_name: run.runName,
    experiment_id: run.experimentId,
    experiment_name: run.experimentName,
    status: run.status,
    start_time: run.startTime,
    end_time: run.endTime ?? null,
    tags: run.tags,
    params: run.params,
    // Latest value per key; NaN or Infinity (a diverged loss) as null.
    metrics: Object.fromEntries(Object.entries(run.metrics).map(([key, value]) => [key, finiteOrNull(value)])),
    artifacts: run.artifacts,
    error: run.error ?? null,
  };
}
