// Progress of a job running on a worker, as the submitter sees it (the CLI's bar, the API's job
// events). The worker sends each progress event with job.updateProgress: BullMQ stores it on the
// job (so `salescast jobs` shows how far a shard is) and publishes it on the queue's event stream,
// which the submitter reads with QueueEvents. Batch reports come many times a second: at most
// one per BATCH_INTERVAL_MS per job is sent (the others would only cost Redis round trips);
// epochs, messages and finished categories always (in the order sent: updateProgress calls are
// pipelined on one connection).
import type { QueueEvents } from "bullmq";
import type { ProgressEvent, ProgressSink } from "../training/progress.js";

const BATCH_INTERVAL_MS = 500;

/** What a job's progress holds: how many of its items are done, and the last event. */
export interface JobProgress {
  done: number;
  of: number;
  /** The item (category or series) the last event was about. */
  category?: string;
  event?: ProgressEvent;
  /** What a flow's own events need beyond the event (a catalogue group's: catalogue-work.ts). */
  detail?: unknown;
}

/**
 * A sink that forwards a job's progress events to the queue. `done()` gives how many of the
 * job's `of` items are finished at the time of each event. Sending never fails the job: a
 * progress report lost while Redis is away only makes the bar skip a step.
 */
export function queueProgressSink(job: { updateProgress(progress: JobProgress): Promise<unknown> }, of: number, done: () => number): ProgressSink {
  let lastBatch = 0;
  return {
    report(event) {
      if (event.kind === "batch") {
        const now = Date.now();
        if (now - lastBatch < BATCH_INTERVAL_MS) return;
        lastBatch = now;
      }
      // A finished category carries its result, so the submitter reports it (and the server serves
      // its model) before the rest of the shard is done; the job's return value repeats it.
      void job
        .updateProgress({ done: done() + (event.kind === "done" ? 1 : 0), of, category: event.category, event } satisfies JobProgress)
        .catch(() => undefined);
    },
  };
}

/**
 * Calls `onEvent` with the progress events of the jobs `mine` accepts, from the queue's event
 * stream. Events that arrive before `mine` can answer (a job may report before add() returns)
 * are kept and replayed by the returned `ready()`. Returns also `stop()`.
 */
export function followProgress(
  events: QueueEvents,
  onEvent: (event: ProgressEvent, jobId: string, progress: JobProgress) => void,
): { ready: (mine: (jobId: string) => boolean) => void; stop: () => void } {
  let accepts: ((jobId: string) => boolean) | undefined;
  const early: Array<{ jobId: string; data: unknown }> = [];
  const handle = ({ jobId, data }: { jobId: string; data: unknown }) => {
    if (!accepts) return void early.push({ jobId, data });
    if (!accepts(jobId)) return;
    const event = (data as Partial<JobProgress> | null)?.event;
    if (event && typeof event === "object" && typeof event.kind === "string" && typeof event.category === "string") onEvent(event, jobId, data as JobProgress);
  };
  const listener = (args: { jobId: string; data: unknown }) => handle(args);
  events.on("progress", listener);
  return {
    ready(mine) {
      accepts = mine;
      for (const event of early.splice(0)) handle(event);
    },
    stop() {
      events.off("progress", listener);
    },
  };
}
