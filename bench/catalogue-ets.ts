// bench:catalogue's bottom-up ETS row: salescast's AutoETS (src/models/ets) on each bottom series
// of a catalogue (or an evenly spread sample), from its first sale to the cutoff, on worker
// threads. Fitting 30,490 series one after another takes about an hour; each thread here fits a
// strided share (series i, i + threads, ...: the shares mix every store and item alike), reads
// the catalogue's values from their SharedArrayBuffer (no copy) and sends back one Float64Array
// of forecasts, transferred, not cloned per series. The fit of a series is the same function in
// every thread (fitBottomSeries), so the forecasts are bit-identical to
// fitting them all in this thread (tests/bench/catalogue-ets.test.ts).
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import type { Config } from "../src/config/schema.js";
import { isoFromEpochDay } from "../src/data/dates.js";
import { familyOf } from "../src/models/families.js";
import { formatSeconds } from "../src/training/catalogue/progress-bar.js";
import { exchangeWithWorker, runOnWorkerPool } from "../src/util/worker-pool.js";

/** What a thread reads of the catalogue: the matrix's values are on a SharedArrayBuffer, read without a copy. */
export interface EtsMatrix {
  values: Float64Array;
  periods: number;
  firstDay: number;
  firstPeriod: Int32Array;
}

export type EtsToWorker = { config: Config; matrix: EtsMatrix; names: string[]; chosen: number[]; end: number; horizon: number };
export type EtsFromWorker = { type: "progress"; done: number } | { type: "result"; forecasts: Float64Array } | { type: "error"; message: string };

/** How often (in series) a thread reports its progress. */
export const REPORT_EVERY = 25;

/**
 * AutoETS fitted on each chosen series of the matrix, from its first sale (at most end − 2) to
 * `end`, and its next `horizon` days forecast: chosen.length × horizon values, in `chosen`'s
 * order. `names` are the chosen series' names.
 */
export async function fitBottomSeries(
  config: Config,
  matrix: EtsMatrix,
  names: readonly string[],
  chosen: readonly number[],
  end: number,
  horizon: number,
  onDone?: (done: number) => void,
): Promise<Float64Array> {
  const family = familyOf("ets");
  const T = matrix.periods;
  const out = new Float64Array(chosen.length * horizon);
  for (let i = 0; i < chosen.length; i++) {
    const b = chosen[i];
    const first = Math.min(matrix.firstPeriod[b], end - 2);
    const input = {
      name: names[i],
      values: matrix.values.slice(b * T + first, b * T + end),
      start: isoFromEpochDay(matrix.firstDay + first),
      frequency: "D" as const,
    };
    const model = await family.fit([input], { config });
    out.set(model.forecast(input, horizon), i * horizon);
    onDone?.(i + 1);
  }
  return out;
}

/** The built worker (dist/bench/catalogue-ets-worker.js), or undefined when running from .ts sources. */
export function etsWorkerUrl(): URL | undefined {
  if (!import.meta.url.endsWith(".js")) return undefined;
  const url = new URL("./catalogue-ets-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** The series fitted: all, or `sample` of them spread evenly over the catalogue. */
export function chosenSeries(series: number, sample: number | undefined): number[] {
  return sample === undefined || sample >= series
    ? Array.from({ length: series }, (_, b) => b)
    : Array.from({ length: sample }, (_, i) => Math.floor((i * series) / sample));
}

export interface BottomEtsOptions {
  /** Worker threads; 1 (or no built worker) fits in this thread. Default: the machine's cores. */
  threads?: number;
  /** Progress lines (with an ETA) go here; none when undefined. */
  log?: (line: string) => void;
}

/**
 * AutoETS forecasts (chosen.length × horizon, in `chosen`'s order) of the chosen bottom series
 * of `matrix` at cutoff `end`, on `threads` worker threads.
 */
export async function forecastBottomEts(
  config: Config,
  matrix: EtsMatrix,
  names: readonly string[],
  chosen: readonly number[],
  end: number,
  horizon: number,
  options: BottomEtsOptions = {},
): Promise<{ forecasts: Float64Array; threads: number }> {
  const url = etsWorkerUrl();
  const threads = url === undefined ? 1 : Math.max(1, Math.min(options.threads ?? availableParallelism(), chosen.length));
  const started = performance.now();
  const done = new Array<number>(threads).fill(0);
  let reported = 0;
  const progress = (thread: number, count: number) => {
    done[thread] = count;
    const total = done.reduce((s, d) => s + d, 0);
    if (total - reported < 200 && total !== chosen.length) return;
    reported = total;
    const elapsed = (performance.now() - started) / 1000;
    options.log?.(
      `bottom-up ETS: ${total}/${chosen.length} series on ${threads} thread${threads === 1 ? "" : "s"}, ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds((elapsed / total) * (chosen.length - total))}\n`,
    );
  };
  const chosenNames = chosen.map((b) => names[b]);
  if (threads === 1) return { forecasts: await fitBottomSeries(config, matrix, chosenNames, chosen, end, horizon, (count) => progress(0, count)), threads };
  // The values reach every thread without a copy (a matrix not on shared memory is copied there once).
  const shared: EtsMatrix = {
    values: matrix.values.buffer instanceof SharedArrayBuffer ? matrix.values : sharedCopy(matrix.values),
    periods: matrix.periods,
    firstDay: matrix.firstDay,
    firstPeriod: matrix.firstPeriod,
  };
  // Strided shares: thread t fits chosen[t], chosen[t + threads], ...
  const shares = Array.from({ length: threads }, (_, t) => chosen.filter((_, i) => i % threads === t));
  const shareNames = shares.map((_, t) => chosenNames.filter((_, i) => i % threads === t));
  const results = await runOnWorkerPool<number, Float64Array | Error>({
    url: url!,
    jobs: shares.map((_, t) => t),
    threads,
    abortMessage: undefined,
    run: (worker, t) => fitOnWorker(worker, { config, matrix: shared, names: shareNames[t], chosen: shares[t], end, horizon }, (count) => progress(t, count)),
  });
  const forecasts = new Float64Array(chosen.length * horizon);
  results.forEach((result, t) => {
    if (result instanceof Error) throw result;
    for (let j = 0; j < shares[t].length; j++) forecasts.set(result.subarray(j * horizon, (j + 1) * horizon), (j * threads + t) * horizon);
  });
  return { forecasts, threads };
}

function fitOnWorker(worker: Worker, message: EtsToWorker, onDone: (count: number) => void): Promise<{ value: Float64Array | Error; alive: boolean }> {
  return exchangeWithWorker<EtsFromWorker, Float64Array>(worker, message, "bottom-up ETS", (reply, settle) => {
    if (reply.type === "progress") onDone(reply.done);
    else if (reply.type === "result") settle(reply.forecasts);
    else settle(new Error(`bottom-up ETS thread: ${reply.message}`));
  });
}

function sharedCopy(values: Float64Array): Float64Array {
  const copy = new Float64Array(new SharedArrayBuffer(values.length * 8));
  copy.set(values);
  return copy;
}
