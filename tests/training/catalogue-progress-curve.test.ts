// The trees a catalogue GBDT model will grow, foreseen from its held-out curve so far
// (progress-curve.ts), on synthetic curves of known shape whose real stop is computed by the
// engine's rule on the whole curve: geometric, power law, flat, noisy, stopping very early,
// reaching the cap. And the progress traces (progress-trace.ts): recorded, read back, replayed.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogueProgress, CataloguePlan } from "../../src/training/catalogue/fit.js";
import { CatalogueProgressBar, etaErrors } from "../../src/training/catalogue/progress-bar.js";
import { curveValue, expectedTrees, fitCurve } from "../../src/training/catalogue/progress-curve.js";
import { parseProgressTrace, ProgressRecorder, readProgressTrace, replayProgressTrace } from "../../src/training/catalogue/progress-trace.js";
import { stopOf } from "./early-stop-rule.js";

const whole = (metric: (tree: number) => number, max: number) => Array.from({ length: max }, (_, i) => metric(i + 1));

describe("fitCurve", () => {
  it("recovers a power law with asymptote and a geometric curve exactly", () => {
    const power = whole((t) => 3 + 2 * (t + 6) ** -1.5, 60);
    const p = fitCurve(power, 15)!;
    for (const t of [80, 150, 300]) expect(curveValue(p, t)).toBeCloseTo(3 + 2 * (t + 6) ** -1.5, 6);
    const geometric = whole((t) => 3 + 0.97 ** t, 60);
    const g = fitCurve(geometric, 15)!;
    expect(g.s).toBe(Number.POSITIVE_INFINITY);
    for (const t of [80, 150, 300]) expect(curveValue(g, t)).toBeCloseTo(3 + 0.97 ** t, 6);
  });

  it("finds no falling curve in a flat or rising one, nor in fewer than 4 points", () => {
    expect(fitCurve(Array.from({ length: 20 }, () => 2))).toBeUndefined();
    expect(fitCurve(Array.from({ length: 20 }, (_, i) => 2 + 0.01 * i))).toBeUndefined();
    expect(fitCurve([3, 2, 1.5])).toBeUndefined();
  });
});

