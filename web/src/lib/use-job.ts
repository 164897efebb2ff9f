// Follows a training job: its server-sent events (GET /api/jobs/{id}/events) while they flow,
// polling GET /api/jobs/{id} when the stream cannot be opened or drops, until the job ends.
// Epoch losses seen on the way are kept per category to draw live loss curves.
import { useEffect, useState } from "preact/hooks";
import { getJob, isFinishedJob, jobEventsUrl, type CategoryProgress, type CategoryResult, type JobSnapshot } from "../api.js";
import { recordLosses, type JobLosses } from "./job-losses.js";
import { errorText } from "./use-async.js";

export type { EpochLoss } from "./job-losses.js";

export interface FollowedJob {
  job: JobSnapshot | null;
  /** Category -> one point per finished epoch seen (a new array whenever a point is added). */
  losses: JobLosses;
  /** Set when the job can no longer be followed (e.g. the server restarted and forgot it). */
  error: string | null;
  /** "stream" while events flow, "polling" after falling back. */
  mode: "stream" | "polling" | "idle";
}

const POLL_MS = 1000;

export function useJob(jobId: string | null): FollowedJob {
  const [state, setState] = useState<FollowedJob>({ job: null, losses: {}, error: null, mode: "idle" });

  useEffect(() => {
    if (!jobId) return;
    setState((s) => ({ ...s, losses: {} }));
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const publish = (update: (job: JobSnapshot | null) => JobSnapshot | null, mode: FollowedJob["mode"]) => {
      if (stopped) return;
      setState((s) => {
        const job = update(s.job);
        return { job, losses: job ? recordLosses(s.losses, job.progress) : s.losses, error: null, mode };
      });
    };
    const stop = () => {
      stopped = true;
      source?.close();
      if (timer) clearTimeout(timer);
    };

    const poll = async () => {
      if (stopped) return;
      try {
        const job = await getJob(jobId);
        publish(() => job, "polling");
        if (isFinishedJob(job.state)) return stop();
      } catch (error) {
        if (!stopped) setState((s) => ({ ...s, error: errorText(error), mode: "polling" }));
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };

    // Events of GET /api/jobs/{id}/events, each data line the server's JSON: "snapshot" and
    // "end" carry the whole job, "progress" one category's progress, "result" one category's
    // result, "state" {id, state}.
    const onMessage = (name: string, data: string) => {
      let event: unknown;
      try {
        event = JSON.parse(data);
      } catch {
        return;
      }
      if (name === "snapshot" || name === "end") {
        const job = event as JobSnapshot;
        publish(() => job, "stream");
        if (name === "end" || isFinishedJob(job.state)) stop();
      } else if (name === "state") {
        const { state } = event as Pick<JobSnapshot, "id" | "state">;
        publish((job) => (job ? { ...job, state } : job), "stream");
      } else if (name === "progress") {
        const progress = event as CategoryProgress;
        publish(
          (job) => (job ? { ...job, state: job.state === "queued" ? "running" : job.state, progress: replaceBy(job.progress, progress) } : job),
          "stream",
        );
      } else if (name === "result") {
        const result = event as CategoryResult;
        publish((job) => (job ? { ...job, results: replaceBy(job.results, result) } : job), "stream");
      }
    };

    if (typeof EventSource === "undefined") {
      void poll();
    } else {
      source = new EventSource(jobEventsUrl(jobId));
      for (const name of ["snapshot", "state", "progress", "result", "end"]) {
        source.addEventListener(name, (e) => onMessage(name, (e as MessageEvent<string>).data));
      }
      source.onerror = () => {
        // The stream ended or could not be opened: one snapshot tells which, polling goes on.
        source?.close();
        if (!stopped) void poll();
      };
    }
    return stop;
  }, [jobId]);

  return state;
}

function replaceBy<T extends { category: string }>(list: T[], item: T): T[] {
  const index = list.findIndex((x) => x.category === item.category);
  if (index === -1) return [...list, item];
  const next = [...list];
  next[index] = item;
  return next;
}
