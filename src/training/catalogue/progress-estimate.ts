// How long a catalogue training has left: the work of every pass (CataloguePlan, fit.ts) priced
// phase by phase, in seconds measured on this run wherever it has measured them.
//
//   pass (1, or 2 with catalogue.evaluate) = for each GBDT group: read its series, build its
//   training rows, grow its trees, forecast its series; then the aggregates' base forecasts and
//   the reconciliation. After the last pass: writing the version (train.ts).
//
// Each phase has a unit (a series, a tree × series, an aggregate series, a level row) and a cost
// per unit. A phase that has run is priced at its own measured rate; one that has not yet run at
// its reference cost (PRIOR_SECONDS, measured on a quiet machine) times how much slower this run
// has been than the reference on the phases it has run (the machine's load, its cores). The
// trees a model will grow are foreseen, best first: the same group's count in the previous pass,
// the current model's held-out curve run through the early-stopping rule (progress-curve.ts), the
// groups already fitted, the prior.
// A tree's time follows its histogram work (engine/gbdt/tree.ts, histogramRows: one pass over the
// rows for the root, then each split's smaller child), which falls as the trees go on (the first
// trees split the rows evenly, later ones peel off small groups): measured at the full M5 shape,
// 2.7 passes per tree at first, about 1.5 by the 200th, the time per tree from 1.2 s to 0.7 s
// (a fixed part besides: TREE_FIXED_PASSES). How fast it falls is not known ahead, so the trees
// left are priced as if the split part of the recent trees' work fell evenly to none by the last
// tree: half of it on average.
// The ETA is the sum of what is left; the fraction done is elapsed / (elapsed + ETA).
import type { CataloguePlan } from "./fit.js";
import { expectedTrees } from "./progress-curve.js";

export { beatsBest, expectedTrees } from "./progress-curve.js";

export type PhaseKind = "series" | "rows" | "trees" | "forecast" | "aggregates" | "reconcile" | "write";

/**
 * Seconds per unit, relative to one another (only the ratios matter: the run's own speed scales
 * them): series, rows and forecast per series (rows: building the training rows, binning them
 * and the first tree); trees per tree and series; aggregates per aggregate series (seasonal
 * naive; a slower model is measured once it starts); reconcile and write per series of every
 * level. Series, rows, trees and forecast: the mean of the demo catalogue's 2-store fifth (6,098
 * series) and its full M5 shape (30,490), 200 trees on 365 training days with covariates, on a
 * quiet machine (2026-12-05, bench:catalogue --trace-progress; the two within 20% of each other
 * but the forecast, 2.7e-4 and 4.7e-4; rows from its start to the first tree's end, up to 7.9e-4
 * in one full-shape run). The others: the 2-store fifth at load 12 (earlier).
 */
export const PRIOR_SECONDS: Record<PhaseKind, number> = {
  series: 9.0e-5,
  rows: 5.0e-4,
  trees: 2.8e-5,
  forecast: 3.6e-4,
  aggregates: 2.0e-4,
  reconcile: 2.0e-5,
  write: 1.0e-4,
};

/** Trees a Tweedie catalogue fit keeps before early stopping, at the reference settings (2-store fifth: 50 with mean_abs scaling, 89-150 in units). */
export const PRIOR_BEST_TREES = 100;

/** Foresees how many trees a model grows in all (undefined: cannot tell yet) from its held-out curve so far and the stopping rule. */
export type TreeForecaster = (curve: readonly number[], patience: number, maxTrees: number, minDelta: number) => number | undefined;

/** Where a pass is: the group and phase under way and the units of it done. */
export interface ProgressPosition {
  pass: number;
  /** Group index for series/rows/trees/forecast, ignored by the later phases. */
  group: number;
  kind: PhaseKind;
  done: number;
}

interface PhaseTime {
  seconds: number;
  units: number;
  prior: number;
}

export class CatalogueEta {
  private readonly plans: (CataloguePlan | undefined)[];
  private readonly measured = new Map<PhaseKind, PhaseTime>();
  /** Trees grown by each finished group, per pass. */
  private readonly grown: Map<number, number>[];
  private curve: number[] = [];
  /** The trees foreseen from the curve at its length `length`. */
  private foreseen: { length: number; trees: number | undefined } | undefined;
  /** (time, trees grown, their histogram work so far: NaN once an event lacked it) of each event of the trees under way: their recent rate. */
  private marks: { t: number; done: number; work: number }[] = [];
  private position: ProgressPosition | undefined;
  private phaseStarted = 0;
  /** Units already done when the current phase was first reported (trees grown before the first tree event). */
  private phaseFrom = 0;
  private readonly started: number;