describe("expectedTrees on curves of known shape", () => {
  const patience = 50;
  const minDelta = 1e-4;

  it("tells a heavy-tailed curve from a geometric one that looks alike at first, and foresees both stops", () => {
    // Both fall by about the same amount over the first 40 trees; the power law's gains then
    // shrink slowly (its best keeps moving), the geometric curve's fast.
    const power = whole((t) => 4 + 3 * (t + 5) ** -1.2, 600);
    const geometric = whole((t) => 4 + 0.55 * 0.94 ** t, 600);
    const realPower = stopOf(power, patience, minDelta);
    const realGeometric = stopOf(geometric, patience, minDelta);
    expect(realPower).toBeGreaterThan(realGeometric + 100);
    expect(realPower).toBeLessThan(600);
    for (const seen of [40, 80]) {
      const p = expectedTrees(power.slice(0, seen), patience, 600, minDelta)!;
      const g = expectedTrees(geometric.slice(0, seen), patience, 600, minDelta)!;
      expect(Math.abs(p - realPower) / realPower, `power law seen ${seen}: ${p} for ${realPower}`).toBeLessThan(0.1);
      expect(Math.abs(g - realGeometric) / realGeometric, `geometric seen ${seen}: ${g} for ${realGeometric}`).toBeLessThan(0.1);
    }
  });

  it("reads the stopping rule: a larger min delta stops the same curve earlier, and each stop is foreseen", () => {
    const power = whole((t) => 4 + 3 * (t + 5) ** -1.2, 800);
    const stops = [1e-4, 1e-3].map((d) => ({ d, real: stopOf(power, patience, d), foreseen: expectedTrees(power.slice(0, 40), patience, 800, d)! }));
    expect(stops[1].real).toBeLessThan(stops[0].real - 50);
    for (const s of stops) expect(Math.abs(s.foreseen - s.real) / s.real, `min delta ${s.d}`).toBeLessThan(0.1);
  });

  it("foresees the stop of a noisy power law within 15%", () => {
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const clean = whole((t) => 4 + 3 * (t + 5) ** -1.2, 400);
    const noisy = clean.map((v) => v + 2e-5 * noise());
    const real = stopOf(noisy, patience, minDelta);
    for (const seen of [50, 80]) {
      const foreseen = expectedTrees(noisy.slice(0, seen), patience, 400, minDelta)!;
      expect(Math.abs(foreseen - real) / real, `seen ${seen}: ${foreseen} for ${real}`).toBeLessThan(0.15);
    }
  });

  it("stops a flat curve patience trees after its first tree", () => {
    const flat = Array.from({ length: 20 }, () => 3.5);
    expect(expectedTrees(flat, patience, 200, minDelta)).toBe(51);
    expect(
      stopOf(
        Array.from({ length: 200 }, () => 3.5),
        patience,
        minDelta,
      ),
    ).toBe(51);
  });

  it("foresees a model that stops very early: best at tree 6, rising after", () => {
    const early = whole((t) => (t <= 6 ? 5 - 0.2 * t : 3.8 + 0.001 * (t - 6)), 200);
    const real = stopOf(early, patience, minDelta);
    expect(real).toBe(56);
    expect(expectedTrees(early.slice(0, 20), patience, 200, minDelta)).toBe(real);
    expect(expectedTrees(early.slice(0, 56), patience, 200, minDelta)).toBe(56);
  });

  it("foresees the cap for a curve still gaining well, and never more than the cap", () => {
    const slow = whole((t) => 4 + 3 * (t + 5) ** -0.3, 200);
    expect(stopOf(slow, patience, minDelta)).toBe(200);
    expect(expectedTrees(slow.slice(0, 40), patience, 200, minDelta)).toBe(200);
    const straight = whole((t) => 10 - 0.01 * t, 200);
    expect(expectedTrees(straight.slice(0, 30), patience, 200, minDelta)).toBe(200);
  });

  it("is unsure on a short curve or one with a non-finite value, and grows max_rounds without early stopping", () => {
    const power = whole((t) => 4 + 3 * (t + 5) ** -1.2, 40);
    expect(expectedTrees(power.slice(0, 11), patience, 200, minDelta)).toBeUndefined();
    expect(expectedTrees([...power.slice(0, 20), Number.NaN, ...power.slice(21)], patience, 200, minDelta)).toBeUndefined();
    expect(expectedTrees(power, 0, 200, minDelta)).toBe(200);
    expect(expectedTrees([], patience, 200, minDelta)).toBeUndefined();
  });
});

