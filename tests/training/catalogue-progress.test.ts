// The catalogue training's progress: the ETA prices every phase of the job (series read, rows
// built, trees with early stopping foreseen, forecasts, aggregates, reconciliation, writing),
// checked on simulated runs driven by a fake clock, each phase taking an injected time, the
// ETA read at 10, 25 and 50% of the real run against the time that was really left; and the
// events a real (small) catalogue fit sends, in the order the estimate reads them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults, type ConfigSettings } from "../../src/config/from-defaults.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadConfiguredData, type TrainingData } from "../../src/data/model-data.js";
import { forecastCatalogue, type CatalogueProgress, type CataloguePlan } from "../../src/training/catalogue/fit.js";
import { CatalogueProgressBar, etaErrors, formatSeconds } from "../../src/training/catalogue/progress-bar.js";
import { beatsBest, expectedTrees, PRIOR_SECONDS, type PhaseKind } from "../../src/training/catalogue/progress-estimate.js";
import { stopOf } from "./early-stop-rule.js";
import { improves } from "../../src/engine/gbdt/train.js";

function stream() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text) > 0, isTTY: false };
}

/** A held-out curve that falls quickly, flattens, is best at `best` (0-based) and then rises slowly. */
function curve(best: number): (tree: number) => number {
  return (tree) => (tree <= best ? 3.9 + 0.1 * Math.exp(-tree / (best / 4)) : 3.9 + 0.1 * Math.exp(-best / (best / 4)) + 2e-5 * (tree - best));
}

interface Simulation {
  passes: number;
  plan: CataloguePlan;
  /** Seconds per unit of each phase (the job's real costs). */
  cost: Record<PhaseKind, number>;
  /** Best tree of each group's curve (early stopping then grows `patience` more; patience 0: max_rounds trees). */
  best: number[];
  write?: boolean;
  /** Histogram work of tree t (from 1), its time in proportion; sent with each tree unless `silent`. Default: 1 for every tree, not sent. */
  work?: (tree: number) => number;
  silent?: boolean;
}

/** Runs the job's events through a bar on a fake clock, as fit.ts and train.ts send them; returns the bar and the real duration. */
function simulate(s: Simulation): { bar: CatalogueProgressBar; total: number } {
  let now = 0;
  const bar = new CatalogueProgressBar(stream(), s.passes, () => now, s.write ?? true);
  const spend = (kind: PhaseKind, units: number) => (now += units * s.cost[kind] * 1000);
  const { plan } = s;
  for (let pass = 0; pass < s.passes; pass++) {
    const send = (event: CatalogueProgress) => bar.report(event, pass);
    plan.groups.forEach((series, group) => {
      const fit = (kind: "series" | "rows" | "trees", done: number, metric?: number, work?: number): CatalogueProgress => ({
        stage: "fit",
        done: group,
        total: plan.groups.length,
        text: kind,
        part: { group, kind, done, ...(metric === undefined ? {} : { metric }), ...(work === undefined ? {} : { work }) },
        ...(group === 0 && kind === "series" && done === 0 ? { plan } : {}),
      });
      for (let i = 0; i < series; i += 100) {
        send(fit("series", i));
        spend("series", Math.min(100, series - i));
      }
      send(fit("rows", 0));
      spend("rows", series);
      send(fit("trees", 0));
      const grown = plan.patience > 0 ? Math.min(plan.maxTrees, s.best[group] + 1 + plan.patience) : plan.maxTrees;
      const metric = curve(s.best[group]);
      for (let tree = 1; tree <= grown; tree++) {
        const work = s.work?.(tree);
        spend("trees", series * (work ?? 1));
        send(fit("trees", tree, plan.patience > 0 ? metric(tree - 1) : undefined, s.silent ? undefined : work));
      }
      send({ stage: "fit", done: group + 1, total: plan.groups.length, text: "fitted", part: { group, kind: "trees", done: grown } });
      for (let i = 0; i < series; i += 500) {
        spend("forecast", Math.min(500, series - i));
        send({ stage: "forecast", done: i, total: series, text: "forecast", part: { group, kind: "forecast", done: Math.min(series, i + 500) } });
      }
    });
    if (plan.aggregates > 0) {
      for (let r = 0; r < plan.aggregates; r += 100) {
        send({ stage: "aggregates", done: r, total: plan.aggregates, text: "aggregates" });
        spend("aggregates", Math.min(100, plan.aggregates - r));
      }
    }
    send({ stage: "reconcile", done: 0, total: 1, text: "reconciling" });
    spend("reconcile", plan.rows);
    send({ stage: "reconcile", done: 1, total: 1, text: "reconciled" });
  }
  if (s.write ?? true) {
    bar.report({ stage: "write", done: 0, total: plan.rows, text: "writing" }, s.passes - 1);
    spend("write", plan.rows);
  }
  return { bar, total: now / 1000 };
}

