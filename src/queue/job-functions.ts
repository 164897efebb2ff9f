// The job functions a worker runs on a job thread (job-thread.ts says why), by name: the
// name crosses to the thread, a function cannot. Each returns the job's result.
import type { Config } from "../config/schema.js";
import { useBackend } from "../engine/backends/index.js";
import { runBacktestPart } from "./backtest-work.js";
import { runCatalogueGroup } from "./catalogue-work.js";
import { runTrainShard } from "./shard-work.js";
import { finishTournamentJob, runTournamentPart } from "./tournament-work.js";
import type { ThreadJob } from "./thread-job.js";

type JobFunction = (job: ThreadJob, config: Config, log: (line: string) => void) => Promise<unknown>;

const JOB_FUNCTIONS = {
  "train-shard": runTrainShard,
  "backtest-part": runBacktestPart,
  "catalogue-group": runCatalogueGroup,
  "tournament-part": runTournamentPart,
  "tournament-finish": finishTournamentJob,
} satisfies Record<string, JobFunction>;

export type JobFunctionName = keyof typeof JOB_FUNCTIONS;

/** Runs the named job function on this thread, with the job's engine backend (a thread starts with none chosen). */
export function runJobFunction(name: JobFunctionName, job: ThreadJob, config: Config, log: (line: string) => void): Promise<unknown> {
  useBackend(config.engine.backend);
  return JOB_FUNCTIONS[name](job, config, log);
}
