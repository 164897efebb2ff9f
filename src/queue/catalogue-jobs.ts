// `train --catalogue` with queue.url set: the catalogue's GBDT groups (one per value of
// catalogue.group_by, one group without it) fitted on the queue's workers as a BullMQ flow,
// once per pass (the held-out evaluation, then the final fit):
//
//   catalogue-gather (parent): every group's result, in the order of the groups
//   └── catalogue-group × groups: one group's GBDT fitted on its series, each of them forecast
//       (and its in-sample errors when catalogue.reconcile reads them)
//
// Everything else stays on the submitter (src/training/catalogue/): the aggregate levels' models,
// the reconciliation, the scores, the ONE registry version and the ONE tracking run. A group job
// carries its series (values, covariates over the horizon) v8-serialised, as backtest jobs do, so
// workers read no file and write nothing: a retried group computes the same fit again and
// nothing is registered twice. Workers run fitCatalogueGroup, the function the in-process loop
// runs, so the forecasts are the same, bit for bit.
import type { Config } from "../config/schema.js";
import type { GbdtSeries } from "../models/gbdt/types.js";
import type { CatalogueGroupEvent, CatalogueGroupFit, CatalogueGroupRunner } from "../training/catalogue/fit.js";
import { decode, encode } from "./backtest-jobs.js";
import { checkQueueServer } from "./connection.js";
import { openFlowSession } from "./flow-session.js";
import { followProgress } from "./job-progress.js";
import { portableSeries } from "./tournament-jobs.js";
import { CATALOGUE_GATHER_JOB, CATALOGUE_GROUP_JOB, portableConfig, stamped, TRAIN_QUEUE } from "./payload.js";

/** What a catalogue-group job carries. */
export interface CatalogueGroupPart {
  /** Position of the group in the pass (the parent returns the results in this order). */
  index: number;
  group: string | null;
  what: string;
  series: GbdtSeries[];
  withResiduals: boolean;
}

/** What a catalogue-group job returns (encoded). */
export interface CatalogueGroupOutcome {
  index: number;
  result: CatalogueGroupFit;
}

/** What the parent carries: how many groups it gathers. */
export interface CatalogueGatherPart {
  groups: number;
}

/** The detail of a group job's progress (job-progress.ts JobProgress.detail): the group's own event. */
export interface CatalogueGroupProgress {
  index: number;
  event: CatalogueGroupEvent;
}

/** Retries of a group that failed with an error (a worker lost, Redis away for a moment). */
const GROUP_ATTEMPTS = 3;

/** A runner for forecastCatalogue's options.runGroups that fits the groups on the queue's workers. */
export async function catalogueOnQueue(config: Config, log: (line: string) => void, signal?: AbortSignal): Promise<CatalogueGroupRunner> {
  const check = await checkQueueServer(config.queue.url);
  for (const warning of check.warnings) log(`warning: ${warning}`);
  return async (passConfig, groups, withResiduals, onEvent) => {
    const portable = portableConfig(passConfig);
    const children = groups.map((group, index) => ({
      name: CATALOGUE_GROUP_JOB,
      queueName: TRAIN_QUEUE,
      data: stamped(portable, {
        categories: group.series.map((one) => one.name),
        group: group.group,
        part: encode({ index, group: group.group, what: group.what, series: group.series.map(portableSeries), withResiduals } satisfies CatalogueGroupPart),
      }),
      opts: { attempts: GROUP_ATTEMPTS, backoff: { type: "fixed" as const, delay: 1000 }, failParentOnFailure: true, removeOnComplete: { age: 24 * 3600 } },
    }));

    const { flows, events, close } = await openFlowSession(config, log, "the workers' jobs are kept by Redis and this training waits for them");
    try {
      // Each group's fit and forecast progress, from its job's progress events, feeds the bar.
      const followed = followProgress(events, (_event, _jobId, progress) => {
        const detail = progress.detail as Partial<CatalogueGroupProgress> | undefined;
        if (detail && typeof detail.index === "number" && detail.event && detail.index < groups.length) onEvent(detail.index, detail.event);
      });
      const node = await flows.add({
        name: CATALOGUE_GATHER_JOB,
        queueName: TRAIN_QUEUE,
        data: stamped(portable, {
          categories: groups.flatMap((group) => group.series.map((one) => one.name)),
          part: encode({ groups: groups.length } satisfies CatalogueGatherPart),
        }),
        opts: { removeOnComplete: { age: 24 * 3600 } },
        children,
      });
      const ids = new Set((node.children ?? []).map((child) => child.job.id!));
      followed.ready((jobId) => ids.has(jobId));
      log(`queued the catalogue's GBDT fits: ${groups.length} group${groups.length === 1 ? "" : "s"} (job ${node.job.id}); waiting for workers`);
      const aborted = new Promise<never>((_, reject) =>
        signal?.addEventListener(
          "abort",
          () => reject(new Error(`interrupted: stopped waiting; the catalogue's groups already queued (job ${node.job.id}) still run on the workers`)),
          {
            once: true,
          },
        ),
      );
      try {
        return decode<CatalogueGroupFit[]>((await Promise.race([node.job.waitUntilFinished(events), aborted])) as string);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new Error(`the catalogue's fits on the queue (job ${node.job.id}) failed: ${(error as Error).message}`, { cause: error });
      }
    } finally {
      await close();
    }
  };
}
