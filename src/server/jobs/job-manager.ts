// Training jobs: accepted at once, run one after another off the request path, followed
// through snapshots and events. A category belongs to at most one unfinished job, so two
// trainings never race to register the same category.
//
// The manager knows nothing about HTTP; the jobs plugin turns its snapshots into JSON answers
// and server-sent events. Jobs live in memory: a restart forgets them (the registry and the
// tracking store keep what they produced).
import { randomUUID } from "node:crypto";
import type { ProgressEvent, ProgressSink } from "../../training/progress.js";
import type { CategoryResult } from "../../training/result.js";

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled";
export type JobKind = "train" | "train_all";

export interface CategoryProgress {
  category: string;
  state: "pending" | "training" | "done";
  epoch: number;
  max_epochs: number;
  batch: number;
  batches: number;
  /** Loss of the last batch reported (normalised units). */
  loss: number | null;
  train_loss: number | null;
  val_loss: number | null;
}

/** Settings changed for one job, as sections of config.yaml: {"train": {"max_epochs": 5}}. */
export type TrainingOverrides = Record<string, unknown>;

export interface JobSnapshot {
  id: string;
  kind: JobKind;
  state: JobState;
  categories: string[];
  experiment_name: string;
  /** What the job changes over the server's configuration ({} for nothing). */
  overrides: TrainingOverrides;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: CategoryProgress[];
  results: CategoryResult[];
  error: string | null;
}

export type JobEvent =
  | { type: "state"; job: JobSnapshot }
  | { type: "progress"; jobId: string; progress: CategoryProgress }
  | { type: "result"; jobId: string; result: CategoryResult };

export interface JobRequest {
  kind: JobKind;
  categories: string[];
  experimentName: string;
  /** Checked by the caller (withOverrides); {} or absent = the server's configuration as it is. */
  overrides?: TrainingOverrides;
}

/** Runs one job's training; must report progress through `progress` and stop soon after `signal` aborts. */
export type TrainingRunner = (request: JobRequest, hooks: { progress: ProgressSink; signal: AbortSignal }) => Promise<CategoryResult[]>;

export class JobConflictError extends Error {
  constructor(
    readonly category: string,
    readonly jobId: string,
  ) {
    super(`category ${JSON.stringify(category)} is already being trained by job ${jobId}; ` + `follow it at /api/jobs/${jobId} and retry when it has finished`);
    this.name = "JobConflictError";
  }
}

export interface JobManagerOptions {
  /** Finished jobs kept for GET /api/jobs/{id}; the oldest are forgotten first. */
  keepFinished?: number;
  /** Called once per state change (metrics). */
  onStateChange?: (job: JobSnapshot, previous: JobState | undefined) => void;
  /** Called with each category's result as soon as that category has finished (e.g. to serve its new model at once). */
  onResult?: (result: CategoryResult) => void;
  /** Called when a job ends, before its waiters resume (e.g. to load the new models). */
  onFinished?: (job: JobSnapshot) => Promise<void> | void;
  /** A failure of the manager's own bookkeeping (the runner's failures become job errors). */
  onError?: (error: unknown) => void;
  /** Batch progress events are forwarded at most this often per category; epochs always. */
  progressIntervalMs?: number;
}

interface Job {
  snapshot: JobSnapshot;
  controller: AbortController;
  done: Promise<JobSnapshot>;
  resolveDone: (job: JobSnapshot) => void;
  lastProgressAt: Map<string, number>;
  /** Results already sent to listeners, by category. */
  published: Map<string, CategoryResult>;
}

const FINISHED: ReadonlySet<JobState> = new Set(["succeeded", "failed", "cancelled"]);
export const isFinished = (state: JobState) => FINISHED.has(state);

export class JobManager {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private readonly listeners = new Map<string, Set<(event: JobEvent) => void>>();
  private running: Job | undefined;
  private closed = false;
  private readonly keepFinished: number;
  private readonly progressIntervalMs: number;

