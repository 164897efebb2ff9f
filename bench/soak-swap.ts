// The model swap in the middle of the soak: a training job for one category started through
// the API, followed until it ends, and the moment answers start coming from the new version.
import type { Outcome } from "./soak-load.js";

export interface SwapRecord {
  category: string;
  /** Version answering before the job (X-Model-Version). */
  fromVersion?: string;
  toVersion?: string;
  jobId?: string;
  jobState?: string;
  jobError?: string;
  /** performance.now() times. */
  postedAt?: number;
  finishedAt?: number;
  /** When the first answer from a version other than fromVersion arrived. */
  firstNewAnswerAt?: number;
}

/** Notes the first answer from a new version of the swapped category. */
export function swapWatcher(record: SwapRecord): (outcome: Outcome) => void {
  return (outcome) => {
    if (outcome.category !== record.category || outcome.status !== 200 || outcome.version === undefined) return;
    if (record.firstNewAnswerAt === undefined && record.fromVersion !== undefined && outcome.version !== record.fromVersion) {
      record.firstNewAnswerAt = outcome.dueAt + outcome.latencyMs;
      record.toVersion = outcome.version;
    }
  };
}

/** The version answering for `category` now. */
export async function servedVersion(base: string, category: string, body: Buffer): Promise<string | undefined> {
  const response = await fetch(`${base}/api/predict/${encodeURIComponent(category)}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new Uint8Array(body),
  });
  await response.arrayBuffer();
  return response.headers.get("x-model-version") ?? undefined;
}

/** Posts the training job and polls it every 500 ms until it has finished (or `deadline`). */
export async function trainAndFollow(base: string, record: SwapRecord, deadline: number): Promise<void> {
  record.postedAt = performance.now();
  const response = await fetch(`${base}/api/train`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ categories: [record.category], experiment_name: "soak" }),
  });
  const accepted = (await response.json()) as { job_id?: string; message?: string };
  if (response.status !== 202 || !accepted.job_id) {
    record.jobState = `not accepted (${response.status})`;
    record.jobError = accepted.message;
    return;
  }
  record.jobId = accepted.job_id;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const job = (await (await fetch(`${base}/api/jobs/${record.jobId}`)).json()) as { state: string; error?: string | null };
    record.jobState = job.state;
    if (["succeeded", "failed", "cancelled"].includes(job.state)) {
      record.finishedAt = performance.now();
      record.jobError = job.error ?? undefined;
      return;
    }
  }
}

/**
 * One training job before the load, waited for. The first job pays one-time costs that are not
 * leaks (the data file read into the server's cache, the training modules loaded, allocator
 * arenas grown by the worker threads); with them paid before the start sample, the memory
 * figures compare like with like.
 */
export async function warmUpTraining(base: string, category: string): Promise<void> {
  const response = await fetch(`${base}/api/train?wait=true`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ categories: [category], experiment_name: "soak-warm-up" }),
  });
  const answer = (await response.json()) as { status?: string; message?: string };
  if (response.status !== 200 || answer.status !== "success") {
    throw new Error(`the warm-up training job for ${category} answered ${response.status}: ${answer.message ?? JSON.stringify(answer)}`);
  }
}