  /** `passes`: 2 with catalogue.evaluate, else 1; `write`: the version is written after the last pass (train, not the bench). */
  constructor(
    private readonly passes: number,
    private readonly now: () => number = Date.now,
    private readonly write = true,
    private readonly foresee: TreeForecaster = expectedTrees,
  ) {
    this.plans = Array.from({ length: passes }, () => undefined);
    this.grown = Array.from({ length: passes }, () => new Map());
    this.started = now();
  }

  plan(pass: number, plan: CataloguePlan): void {
    this.plans[pass] = plan;
  }

  /** Seconds since the start. */
  elapsed(): number {
    return (this.now() - this.started) / 1000;
  }

  /**
   * The job has reached `position` (`metric`: the held-out metric of the tree just grown; `work`:
   * the mean histogram work of the trees since the last event).
   */
  at(position: ProgressPosition, metric?: number, work?: number): void {
    const previous = this.position;
    // Binning the rows and the first tree belong to the row building: the trees' rate is
    // measured from the first tree reported on, so a fixed start cost does not inflate it.
    if (position.kind === "trees" && position.done === 0 && previous?.kind === "rows") return;
    const t = this.now();
    const samePhase = previous && previous.pass === position.pass && previous.group === position.group && previous.kind === position.kind;
    if (!samePhase) {
      if (previous) this.close(previous, t);
      this.phaseStarted = t;
      this.phaseFrom = position.done;
      if (position.kind === "trees") {
        this.curve = [];
        this.foreseen = undefined;
      }
      this.marks = [];
    }
    if (position.kind === "trees") {
      const before = this.marks[this.marks.length - 1];
      const grown = position.done - (before?.done ?? position.done);
      const added = grown === 0 ? 0 : work !== undefined && Number.isFinite(work) ? grown * work : Number.NaN;
      this.marks.push({ t, done: position.done, work: (before?.work ?? 0) + added });
    }
    if (position.kind === "trees" && metric !== undefined && Number.isFinite(metric)) {
      // Trees between throttled events: on the line from the last metric reported to this one.
      const from = this.curve.length;
      const last = this.curve[from - 1] ?? metric;
      for (let tree = from; tree < position.done - 1; tree++) this.curve.push(last + ((metric - last) * (tree - from + 1)) / (position.done - from));
      this.curve.push(metric);
    }
    this.position = position;
  }

  /** A finished phase's time joins its kind's measured rate. */
  private close(phase: ProgressPosition, t: number): void {
    let units = this.unitsOf(phase, this.plans[phase.pass], true);
    if (phase.kind === "trees") {
      this.grown[phase.pass].set(phase.group, phase.done);
      units = (phase.done - this.phaseFrom) * (this.plans[phase.pass]?.groups[phase.group] ?? 0);
    }
    this.add(phase.kind, (t - this.phaseStarted) / 1000, units);
  }

  private add(kind: PhaseKind, seconds: number, units: number): void {
    if (units <= 0) return;
    const m = this.measured.get(kind) ?? { seconds: 0, units: 0, prior: 0 };
    m.seconds += seconds;
    m.units += units;
    m.prior += units * PRIOR_SECONDS[kind];
    this.measured.set(kind, m);
  }

  /** Units of a phase: all of it, or (done = true) what the position says was done. */
  private unitsOf(phase: ProgressPosition, plan: CataloguePlan | undefined, done: boolean): number {
    const series = plan?.groups[phase.group] ?? 0;
    switch (phase.kind) {
      case "series":
      case "rows":
      case "forecast":
        return series;
      case "trees":
        return (done ? phase.done : this.treesOf(phase.pass, phase.group)) * series;
      case "aggregates":
        return plan?.aggregates ?? 0;
      case "reconcile":
      case "write":
        return plan?.rows ?? 0;
    }
  }