  constructor(
    private readonly runner: TrainingRunner,
    private readonly options: JobManagerOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 100;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
  }

  /** Queues a job; JobConflictError when one of its categories is in an unfinished job. */
  submit(request: JobRequest): JobSnapshot {
    if (this.closed) throw new Error("the server is shutting down; no new training jobs are accepted");
    for (const category of request.categories) {
      const owner = this.activeJobFor(category);
      if (owner) throw new JobConflictError(category, owner.snapshot.id);
    }
    let resolveDone!: (job: JobSnapshot) => void;
    const done = new Promise<JobSnapshot>((resolve) => (resolveDone = resolve));
    const job: Job = {
      snapshot: {
        id: randomUUID(),
        kind: request.kind,
        state: "queued",
        categories: [...request.categories],
        experiment_name: request.experimentName,
        overrides: structuredClone(request.overrides ?? {}),
        created_at: new Date().toISOString(),
        started_at: null,
        finished_at: null,
        progress: request.categories.map(emptyProgress),
        results: [],
        error: null,
      },
      controller: new AbortController(),
      done,
      resolveDone,
      lastProgressAt: new Map(),
      published: new Map(),
    };
    this.jobs.set(job.snapshot.id, job);
    this.options.onStateChange?.(copy(job.snapshot), undefined);
    this.queue.push(job);
    this.forgetOldJobs();
    queueMicrotask(() => this.startNext());
    return copy(job.snapshot);
  }

  get(id: string): JobSnapshot | undefined {
    const job = this.jobs.get(id);
    return job ? copy(job.snapshot) : undefined;
  }

