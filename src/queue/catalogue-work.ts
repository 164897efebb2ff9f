// A worker's side of the catalogue's flow (catalogue-jobs.ts): a group job fits its group with
// fitCatalogueGroup, the function the in-process loop runs; the parent puts the groups' results
// back in their order. Neither writes anything: the submitter registers the one version.
//
// The fit runs on a thread of its own (catalogue-thread.ts): a GBDT fit is one synchronous call
// that can take minutes at catalogue scale, and on the worker's main thread it would stop BullMQ
// from renewing the job's lock, so after queue.stalled_ms the job would be taken for stalled and
// run again elsewhere. From .ts sources (no built thread) it runs on the main thread.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Job } from "bullmq";
import type { Config } from "../config/schema.js";
import { fitCatalogueGroup, type CatalogueGroupEvent, type CatalogueGroupFit } from "../training/catalogue/fit.js";
import { decode, encode } from "./backtest-jobs.js";
import type { CatalogueGatherPart, CatalogueGroupOutcome, CatalogueGroupPart, CatalogueGroupProgress } from "./catalogue-jobs.js";
import type { CatalogueFromThread, CatalogueToThread } from "./catalogue-thread.js";
import type { JobProgress } from "./job-progress.js";

function threadUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./catalogue-thread.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** fitCatalogueGroup on a thread of its own (on this one without a built thread). */
function fitOffThread(
  url: URL | undefined,
  config: Config,
  part: CatalogueGroupPart,
  onEvent: (event: CatalogueGroupEvent) => void,
): Promise<CatalogueGroupFit> {
  if (!url) return Promise.resolve(fitCatalogueGroup(config, part.series, part.what, part.withResiduals, onEvent));
  return new Promise((resolve, reject) => {
    const thread = new Worker(url);
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      void thread.terminate();
    };
    thread.on("message", (message: CatalogueFromThread) => {
      if (message.type === "event") onEvent(message.event);
      else if (message.type === "result") settle(() => resolve(message.result));
      else settle(() => reject(new Error(message.message)));
    });
    thread.on("error", (error) => settle(() => reject(error)));
    thread.on("exit", (code) => settle(() => reject(new Error(`the thread fitting the group exited (${code}) before it gave a result`))));
    thread.postMessage({ config, part } satisfies CatalogueToThread);
  });
}

/** Fits a group and forecasts its series; its encoded CatalogueGroupOutcome. */
export async function runCatalogueGroup(job: Job, config: Config, log: (line: string) => void): Promise<string> {
  const part = decode<CatalogueGroupPart>((job.data as { part: string }).part);
  const url = threadUrl();
  log(`job ${job.id}: catalogue, ${part.what}${url ? " (on a thread of its own)" : ""}`);
  const of = part.series.length;
  const result = await fitOffThread(url, config, part, (event) => {
    // The group's events go to the submitter's bar; a progress report lost while Redis is away only makes the bar skip a step.
    const progress: JobProgress = {
      done: event.stage === "forecast" ? event.done : 0,
      of,
      event: { kind: "message", category: part.group ?? "", text: event.text },
      detail: { index: part.index, event } satisfies CatalogueGroupProgress,
    };
    void job.updateProgress(progress).catch(() => undefined);
  });
  log(`job ${job.id}: catalogue group done`);
  return encode({ index: part.index, result } satisfies CatalogueGroupOutcome);
}

/** The groups' results in their order; the encoded CatalogueGroupFit[]. */
export async function gatherCatalogueGroups(job: Job): Promise<string> {
  const { groups } = decode<CatalogueGatherPart>((job.data as { part: string }).part);
  const results: Array<CatalogueGroupFit | undefined> = new Array<CatalogueGroupFit | undefined>(groups).fill(undefined);
  for (const value of Object.values(await job.getChildrenValues<string>())) {
    const outcome = decode<CatalogueGroupOutcome>(value);
    results[outcome.index] = outcome.result;
  }
  const missing = results.flatMap((result, index) => (result ? [] : [index]));
  if (missing.length > 0) throw new Error(`the catalogue's groups ${missing.join(", ")} returned no fit`);
  return encode(results);
}
