// Messages between trainAll (main thread) and its training workers. Plain objects only:
// they cross worker_threads by structured clone (Float64Arrays included).
import type { Config } from "../config/schema.js";
import type { CategorySeries, SalesData } from "../data/types.js";
import type { CovariateData } from "../data/covariate-periods.js";
import type { ProgressEvent } from "./progress.js";
import type { CategoryResult } from "./result.js";

export type ToWorker =
  | {
      type: "train";
      config: Config;
      /** The one series to train, with the file's frequency and fingerprint. */
      frequency: SalesData["frequency"];
      source: SalesData["source"];
      series: CategorySeries;
      /** model.features.covariates of this series (the worker never opens the file itself). */
      covariates?: CovariateData;
    }
  | { type: "abort" };

export type FromWorker =
  | { type: "progress"; event: ProgressEvent }
  | { type: "run-started"; category: string; runId: string }
  | { type: "result"; result: CategoryResult }
  /** trainCategory threw before it could produce a result (a bug, or a bad configuration). */
  | { type: "error"; category: string; message: string };
