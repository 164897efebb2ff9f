import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { formatTextTable } from "../util/text-table.js";
import type { QueueJob } from "../queue/jobs.js";

export const jobsCommand: CommandSpec = {
  name: "jobs",
  summary: "list the queue's running, waiting and failed jobs (jobs), or retry a failed one (jobs retry ID): see README, Running workers",
  args: [
    { name: "[action]", description: "list (the default) or retry" },
    { name: "[id]", description: "the job id, for retry" },
  ],
  async run({ config, out }, _options, args) {
    if (!config.queue.url) {
      throw new UsageError("salescast jobs reads the queue: set queue.url (e.g. queue.url=redis://127.0.0.1:6379); without one there are no queued jobs.");
    }
    const { listQueueJobs, retryQueueJob } = await import("../queue/jobs.js");
    const [action = "list", id] = args;
    if (action === "list") {
      const jobs = await listQueueJobs(config);
      out.result({ jobs }, () => (jobs.length ? jobsTable(jobs) : "no running, waiting or failed jobs in the queue"));
      return 0;
    }
    if (action === "retry") {
      if (!id) throw new UsageError("salescast jobs retry needs a job id: salescast jobs retry <id> (salescast jobs lists them).");
      // A job that is not there or not failed: JobRetryError, exit 1 with the reason.
      const job = await retryQueueJob(config, id);
      out.result(job, () => `job ${job.id} (${job.name}: ${job.categories.join(", ")}) is back in the queue (${job.state}) for the workers`);
      return 0;
    }
    throw new UsageError(`unknown jobs action "${action}": use salescast jobs (list) or jobs retry <id>.`);
  },
};

function jobsTable(jobs: QueueJob[]): string {
  const rows = jobs.map((job) => [
    job.id,
    job.name,
    job.state,
    job.categories.length > 3 ? `${job.categories.slice(0, 3).join(", ")} +${job.categories.length - 3}` : job.categories.join(", "),
    job.progress ? `${job.progress.done}/${job.progress.of}` : "-",
    job.queued_at.slice(0, 19).replace("T", " "),
    String(job.attempts_made),
    job.failed_reason ?? "",
  ]);
  return formatTextTable(["job", "kind", "state", "categories", "done", "queued (UTC)", "attempts", "failed because"], rows, { textColumns: 6 });
}
