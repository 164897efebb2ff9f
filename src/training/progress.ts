// Training progress on stderr (stdout stays clean for the summary and --json output).
// On a terminal: one line rewritten in place, one segment per category being trained
// ("M01AB e3/10 b40/53 loss 0.4123 ETA 1m05s"). Anywhere else (CI logs, pipes): one
// plain line per finished epoch, so logs do not fill with carriage returns.

import type { FitProgress } from "../models/model.js";
import type { CategoryResult } from "./result.js";

/** A fit's batch report (src/models/model.ts FitProgress) of one category. */
export type BatchProgress = Omit<Extract<FitProgress, { kind: "batch" }>, "kind"> & { category: string };

/** A fit's epoch report of one category. */
export type EpochProgress = Omit<Extract<FitProgress, { kind: "epoch" }>, "kind"> & { category: string };

/** What trainers and workers report; a plain object so it crosses worker_threads intact. */
export type ProgressEvent =
  | ({ kind: "batch" } & BatchProgress)
  | ({ kind: "epoch" } & EpochProgress)
  | { kind: "message"; category: string; text: string }
  /**
   * The category is finished (ok, skipped or failed): its segment leaves the live line. `result`
   * is what it produced, so a listener (the server's training jobs) can publish it at once
   * instead of when every category of the run has finished.
   */
  | { kind: "done"; category: string; text: string; result?: CategoryResult };

export interface ProgressSink {
  report(event: ProgressEvent): void;
}

export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

interface CategoryState {
  epoch: number;
  maxEpochs: number;
  batch: number;
  batches: number;
  loss: number;
  /** When the first event of this category arrived, and how many batches were done by then. */
  firstSeenAt: number;
  firstPosition: number;
}

const REDRAW_INTERVAL_MS = 100;
/** Width assumed when the stream reports none (a pipe) or 0 (some terminals under script, CI). */
const DEFAULT_COLUMNS = 120;

export class ProgressDisplay implements ProgressSink {
  private readonly active = new Map<string, CategoryState>();
  private readonly tty: boolean;
  private lastDraw = 0;
  private lineShown = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
    tty?: boolean,
  ) {
    this.tty = tty ?? Boolean(stream.isTTY);
  }

  report(event: ProgressEvent): void {
    if (event.kind === "batch") this.onBatch(event);
    else if (event.kind === "epoch") this.onEpoch(event);
    else if (event.kind === "done") this.finish(event.category, event.text);
    else this.print(`${event.category}: ${event.text}`);
  }

  /** Forgets a category (finished, skipped or failed) and prints its final line. */
  finish(category: string, text: string): void {
    this.active.delete(category);
    this.print(`${category}: ${text}`);
  }

  /** Clears the updating line; call once when all work is done. */
  close(): void {
    this.clearLine();
  }

  private onBatch(event: BatchProgress): void {
    const state = this.active.get(event.category) ?? {
      epoch: event.epoch,
      maxEpochs: event.maxEpochs,
      batch: event.batch,
      batches: event.batches,
      loss: Number.NaN,
      firstSeenAt: this.now(),
      firstPosition: batchesDone(event),
    };
    state.epoch = event.epoch;
    state.maxEpochs = event.maxEpochs;
    state.batch = event.batch;
    state.batches = event.batches;
    state.loss = event.loss;
    this.active.set(event.category, state);
    if (!this.tty) return;
    const time = this.now();
    if (time - this.lastDraw < REDRAW_INTERVAL_MS && event.batch !== event.batches) return;
    this.lastDraw = time;
    this.draw();
  }

  private onEpoch(event: EpochProgress): void {
    if (this.tty) {
      this.draw();
      return;
    }
    this.stream.write(
      `${event.category} epoch ${event.epoch}/${event.maxEpochs} train_loss ${event.trainLoss.toFixed(4)} ` +
        `val_loss ${event.valLoss.toFixed(4)}${event.improved ? " *" : ""} (${event.seconds.toFixed(1)}s)\n`,
    );
  }

  private draw(): void {
    const segments = [...this.active.entries()].map(([category, s]) => {
      const loss = Number.isFinite(s.loss) ? s.loss.toFixed(4) : "-";
      return `${category} e${s.epoch}/${s.maxEpochs} b${s.batch}/${s.batches} loss ${loss} ETA ${formatDuration(this.eta(s))}`;
    });
    let line = segments.join(" | ");
    const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : DEFAULT_COLUMNS;
    const width = columns - 1;
    if (line.length > width) line = `${line.slice(0, Math.max(0, width - 1))}…`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.lineShown = true;
  }

  /**
   * Upper bound: assumes every remaining epoch runs (early stopping may end sooner). The speed
   * comes from the batch positions the events carry, not from how many events arrived: worker
   * threads send at most a few events per second, however many batches they train meanwhile.
   */
  private eta(state: CategoryState): number {
    const elapsed = (this.now() - state.firstSeenAt) / 1000;
    const done = batchesDone(state) - state.firstPosition;
    if (done <= 0 || elapsed <= 0) return Number.NaN;
    const remaining = state.maxEpochs * state.batches - batchesDone(state);
    return (elapsed / done) * remaining;
  }

  private print(text: string): void {
    this.clearLine();
    this.stream.write(`${text}\n`);
    if (this.tty && this.active.size > 0) this.draw();
  }

  private clearLine(): void {
    if (this.tty && this.lineShown) {
      this.stream.write("\r\x1b[2K");
      this.lineShown = false;
    }
  }
}

/** Batches finished by the end of this event's batch, counted from the first batch of epoch 1. */
function batchesDone(at: { epoch: number; batch: number; batches: number }): number {
  return (at.epoch - 1) * at.batches + at.batch;
}

/** A sink that drops everything (library callers and tests that do not want output). */
export const silentProgress: ProgressSink = { report() {} };

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
