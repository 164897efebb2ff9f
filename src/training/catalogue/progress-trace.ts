// Recorded progress of a catalogue training, for measuring the ETA offline: every event the
// training sent (with its plan, and each tree's held-out metric where one was reported) and
// the second it arrived, as JSON lines, then an end line with the real duration. Replaying a
// trace through a CatalogueProgressBar on a fake clock shows the ETA exactly as the run would
// have shown it, so an estimator can be compared on several real runs without running them
// again (bench/catalogue.ts --trace-progress FILE records one; bench/eta-replay.ts replays).
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../../util/atomic-file.js";
import type { CatalogueProgress } from "./fit.js";
import { CatalogueProgressBar, etaErrors } from "./progress-bar.js";
import type { TreeForecaster } from "./progress-estimate.js";

/** One line of a trace: an event of pass `pass` at `t` seconds from the start, or the end. */
export type ProgressTraceLine = { t: number; pass: number; event: CatalogueProgress } | { t: number; end: true };

export interface ProgressTrace {
  events: { t: number; pass: number; event: CatalogueProgress }[];
  /** Seconds from the start to the end of the job. */
  total: number;
}

/** Collects a run's events in memory (a few thousand lines at most: events are throttled) and writes them at the end. */
export class ProgressRecorder {
  private readonly lines: ProgressTraceLine[] = [];
  private readonly started: number;

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  record(event: CatalogueProgress, pass: number): void {
    this.lines.push({ t: (this.now() - this.started) / 1000, pass, event });
  }

  /** Ends the trace and writes it (JSON lines), atomically. */
  async save(path: string): Promise<void> {
    this.lines.push({ t: (this.now() - this.started) / 1000, end: true });
    await writeFileAtomic(path, this.lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
  }
}

/** Parses a trace's text; `source` names it in errors. */
export function parseProgressTrace(text: string, source: string): ProgressTrace {
  const events: ProgressTrace["events"] = [];
  let total: number | undefined;
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let line: unknown;
    try {
      line = JSON.parse(raw);
    } catch {
      throw new Error(`${source}, line ${i + 1}: not JSON. A progress trace is the JSON lines bench/catalogue.js --trace-progress writes.`);
    }
    const l = line as Partial<{ t: unknown; pass: unknown; event: unknown; end: unknown }>;
    if (typeof l !== "object" || l === null || typeof l.t !== "number" || !Number.isFinite(l.t))
      throw new Error(`${source}, line ${i + 1}: no time "t" in seconds. A progress trace is the JSON lines bench/catalogue.js --trace-progress writes.`);
    if (total !== undefined) throw new Error(`${source}, line ${i + 1}: an event after the end line; record the trace again.`);
    if (l.end === true) total = l.t;
    else if (typeof l.pass === "number" && typeof l.event === "object" && l.event !== null)
      events.push({ t: l.t, pass: l.pass, event: l.event as CatalogueProgress });
    else throw new Error(`${source}, line ${i + 1}: neither an event (pass, event) nor the end line.`);
  });
  if (total === undefined) throw new Error(`${source}: no end line (the run stopped before it finished?); record the trace again.`);
  if (events.length === 0) throw new Error(`${source}: no events.`);
  return { events, total };
}

export async function readProgressTrace(path: string): Promise<ProgressTrace> {
  return parseProgressTrace(await readFile(path, "utf8"), path);
}

/** The ETA's error at a moment of a replayed run, and the trees then foreseen against those really grown. */
export interface ReplayPoint {
  at: number;
  elapsed: number;
  eta: number;
  left: number;
  /** (ETA − left) / left. */
  error: number;
  /** The trees foreseen for the model under way (undefined outside its trees), those grown by then, and how many it grew in all. */
  trees?: number;
  grownTrees?: number;
  realTrees?: number;
}

/**
 * The ETA the bar would have shown on the traced run, read at fractions `at` of its real
 * duration against the time really left (etaErrors), with `foresee` as the tree-count
 * estimator (the default one without it); with the trees foreseen at that moment, so an
 * estimator's count can be judged apart from the machine's changing speed. `write`: whether
 * the traced job wrote a version.
 */
export function replayProgressTrace(trace: ProgressTrace, options: { at?: readonly number[]; foresee?: TreeForecaster; write?: boolean } = {}): ReplayPoint[] {
  let now = 0;
  const passes = Math.max(...trace.events.map((e) => e.pass)) + 1;
  const sink = { write: () => true, isTTY: false };
  const bar = new CatalogueProgressBar(sink, passes, () => now * 1000, options.write ?? trace.events.some((e) => e.event.stage === "write"), options.foresee);
  const foreseen: { elapsed: number; trees?: number; grown: number; model: string }[] = [];
  const grown = new Map<string, number>();
  for (const { t, pass, event } of trace.events) {
    now = t;
    bar.report(event, pass);
    const part = event.part;
    const model = part ? `${pass}/${part.group}` : "";
    if (part?.kind === "trees") grown.set(model, Math.max(grown.get(model) ?? 0, part.done));
    foreseen.push({ elapsed: t, trees: bar.estimate.treesForeseen(), grown: part?.kind === "trees" ? part.done : 0, model });
  }
  return etaErrors(bar.samples, trace.total, options.at ?? [0.1, 0.25, 0.5, 0.75]).map((point) => {
    const then = foreseen.find((f) => f.elapsed >= point.elapsed);
    return then?.trees !== undefined ? { ...point, trees: then.trees, grownTrees: then.grown, realTrees: grown.get(then.model) } : point;
  });
}