  /** How much slower than the reference this run has been, over everything measured but the row building (1 before anything is). */
  private slowdown(): number {
    let seconds = 0;
    let prior = 0;
    for (const [kind, m] of this.measured) {
      // The row building is not read as the machine's speed: binning the rows and the first tree
      // took 6 to 15 s at the full M5 shape on the same quiet machine (allocating and collecting
      // gigabytes), and priced the trees 2.3 times too dear. Its own rate still prices later passes'.
      if (kind === "rows") continue;
      seconds += m.seconds;
      prior += m.prior;
    }
    const current = this.currentPhase();
    if (current && current.units > 0) {
      seconds += current.seconds;
      prior += current.units * PRIOR_SECONDS[current.kind];
    }
    return prior > 0 && seconds > 0 ? seconds / prior : 1;
  }

  /** The phase under way as measured so far (the trees' part only once trees have grown). */
  private currentPhase(): { kind: PhaseKind; seconds: number; units: number } | undefined {
    const p = this.position;
    if (!p) return undefined;
    const seconds = (this.now() - this.phaseStarted) / 1000;
    const series = this.plans[p.pass]?.groups[p.group] ?? 0;
    const units = p.kind === "trees" ? (p.done - this.phaseFrom) * series : p.kind === "series" || p.kind === "forecast" ? p.done - this.phaseFrom : 0;
    return { kind: p.kind, seconds, units };
  }

  /**
   * Seconds per unit of a kind: the phase under way's recent rate (the trees of its later half:
   * the machine's load changes, and the first trees split more), else what earlier phases of
   * the kind measured, else the prior scaled by the slowdown.
   */
  private rate(kind: PhaseKind): number {
    const p = this.position;
    if (p && p.kind === kind) {
      const series = this.plans[p.pass]?.groups[p.group] ?? 0;
      // A few trees first: the first ones' times are noise next to an earlier pass's rate.
      const enough = p.done - this.phaseFrom >= 5 || !this.measured.has("trees");
      if (kind === "trees" && enough && this.marks.length >= 2 && series > 0) {
        const last = this.marks[this.marks.length - 1];
        const half = last.done - Math.max(5, Math.floor((last.done - this.phaseFrom) / 2));
        const from = this.marks.find((m) => m.done >= half) ?? this.marks[0];
        if (last.done > from.done && this.now() > from.t) return ((this.now() - from.t) / 1000 / ((p.done - from.done) * series)) * workAhead(from, last);
      }
      // Likewise a twentieth of the phase first (the first series of a forecast pay its start):
      // before that, an earlier pass's rate or the prior.
      const current = this.currentPhase();
      const total = this.unitsOf(p, this.plans[p.pass], false);
      const sure = current !== undefined && current.units >= total / 20;
      if (kind !== "trees" && sure && current.units > 0 && current.seconds > 0) return current.seconds / current.units;
    }
    const m = this.measured.get(kind);
    if (m && m.units > 0) return m.seconds / m.units;
    return PRIOR_SECONDS[kind] * this.slowdown();
  }

  /** Trees group `group` of pass `pass` will grow (all its models). */
  private treesOf(pass: number, group: number): number {
    const plan = this.plans[pass] ?? this.plans.find((p) => p !== undefined);
    const models = plan?.models ?? 1;
    const maxTrees = plan?.maxTrees ?? 200;
    const done = this.grown[pass].get(group);
    if (done !== undefined) return done;
    const p = this.position;
    const current = p && p.pass === pass && p.group === group && p.kind === "trees" ? p.done : 0;
    // Without early stopping (patience 0) every model grows max_rounds trees.
    if (plan && plan.patience <= 0) return Math.max(current, models * maxTrees);
    for (let earlier = pass - 1; earlier >= 0; earlier--) {
      const before = this.grown[earlier].get(group);
      if (before !== undefined) return Math.max(current + 1, before);
    }
    if (current > 0 && models === 1) {
      // The curve's fit is read several times per event: once per curve length.
      if (this.foreseen?.length !== this.curve.length)
        this.foreseen = { length: this.curve.length, trees: this.foresee(this.curve, plan?.patience ?? 0, maxTrees, plan?.minDelta ?? 0) };
      const foreseen = this.foreseen.trees;
      if (foreseen !== undefined) return Math.max(current, foreseen);
    }
    const finished = [...this.grown[pass].values()];
    const typical =
      finished.length > 0 ? finished.reduce((a, b) => a + b, 0) / finished.length : models * Math.min(maxTrees, PRIOR_BEST_TREES + (plan?.patience ?? 0));
    return Math.max(current + 1, typical);
  }