/** The reference costs on a machine `slowdown` times slower, with `overrides` for some phases. */
function costs(slowdown: number, overrides: Partial<Record<PhaseKind, number>> = {}): Record<PhaseKind, number> {
  const cost = Object.fromEntries(Object.entries(PRIOR_SECONDS).map(([kind, seconds]) => [kind, seconds * slowdown])) as Record<PhaseKind, number>;
  return { ...cost, ...overrides };
}

const M5_FIFTH: CataloguePlan = { groups: [6098], models: 1, maxTrees: 200, patience: 50, minDelta: 0, aggregates: 0, rows: 15_300 };

function expectWithin(bar: CatalogueProgressBar, total: number, tolerance: number) {
  const errors = etaErrors(bar.samples, total);
  expect(errors.map((e) => e.at)).toEqual([0.1, 0.25, 0.5]);
  for (const e of errors) expect(Math.abs(e.error), `ETA at ${e.at * 100}%: ${e.eta.toFixed(1)} s for ${e.left.toFixed(1)} s left`).toBeLessThan(tolerance);
  return errors;
}

describe("catalogue ETA", () => {
  it("is within 20% at 10, 25 and 50% of a one-pass fit whose trees early-stop long before max_rounds", () => {
    // 100 trees to the best, 150 grown of 200 allowed: counting trees against max_rounds would say a third more.
    const { bar, total } = simulate({ passes: 1, plan: M5_FIFTH, cost: costs(3), best: [99], write: false });
    expectWithin(bar, total, 0.2);
    expect(bar.samples.at(-1)!.eta).toBeLessThan(0.01 * total);
  });

  it("is within 20% at 10, 25 and 50% of a fit of max_rounds trees that get cheaper as they go, priced by their histogram work", () => {
    // The work's shape as measured at the full M5 shape (2.8 passes over the rows per tree at
    // first, 1.7 by the 100th, 1.5 by the 200th), and the time per tree following it.
    const fixed: CataloguePlan = { ...M5_FIFTH, patience: 0 };
    const work = (tree: number) => 1.4 + 1.4 * Math.exp(-tree / 60);
    const { bar, total } = simulate({ passes: 1, plan: fixed, cost: costs(3), best: [0], write: false, work });
    const errors = expectWithin(bar, total, 0.2);
    // Priced at the recent trees' time alone (no work sent), the ETA is a fifth too long and more at 25%.
    const blind = simulate({ passes: 1, plan: fixed, cost: costs(3), best: [0], write: false, work, silent: true });
    const blindErrors = etaErrors(blind.bar.samples, blind.total);
    expect(blindErrors[1].error).toBeGreaterThan(0.2);
    expect(Math.abs(errors[1].error)).toBeLessThan(blindErrors[1].error);
  });

  it("is within 20% at 10, 25 and 50% of train --catalogue's two passes of max_rounds trees, the second foreseen during the first", () => {
    const fixed: CataloguePlan = { ...M5_FIFTH, patience: 0 };
    const work = (tree: number) => 1.4 + 1.4 * Math.exp(-tree / 60);
    const { bar, total } = simulate({ passes: 2, plan: fixed, cost: costs(3), best: [0], work });
    expectWithin(bar, total, 0.2);
  });

  it("does not read a slow row building as a slow machine: the trees after it are priced at the reference", () => {
    // Binning the rows and the first tree four times the reference (a long garbage collection),
    // everything else at it: right after the first tree the trees left must not cost four times more.
    const fixed: CataloguePlan = { ...M5_FIFTH, patience: 0 };
    const rows = M5_FIFTH.groups[0] * PRIOR_SECONDS.rows * 4;
    const { bar, total } = simulate({ passes: 1, plan: fixed, cost: costs(1, { rows: PRIOR_SECONDS.rows * 4 }), best: [0], write: false });
    const series = M5_FIFTH.groups[0] * PRIOR_SECONDS.series;
    const afterFirstTree = bar.samples.find((s) => s.elapsed > series + rows)!;
    const left = total - afterFirstTree.elapsed;
    expect(Math.abs(afterFirstTree.eta - left) / left).toBeLessThan(0.2);
  });

  it("foresees the row building of the final pass from the evaluation pass, rows three times dearer than the reference", () => {
    // Rows and series reading take a third of each pass: an ETA of trees alone would be short by that.
    const cost = costs(5, { rows: PRIOR_SECONDS.rows * 15, series: PRIOR_SECONDS.series * 15 });
    const { bar, total } = simulate({ passes: 2, plan: M5_FIFTH, cost, best: [99] });
    // At 10% the first rows are still being built at a cost the reference does not know; from 25% on it has been measured.
    const errors = etaErrors(bar.samples, total, [0.25, 0.5, 0.75]);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(Math.abs(e.error), `at ${e.at}`).toBeLessThan(0.2);
  });

  it("foresees the next store's forecasts from the first store's, forecasts a hundred times dearer than the reference", () => {
    const plan: CataloguePlan = { groups: [2000, 2000, 2000], models: 1, maxTrees: 200, patience: 50, minDelta: 0, aggregates: 0, rows: 10_000 };
    const { bar, total } = simulate({ passes: 1, plan, cost: costs(2, { forecast: PRIOR_SECONDS.forecast * 2 * 100 }), best: [99, 99, 99], write: false });
    const errors = etaErrors(bar.samples, total, [0.5, 0.75]);
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(Math.abs(e.error), `at ${e.at}`).toBeLessThan(0.2);
  });

  it("counts the forecasts, the aggregates, the reconciliation and the writing after the trees", () => {
    // A plan whose later phases are a large share: 40,000 aggregate series and 50,000 level rows.
    const plan: CataloguePlan = { groups: [3000], models: 1, maxTrees: 200, patience: 50, minDelta: 0, aggregates: 40_000, rows: 50_000 };
    const { bar, total } = simulate({ passes: 1, plan, cost: costs(2), best: [99] });
    const errors = expectWithin(bar, total, 0.2);
    // Without the phases after the trees the ETA while the trees grow (at 10%) would be short by their whole time.
    const after = (40_000 * PRIOR_SECONDS.aggregates + 50_000 * (PRIOR_SECONDS.reconcile + PRIOR_SECONDS.write) + 3000 * PRIOR_SECONDS.forecast) * 2;
    expect(errors[0].eta).toBeGreaterThan(after);
  });

  it("uses the evaluation pass's tree count for the final pass, and each store's for the next", () => {
    const plan: CataloguePlan = { groups: [3049, 3049, 3049], models: 1, maxTrees: 200, patience: 50, minDelta: 0, aggregates: 0, rows: 42_840 };
    const { bar, total } = simulate({ passes: 2, plan, cost: costs(4), best: [99, 99, 99] });
    expectWithin(bar, total, 0.2);
    const late = etaErrors(bar.samples, total, [0.6, 0.75, 0.9]);
    for (const e of late) expect(Math.abs(e.error)).toBeLessThan(0.1);
  });

  it("reaches 100% at the end and never shows a fraction above 1", () => {
    // Without the writing: the last event is the reconciliation's end.
    const { bar } = simulate({ passes: 1, plan: M5_FIFTH, cost: costs(1), best: [20], write: false });
    expect(bar.fraction()).toBeGreaterThan(0.95);
    expect(bar.fraction()).toBeLessThanOrEqual(1);
  });

  it("prints one line per phase change off a terminal, with the ETA", () => {
    const out = stream();
    let now = 0;
    const bar = new CatalogueProgressBar(out, 1, () => now, false);
    bar.report({ stage: "fit", done: 0, total: 1, text: "reading", part: { group: 0, kind: "series", done: 0 }, plan: M5_FIFTH }, 0);
    now = 1000;
    bar.report({ stage: "fit", done: 0, total: 1, text: "reading", part: { group: 0, kind: "series", done: 100 } }, 0);
    expect(out.lines).toHaveLength(1);
    bar.report({ stage: "fit", done: 0, total: 1, text: "building rows", part: { group: 0, kind: "rows", done: 0 } }, 0);
    expect(out.lines).toHaveLength(2);
    expect(out.lines[1]).toMatch(/^\[[#.]{30}\] +\d+% 1s elapsed, ETA \d+(m\d\d)?s {2}pass 1\/1: building rows\n$/);
  });
});

describe("the events of a catalogue fit", () => {
  let root: string;
  let data: TrainingData;
  const configOf = (settings: ConfigSettings["catalogue"] = {}) =>
    configFromDefaults(
      {
        data: {
          csv_path: join(root, "catalogue.parquet"),
          date_column: "date",
          value_column: "sales",
          series_key: ["store_id", "item_id"],
          hierarchy: [[], ["store_id"], ["store_id", "item_id"]],
        },
        model: { gbdt: { threads: 1 } },
        catalogue: { horizon: 14, max_rounds: 12, training_days: 100, evaluate: false, ...settings },
      },
      { folder: root },
    );
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "salescast-catalogue-progress-"));
    await writeCatalogue(join(root, "catalogue.parquet"), { stores: 2, items: 6, days: 220, seed: 3 });
    data = await loadConfiguredData(configOf());
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("sends the plan first, then each store's series, rows, trees and forecasts, then the aggregates and the reconciliation", async () => {
    const events: CatalogueProgress[] = [];
    await forecastCatalogue(configOf({ group_by: "store_id", reconcile: "top_down" }), data, { onProgress: (e) => events.push(e) });
    expect(events[0].plan).toEqual({ groups: [6, 6], models: 1, maxTrees: 12, patience: 0, minDelta: 1e-4, aggregates: 3, rows: 15 });
    const order = events.map((e) => (e.part ? `${e.part.group}:${e.part.kind}` : e.stage));
    const firsts = order.filter((step, i) => step !== order[i - 1]);
    expect(firsts).toEqual(["0:series", "0:rows", "0:trees", "0:forecast", "1:series", "1:rows", "1:trees", "1:forecast", "aggregates", "reconcile"]);
    // Each store's end sends its trees grown (the trees between: a few times a second at most).
    const ends = events.filter((e) => e.stage === "fit" && e.part?.kind === "trees" && e.done > e.part.group);
    expect(ends.map((e) => e.part!.done)).toEqual([12, 12]);
  });

  it("with catalogue.early_stopping false, trains on the held-out days too, grows max_rounds trees and plans no patience", async () => {
    const events: CatalogueProgress[] = [];
    const stopping = await forecastCatalogue(configOf({ early_stopping: true, max_rounds: 40, training_days: 0 }), data);
    const fixed = await forecastCatalogue(configOf({ early_stopping: false, max_rounds: 40, training_days: 0 }), data, { onProgress: (e) => events.push(e) });
    const [held] = stopping.fits[0].fit.models;
    const [all] = fixed.fits[0].fit.models;
    expect(held.valid_rows).toBeGreaterThan(0);
    expect(all.valid_rows).toBe(0);
    expect(all.train_rows).toBe(held.train_rows + held.valid_rows);
    expect(all.trees).toBe(40);
    expect(all.stopped_by).toBe("fixed");
    expect(events[0].plan?.patience).toBe(0);
    // The estimate then foresees max_rounds trees whatever the (absent) held-out curve says.
    expect(expectedTrees([], 0, 40)).toBe(40);
  });

  it("trains on the units with catalogue.scaling none, on each series divided by its mean with mean_abs", async () => {
    const none = await forecastCatalogue(configOf({ scaling: "none" }), data);
    const meanAbs = await forecastCatalogue(configOf({ scaling: "mean_abs" }), data);
    expect(none.fits[0].fit.scaling).toBe("none");
    expect(none.fits[0].fit.series.every((s) => s.scale === 1)).toBe(true);
    expect(meanAbs.fits[0].fit.scaling).toBe("mean_abs");
    expect(meanAbs.fits[0].fit.series.some((s) => s.scale !== 1)).toBe(true);
    expect(Array.from(none.forecasts)).not.toEqual(Array.from(meanAbs.forecasts));
  });

  it("refuses a scaling that is not offered, naming the choices", () => {
    expect(() => configOf({ scaling: "standard" as never })).toThrow(
      /catalogue\.scaling[\s\S]*mean_abs[\s\S]*none|mean_abs[\s\S]*none[\s\S]*catalogue\.scaling/,
    );
  });
});

describe("expectedTrees", () => {
  it("ends a model patience trees after a best that is already patience old", () => {
    const values = [5, 4, 3, 3.5, 3.6, 3.7];
    expect(expectedTrees(values, 3, 200)).toBe(6);
  });

  it("foresees where a flattening curve's best will be, and adds the patience", () => {
    const metric = curve(49);
    const seen = Array.from({ length: 30 }, (_, t) => metric(t));
    const foreseen = expectedTrees(seen, 50, 200)!;
    // The real stop: best at tree 50 (0-based 49) + 50.
    expect(foreseen).toBeGreaterThan(80);
    expect(foreseen).toBeLessThan(120);
  });

  it("is capped by max_rounds while the curve still falls steadily, and unsure on a short curve", () => {
    const straight = Array.from({ length: 40 }, (_, t) => 10 - 0.1 * t);
    expect(expectedTrees(straight, 50, 200)).toBe(200);
    expect(expectedTrees([3, 2.9], 50, 200)).toBeUndefined();
    expect(expectedTrees([3, 2.9, 2.8], 0, 200)).toBe(200);
  });

  it("foresees the stop of the min-delta rule: a slowly flattening curve stops long before the cap", () => {
    // Improvements shrink by 3% a tree: at minDelta 0 every tree is a new best (to the cap); at
    // 3e-3 the rule fires once 50 trees gain less than 0.3% on the best.
    const metric = (t: number) => 3 + 0.97 ** t;
    const whole = Array.from({ length: 300 }, (_, t) => metric(t));
    const real = stopOf(whole, 50, 3e-3);
    expect(real).toBeGreaterThan(150);
    expect(real).toBeLessThan(250);
    expect(stopOf(whole, 50, 0)).toBe(300);
    for (const seen of [30, 40, 80]) {
      const foreseen = expectedTrees(whole.slice(0, seen), 50, 300, 3e-3)!;
      expect(Math.abs(foreseen - real) / real).toBeLessThan(0.05);
      // Blind to the min delta, the estimate would be far out.
      expect(Math.abs(expectedTrees(whole.slice(0, seen), 50, 300, 0)! - real) / real).toBeGreaterThan(0.15);
    }
  });

  it("counts a tree as a new best only past the min delta, on the observed curve too", () => {
    // Best 3.0 at tree 2; the later trees gain 0.05% on it: not a best at 1e-3, so 3 trees of patience end it.
    const values = [3.2, 3.1, 3.0, 2.9985, 2.998, 2.9985];
    expect(expectedTrees(values, 3, 200, 1e-3)).toBe(6);
    expect(expectedTrees(values, 3, 200, 0)).not.toBe(6);
  });

  it("states the engine's early-stopping rule", () => {
    for (const [value, best, minDelta] of [
      [2.99, 3, 1e-3],
      [2.996, 3, 1e-3],
      [2.997, 3, 1e-3],
      [2.9999, 3, 0],
      [3, 3, 0],
      [-1.002, -1, 1e-3],
      [-1.0005, -1, 1e-3],
    ]) {
      expect(beatsBest(value, best, minDelta)).toBe(improves(value, best, { early_stopping_min_delta: 0, early_stopping_min_relative_delta: minDelta }));
    }
  });
});

describe("formatSeconds", () => {
  it("writes minutes past a minute", () => {
    expect(formatSeconds(59.4)).toBe("59s");
    expect(formatSeconds(128)).toBe("2m08s");
  });
});
