// The catalogue training's progress on stderr: a bar over the whole job with an ETA. The ETA
// prices the work left phase by phase (progress-estimate.ts: row building, trees with early
// stopping foreseen, forecasts, aggregates, reconciliation, writing), and the bar shows
// elapsed / (elapsed + ETA). On a terminal the line is rewritten in place; anywhere else one
// line per phase change and per tenth of the job.
import type { CatalogueProgress } from "./fit.js";
import { CatalogueEta, type ProgressPosition, type TreeForecaster } from "./progress-estimate.js";

const WIDTH = 30;

export interface ProgressStream {
  write(text: string): boolean;
  isTTY?: boolean;
}

/** What the ETA said at a moment: seconds since the start and seconds left. */
export interface EtaSample {
  elapsed: number;
  eta: number;
}

export class CatalogueProgressBar {
  readonly estimate: CatalogueEta;
  /** Every ETA shown (at most a few a second), for measuring it against the real end. */
  readonly samples: EtaSample[] = [];
  private lastStage = "";
  private lastDraw = 0;

  /**
   * `passes`: 2 with catalogue.evaluate (held-out fit, then the final one), else 1; `write`:
   * whether a version is written after the last pass (train --catalogue, not the bench);
   * `foresee`: the tree-count estimator (expectedTrees; another for comparing them on traces).
   */
  constructor(
    private readonly stream: ProgressStream,
    private readonly passes: number,
    private readonly now: () => number = Date.now,
    write = true,
    foresee?: TreeForecaster,
  ) {
    this.estimate = new CatalogueEta(passes, now, write, foresee);
  }

  /** Fraction of the whole job done, 0..1. */
  fraction(): number {
    return this.estimate.fraction();
  }

  report(event: CatalogueProgress, pass: number): void {
    if (event.plan) this.estimate.plan(pass, event.plan);
    const position = positionOf(event, pass);
    if (position) this.estimate.at(position, event.part?.metric, event.part?.work);
    // The group's last tree count arrives with its end: the forecast starts right after.
    if (event.stage === "fit" && event.part?.kind === "trees" && event.done > event.part.group)
      this.estimate.at({ pass, group: event.part.group, kind: "forecast", done: 0 });
    const elapsed = this.estimate.elapsed();
    const eta = this.estimate.eta();
    const done = this.fraction();
    if (Number.isFinite(eta)) this.samples.push({ elapsed, eta });
    const filled = Math.round(done * WIDTH);
    const line = `[${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(done * 100).toFixed(0).padStart(3)}% ${formatSeconds(elapsed)} elapsed, ETA ${Number.isFinite(eta) ? formatSeconds(eta) : "?"}  pass ${pass + 1}/${this.passes}: ${event.text}${event.total > 1 ? ` (${Math.floor(event.done)}/${event.total})` : ""}`;
    // Off a terminal: a line per phase change, and one per tenth of the job.
    const stage = `${pass}/${event.stage}/${event.part?.kind ?? ""}/${event.part?.group ?? ""}/${Math.floor(done * 10)}`;
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

/** The estimator's position for an event (undefined for the end-of-group count, handled apart). */
export function positionOf(event: CatalogueProgress, pass: number): ProgressPosition | undefined {
  if (event.part) return { pass, group: event.part.group, kind: event.part.kind, done: event.part.done };
  if (event.stage === "aggregates" || event.stage === "reconcile" || event.stage === "write") return { pass, group: 0, kind: event.stage, done: event.done };
  return undefined;
}

/**
 * The ETA's error at moments of the real run: for each fraction of the real duration `total`,
 * the first ETA shown from then on against the time that was really left, (ETA − left) / left.
 */
export function etaErrors(
  samples: readonly EtaSample[],
  total: number,
  at: readonly number[] = [0.1, 0.25, 0.5],
): { at: number; elapsed: number; eta: number; left: number; error: number }[] {
  return at.flatMap((fraction) => {
    const sample = samples.find((s) => s.elapsed >= fraction * total);
    if (!sample) return [];
    const left = total - sample.elapsed;
    return [{ at: fraction, elapsed: sample.elapsed, eta: sample.eta, left, error: (sample.eta - left) / left }];
  });
}

export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