  /** Newest first. */
  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((job) => copy(job.snapshot)).reverse();
  }

  /** Resolves with the final snapshot once the job has finished (any state). */
  wait(id: string): Promise<JobSnapshot> | undefined {
    return this.jobs.get(id)?.done;
  }

  /** Events of one job until it finishes; returns the function that stops listening. */
  subscribe(id: string, listener: (event: JobEvent) => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(id);
    };
  }

  /** Number of jobs in each state (metrics). */
  counts(): Record<JobState, number> {
    const counts: Record<JobState, number> = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
    for (const job of this.jobs.values()) counts[job.snapshot.state] += 1;
    return counts;
  }

  /** Stops accepting jobs, cancels queued ones, interrupts the running one and waits for it. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.finish(job, "cancelled", "cancelled: the server shut down before the job started");
    const running = this.running;
    if (running) {
      running.controller.abort();
      await running.done;
    }
  }

  private activeJobFor(category: string): Job | undefined {
    for (const job of this.jobs.values()) {
      if (!isFinished(job.snapshot.state) && job.snapshot.categories.includes(category)) return job;
    }
    return undefined;
  }

  private startNext(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    void this.run(job).finally(() => {
      this.running = undefined;
      this.startNext();
    });
  }

  private async run(job: Job): Promise<void> {
    const { snapshot } = job;
    snapshot.started_at = new Date().toISOString();
    this.setState(job, "running");
    const progress: ProgressSink = { report: (event) => this.onProgress(job, event) };
    try {
      const results = await this.runner(
        { kind: snapshot.kind, categories: snapshot.categories, experimentName: snapshot.experiment_name, overrides: structuredClone(snapshot.overrides) },
        { progress, signal: job.controller.signal },
      );
      // The runner's list is the final word; results already published as their category
      // finished are not sent twice.
      for (const result of results) {
        this.markDone(job, result.category);
        if (!sameResult(job.published.get(result.category), result)) this.publishResult(job, result);
      }
      snapshot.results = results;
      const failed = results.filter((r) => r.status === "failed");
      if (job.controller.signal.aborted) {
        this.finish(job, "cancelled", "cancelled: the server shut down while the job ran; the previous models stay in place");
      } else if (failed.length > 0) {
        this.finish(job, "failed", failed.map((r) => `${r.category}: ${r.reason ?? "failed"}`).join("; "));
      } else {
        this.finish(job, "succeeded", null);
      }
    } catch (error) {
      this.finish(job, job.controller.signal.aborted ? "cancelled" : "failed", error instanceof Error ? error.message : String(error));
    }
  }

  private onProgress(job: Job, event: ProgressEvent): void {
    const entry = job.snapshot.progress.find((p) => p.category === event.category);
    if (!entry) return;
    if (event.kind === "batch") {
      entry.state = "training";
      entry.epoch = event.epoch;
      entry.max_epochs = event.maxEpochs;
      entry.batch = event.batch;
      entry.batches = event.batches;
      entry.loss = event.loss;
      // Batches are frequent: forward a few per second (the snapshot is always current).
      const now = Date.now();
      if (now - (job.lastProgressAt.get(event.category) ?? -Infinity) < this.progressIntervalMs) return;
      job.lastProgressAt.set(event.category, now);
    } else if (event.kind === "epoch") {
      entry.state = "training";
      entry.epoch = event.epoch;
      entry.max_epochs = event.maxEpochs;
      entry.train_loss = event.trainLoss;
      entry.val_loss = event.valLoss;
    } else if (event.kind === "done") {
      entry.state = "done";
      this.emit(job.snapshot.id, { type: "progress", jobId: job.snapshot.id, progress: { ...entry } });
      if (event.result) this.publishResult(job, event.result);
      return;
    } else {
      return;
    }
    this.emit(job.snapshot.id, { type: "progress", jobId: job.snapshot.id, progress: { ...entry } });
  }

  /**
   * A category's result as soon as it is known (clients show it while the others still train),
   * kept in the order the job lists its categories.
   */
  private publishResult(job: Job, result: CategoryResult): void {
    const { snapshot } = job;
    const order = (category: string) => snapshot.categories.indexOf(category);
    snapshot.results = [...snapshot.results.filter((r) => r.category !== result.category), result].sort((a, b) => order(a.category) - order(b.category));
    job.published.set(result.category, result);
    this.emit(snapshot.id, { type: "result", jobId: snapshot.id, result: structuredClone(result) });
    try {
      this.options.onResult?.(structuredClone(result));
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private markDone(job: Job, category: string): void {
    const entry = job.snapshot.progress.find((p) => p.category === category);
    if (entry) entry.state = "done";
  }

  private finish(job: Job, state: JobState, error: string | null): void {
    const { snapshot } = job;
    snapshot.finished_at = new Date().toISOString();
    snapshot.error = error;
    const finalize = () => {
      this.setState(job, state);
      this.listeners.delete(snapshot.id);
      job.resolveDone(copy(snapshot));
    };
    // Let the server load the new models before anyone is told the job is over, so a client
    // that predicts right after the job ends gets the new version.
    const hook = this.options.onFinished;
    if (!hook || state === "cancelled") {
      finalize();
      return;
    }
    Promise.resolve()
      .then(() => hook(copy(snapshot)))
      .catch((hookError) => this.options.onError?.(hookError))
      .finally(finalize);
  }

  private setState(job: Job, state: JobState): void {
    const previous = job.snapshot.state;
    job.snapshot.state = state;
    this.options.onStateChange?.(copy(job.snapshot), previous);
    this.emit(job.snapshot.id, { type: "state", job: copy(job.snapshot) });
  }

  private emit(id: string, event: JobEvent): void {
    const set = this.listeners.get(id);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.options.onError?.(error);
      }
    }
  }

  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((job) => isFinished(job.snapshot.state));
    for (const job of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) this.jobs.delete(job.snapshot.id);
  }
}

function emptyProgress(category: string): CategoryProgress {
  return { category, state: "pending", epoch: 0, max_epochs: 0, batch: 0, batches: 0, loss: null, train_loss: null, val_loss: null };
}

function sameResult(a: CategoryResult | undefined, b: CategoryResult): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}

function copy(snapshot: JobSnapshot): JobSnapshot {
  return structuredClone(snapshot);
}
