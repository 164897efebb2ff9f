// A catalogue group fitted on a thread of the worker process (catalogue-work.ts says why): the
// group's events and its result go back to the worker's main thread, which sends them on to
// the queue. Loaded only from the compiled dist/ (a worker always runs the built CLI).
import { parentPort } from "node:worker_threads";
import type { Config } from "../config/schema.js";
import { fitCatalogueGroup, type CatalogueGroupEvent, type CatalogueGroupFit } from "../training/catalogue/fit.js";
import type { CatalogueGroupPart } from "./catalogue-jobs.js";

export interface CatalogueToThread {
  config: Config;
  part: CatalogueGroupPart;
}

export type CatalogueFromThread =
  { type: "event"; event: CatalogueGroupEvent } | { type: "result"; result: CatalogueGroupFit } | { type: "error"; message: string };

if (!parentPort) throw new Error("src/queue/catalogue-thread.ts is a worker_threads entry point; catalogue-work.ts starts it");
const port = parentPort;
const send = (message: CatalogueFromThread) => port.postMessage(message);
port.once("message", ({ config, part }: CatalogueToThread) => {
  try {
    const result = fitCatalogueGroup(config, part.series, part.what, part.withResiduals, (event) => send({ type: "event", event }));
    send({ type: "result", result });
  } catch (error) {
    send({ type: "error", message: error instanceof Error ? error.message : String(error) });
  }
});
