// A worker's side of the catalogue's flow (catalogue-jobs.ts): a group job fits its group with
// fitCatalogueGroup, the function the in-process loop runs; the parent puts the groups' results
// back in their order. Neither writes anything: the submitter registers the one version.
//
// The group's fit runs on a job thread (job-thread.ts says why).
import type { Job } from "bullmq";
import type { Config } from "../config/schema.js";
import { fitCatalogueGroup, type CatalogueGroupFit } from "../training/catalogue/fit.js";
import { decode, encode } from "./backtest-jobs.js";
import type { CatalogueGatherPart, CatalogueGroupOutcome, CatalogueGroupPart, CatalogueGroupProgress } from "./catalogue-jobs.js";
import type { JobProgress } from "./job-progress.js";
import { threadNote, type ThreadJob } from "./thread-job.js";

/** Fits a group and forecasts its series; its encoded CatalogueGroupOutcome. */
export async function runCatalogueGroup(job: ThreadJob, config: Config, log: (line: string) => void): Promise<string> {
  const part = decode<CatalogueGroupPart>((job.data as { part: string }).part);
  log(`job ${job.id}: catalogue, ${part.what}${threadNote(job)}`);
  const of = part.series.length;
  const result = fitCatalogueGroup(config, part.series, part.what, part.withResiduals, (event) => {
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