  /** Trees the model under way will grow in all, as foreseen now (undefined outside a trees phase). */
  treesForeseen(): number | undefined {
    const p = this.position;
    return p?.kind === "trees" ? this.treesOf(p.pass, p.group) : undefined;
  }

  /** Seconds left: the current phase's rest, the pass's later phases, later passes, the writing. */
  eta(): number {
    const p = this.position;
    if (!p) return Number.NaN;
    const order: PhaseKind[] = ["series", "rows", "trees", "forecast"];
    let left = 0;
    for (let pass = p.kind === "write" ? this.passes : p.pass; pass < this.passes; pass++) {
      const plan = this.plans[pass] ?? this.plans[p.pass];
      if (!plan) continue;
      const groupFrom = pass === p.pass ? p.group : 0;
      for (let g = groupFrom; g < plan.groups.length; g++) {
        for (const kind of order) {
          const phase = { pass, group: g, kind, done: 0 };
          const here = pass === p.pass && g === p.group;
          if (here && order.indexOf(kind) < order.indexOf(p.kind) && order.includes(p.kind)) continue;
          if (pass === p.pass && !order.includes(p.kind)) continue; // past the groups already
          let units = this.unitsOf(phase, plan, false);
          if (here && kind === p.kind) units = this.remainingOfCurrent(p, units);
          left += units * this.rate(kind);
        }
      }
      for (const kind of ["aggregates", "reconcile"] as const) {
        const phaseIndex = ["aggregates", "reconcile"].indexOf(kind);
        const currentIndex = ["aggregates", "reconcile"].indexOf(p.kind);
        if (pass === p.pass && currentIndex > phaseIndex) continue;
        let units = this.unitsOf({ pass, group: 0, kind, done: 0 }, plan, false);
        if (pass === p.pass && kind === p.kind) units = kind === "reconcile" && p.done > 0 ? 0 : Math.max(0, units - p.done);
        left += units * this.rate(kind);
      }
    }
    if (this.write) {
      const plan = this.plans[this.passes - 1] ?? this.plans[p.pass];
      let units = plan?.rows ?? 0;
      if (p.kind === "write") units = Math.max(0, units - p.done);
      left += units * this.rate("write");
    }
    return left;
  }

  private remainingOfCurrent(p: ProgressPosition, units: number): number {
    const series = this.plans[p.pass]?.groups[p.group] ?? 0;
    if (p.kind === "trees") return Math.max(0, units - p.done * series);
    if (p.kind === "rows") {
      // No count inside: what is left is the expected time less the time spent.
      const spent = (this.now() - this.phaseStarted) / 1000;
      const rate = this.rate("rows");
      return rate > 0 ? Math.max(0, units - spent / rate) : units;
    }
    return Math.max(0, units - p.done);
  }

  /** Fraction of the job done, 0..1, consistent with the ETA. */
  fraction(): number {
    const eta = this.eta();
    const elapsed = this.elapsed();
    if (!Number.isFinite(eta) || elapsed + eta <= 0) return 0;
    return Math.min(1, elapsed / (elapsed + eta));
  }
}

/**
 * A tree's time besides its histograms (every row's gradient and score, the partitions of its
 * splits), in histogram passes over the rows. Measured on 200-tree fits (2026-12-05,
 * bench:catalogue --trace-progress, quiet machine): at the full M5 shape 0.33 s per pass plus
 * 0.26 s, about 0.8 passes; on the 2-store fifth the time fell faster than the work (0.43 times
 * against 0.53: its partitions shrink too), as if below none. Half a pass, between the two:
 * replayed (bench/eta-replay.ts), the ETA of three full-shape runs is then within 9% at 10, 25,
 * 50 and 75%, the 2-store fifth's within 28% (too long; before the reference costs were measured
 * again: 29% with half a pass, 34% with one, 19% with none).
 */
const TREE_FIXED_PASSES = 0.5;

/**
 * The time of a tree to come against the recent trees' (from `from` to `last`): the fixed part
 * and the root's pass alike, half their split work (see the top of the file). 1 without work
 * reported.
 */
export function workAhead(from: { done: number; work: number }, last: { done: number; work: number }): number {
  const recent = (last.work - from.work) / (last.done - from.done);
  if (!Number.isFinite(recent) || recent <= 0) return 1;
  return (TREE_FIXED_PASSES + 1 + Math.max(0, recent - 1) / 2) / (TREE_FIXED_PASSES + recent);
}
