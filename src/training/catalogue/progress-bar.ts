// The catalogue training's progress on stderr: a bar over the whole job with an ETA. The job's
// stages take known shares of the time (measured at M5 size, README "Catalogues": the GBDT fit
// dominates), so the fraction done is the stages finished plus the share of the current one;
// the ETA is the time so far scaled by what is left. On a terminal the line is rewritten in
// place; anywhere else one line per stage change.
import type { CatalogueProgress } from "./fit.js";

/** Shares of one pass's time per stage (fit, forecast, aggregates, reconcile). */
const SHARES: Record<CatalogueProgress["stage"], number> = { fit: 0.8, forecast: 0.17, aggregates: 0.02, reconcile: 0.01 };
const ORDER: CatalogueProgress["stage"][] = ["fit", "forecast", "aggregates", "reconcile"];
const WIDTH = 30;

export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
}

export class CatalogueProgressBar {
  private readonly started: number;
  private lastStage = "";
  private lastDraw = 0;

  /** `passes`: 2 with catalogue.evaluate (held-out fit, then the final one), else 1. */
  constructor(
    private readonly stream: ProgressStream,
    private readonly passes: number,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Fraction of the whole job done, 0..1. */
  fraction(event: CatalogueProgress, pass: number): number {
    const before = ORDER.slice(0, ORDER.indexOf(event.stage)).reduce((sum, stage) => sum + SHARES[stage], 0);
    const within = event.total > 0 ? Math.min(1, event.done / event.total) : 0;
    return Math.min(1, (pass + before + SHARES[event.stage] * within) / this.passes);
  }

  report(event: CatalogueProgress, pass: number): void {
    const done = this.fraction(event, pass);
    const elapsed = (this.now() - this.started) / 1000;
    const eta = done > 0.01 ? (elapsed * (1 - done)) / done : Number.NaN;
    const filled = Math.round(done * WIDTH);
    const line = `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(done * 100).toFixed(0).padStart(3)}% ${formatSeconds(elapsed)} elapsed, ETA ${Number.isNaN(eta) ? "?" : formatSeconds(eta)}  pass ${pass + 1}/${this.passes}: ${event.text} (${Math.floor(event.done)}/${event.total})`;
    // Off a terminal: a line per stage change, and one per tenth of the job.
    const stage = `${pass}/${event.stage}/${event.done === event.total}/${Math.floor(done * 10)}`;
    if (this.stream.isTTY) {
      if (this.now() - this.lastDraw < 100 && stage === this.lastStage) return;
      this.stream.write(`\r${line}\u001b[K`);
    } else if (stage !== this.lastStage) this.stream.write(`${line}\n`);
    this.lastStage = stage;
    this.lastDraw = this.now();
  }

  end(): void {
    if (this.stream.isTTY) this.stream.write("\n");
  }
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