describe("progress traces", () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "salescast-trace-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const plan: CataloguePlan = { groups: [1000], models: 1, maxTrees: 600, patience: 50, minDelta: 1e-4, aggregates: 0, rows: 2000 };

  /** A one-group job on a fake clock: rows, then trees with a power-law curve (a tree a second, a metric reported every third), forecast, reconcile. */
  function job(send: (event: CatalogueProgress) => void, tick: (seconds: number) => void): number {
    // Stops at 408 trees of 600 allowed.
    const metric = whole((t) => 4 + 3 * (t + 5) ** -1.2, 600);
    const grown = stopOf(metric, 50, 1e-4);
    const fit = (kind: "series" | "rows" | "trees", done: number, m?: number): CatalogueProgress => ({
      stage: "fit",
      done: 0,
      total: 1,
      text: kind,
      part: { group: 0, kind, done, ...(m === undefined ? {} : { metric: m }) },
      ...(kind === "series" ? { plan } : {}),
    });
    send(fit("series", 0));
    tick(2);
    send(fit("rows", 0));
    tick(10);
    send(fit("trees", 0));
    for (let tree = 1; tree <= grown; tree++) {
      tick(1);
      // Throttled like fit.ts: a metric every third tree only.
      if (tree % 3 === 0 || tree === grown) send(fit("trees", tree, metric[tree - 1]));
    }
    send({ stage: "fit", done: 1, total: 1, text: "fitted", part: { group: 0, kind: "trees", done: grown } });
    tick(5);
    send({ stage: "forecast", done: 1000, total: 1000, text: "forecast", part: { group: 0, kind: "forecast", done: 1000 } });
    send({ stage: "reconcile", done: 0, total: 1, text: "reconciling" });
    tick(1);
    send({ stage: "reconcile", done: 1, total: 1, text: "reconciled" });
    return grown;
  }

  it("replays a recorded run to the ETA the live bar showed, and reads the trees foreseen against those grown", async () => {
    let now = 0;
    const clock = () => now * 1000;
    const live = new CatalogueProgressBar({ write: () => true, isTTY: false }, 1, clock, false);
    const recorder = new ProgressRecorder(clock);
    const grown = job(
      (event) => {
        recorder.record(event, 0);
        live.report(event, 0);
      },
      (s) => (now += s),
    );
    const path = join(folder, "run.jsonl");
    await recorder.save(path);
    const trace = await readProgressTrace(path);
    expect(trace.total).toBe(now);
    const replayed = replayProgressTrace(trace, { at: [0.25, 0.5, 0.75] });
    const shown = etaErrors(live.samples, now, [0.25, 0.5, 0.75]);
    expect(replayed.map((r) => r.error)).toEqual(shown.map((s) => s.error));
    for (const r of replayed) {
      expect(r.realTrees).toBe(grown);
      expect(r.grownTrees).toBeLessThan(grown);
      expect(Math.abs(r.trees! - grown) / grown, `at ${r.at}`).toBeLessThan(0.1);
      // On a steady clock the trees are the only unknown: the ETA is as right as their count
      // (at 75% the little time left makes a few trees a large fraction).
      if (r.at <= 0.5) expect(Math.abs(r.error), `ETA at ${r.at}`).toBeLessThan(0.2);
    }
    expect(grown).toBe(408);
    // Another estimator changes what the replay shows: always the cap (600 trees).
    const cap = replayProgressTrace(trace, { at: [0.25], foresee: () => 600 });
    expect(cap[0].trees).toBe(600);
    expect(cap[0].error).toBeGreaterThan(0.5);
  });

  it("rejects a trace that is not one, cut short, or goes on after its end, saying what to do", async () => {
    expect(() => parseProgressTrace("hello\n", "x.jsonl")).toThrow(/x\.jsonl, line 1: not JSON.*--trace-progress/);
    expect(() => parseProgressTrace('{"pass":0}\n', "x.jsonl")).toThrow(/line 1: no time "t"/);
    const event = JSON.stringify({ t: 1, pass: 0, event: { stage: "reconcile", done: 0, total: 1, text: "r" } });
    expect(() => parseProgressTrace(`${event}\n`, "x.jsonl")).toThrow(/no end line.*record the trace again/);
    expect(() => parseProgressTrace(`${event}\n{"t":2,"end":true}\n${event}\n`, "x.jsonl")).toThrow(/line 3: an event after the end line/);
    expect(() => parseProgressTrace('{"t":2,"end":true}\n', "x.jsonl")).toThrow(/no events/);
    expect(() => parseProgressTrace('{"t":1,"pass":0}\n{"t":2,"end":true}\n', "x.jsonl")).toThrow(/line 1: neither an event/);
    const missing = join(folder, "missing.jsonl");
    await expect(readProgressTrace(missing)).rejects.toThrow(/missing\.jsonl/);
    await writeFile(join(folder, "ok.jsonl"), `${event}\n{"t":2,"end":true}\n`);
    expect((await readProgressTrace(join(folder, "ok.jsonl"))).total).toBe(2);
  });
});
