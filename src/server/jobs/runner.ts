// The default way a job trains: the training pipeline's trainAll, on worker threads, so the
// thread answering requests keeps answering while models train; with queue.url, on the queue's
// workers instead. (From the compiled build, trainAll always uses workers; only when this module
// runs from TypeScript sources, as under vitest, does it fall back to the calling thread: see
// src/training/train-all.ts.)
import { withOverrides } from "../../config/overrides.js";
import type { Config } from "../../config/schema.js";
import { trainAll } from "../../training/train-all.js";
import { FolderNotWritableError } from "../../util/writable-folder.js";
import type { SalesDataCache } from "../sales-data.js";
import type { TrainingRunner } from "./job-manager.js";

export function trainAllRunner(config: Config, data: SalesDataCache, threads: number, log?: (line: string) => void): TrainingRunner {
  return async (request, { progress, signal }) => {
    // The overrides were checked when the job was accepted; the same check again cannot fail.
    const jobConfig = withOverrides(config, {
      ...request.overrides,
      train: { ...(request.overrides?.train as object | undefined), experiment_name: request.experimentName },
    });
    try {
      if (config.queue.url) {
        // With a queue the job is a flow of shards for `salescast worker` processes; their
        // progress comes back from the queue's events (src/queue/train-all.ts).
        const { trainAllOnQueue } = await import("../../queue/train-all.js");
        return await trainAllOnQueue(jobConfig, request.categories, { progress, signal, ...(log ? { log } : {}) });
      }
      return await trainAll(jobConfig, request.categories, { data: await data.get(), progress, signal, threads });
    } catch (error) {
      // The jobs route checks the folders before a job exists; should one turn read-only
      // since, the job's error (shown over HTTP) still names the setting, not the server's path.
      // eslint-disable-next-line preserve-caught-error -- the cause names the server's path, which this message exists to hide
      if (error instanceof FolderNotWritableError) throw new Error(error.publicMessage);
      throw error;
    }
  };
}
