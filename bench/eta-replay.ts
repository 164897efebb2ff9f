// The catalogue progress ETA replayed on recorded runs (issue 19): each trace that
// `node dist/bench/catalogue.js ... --trace-progress FILE` wrote is fed to the progress bar on a
// fake clock, once per estimator of the trees a model will grow, and the ETA's error read at 10,
// 25, 50 and 75% of the run's real duration against the time really left, (ETA − left) / left.
//
//   node dist/bench/eta-replay.js TRACE.jsonl... [--json]
//
// Estimators compared: the one in use (progress-curve.ts: a power law with asymptote and shift
// fitted to the curve), the same without a shift (a pure power law), the curve's improvements
// extrapolated geometrically (the estimate before, kept here for comparison), the cap assumed
// until the curve itself stops (pessimistic), and the best so far plus the patience (optimistic).
import { basename } from "node:path";
import { beatsBest, curveValue, expectedTrees, fitCurve, stopOn, stopsBy } from "../src/training/catalogue/progress-curve.js";
import type { TreeForecaster } from "../src/training/catalogue/progress-estimate.js";
import { readProgressTrace, replayProgressTrace } from "../src/training/catalogue/progress-trace.js";
import { formatTextTable } from "../src/util/text-table.js";

const AT = [0.1, 0.25, 0.5, 0.75];

/** The estimate before the power law: improvements shrinking by a constant ratio per tree. */
function geometricTrees(curve: readonly number[], patience: number, maxTrees: number, minDelta = 0, noise = 2e-5): number | undefined {
  const grown = curve.length;
  if (patience <= 0) return maxTrees;
  if (grown === 0) return undefined;
  let best = 0;
  for (let i = 1; i < grown; i++) if (beatsBest(curve[i], curve[best], minDelta)) best = i;
  if (grown - 1 - best >= patience) return grown;
  const window = Math.max(3, Math.min(10, Math.floor(grown / 3)));
  if (grown < 2 * window + 1 || curve.some((v) => !Number.isFinite(v))) return undefined;
  const recent = (curve[grown - 1 - window] - curve[grown - 1]) / window;
  const before = (curve[grown - 1 - 2 * window] - curve[grown - 1 - window]) / window;
  // Improvements shrink by `ratio` per tree (1: they keep their pace).
  const ratio = recent > 0 && before > recent ? (recent / before) ** (1 / window) : 1;
  const floor = noise * Math.abs(curve[best]);
  let bestValue = curve[best];
  let value = curve[grown - 1];
  // `recent` is the mean improvement over the window: the last tree's is `ratio` to the half window less.
  let step = recent * ratio ** ((window - 1) / 2);
  for (let tree = grown; tree < maxTrees; tree++) {
    if (tree - 1 - best >= patience) return tree;
    step *= ratio;
    if (step > floor) value -= step;
    if (beatsBest(value, bestValue, minDelta)) {
      best = tree;
      bestValue = value;
    }
  }
  return maxTrees;
}

/** The power law without a shift, fitted from a quarter of the trees on. */
const pureTrees: TreeForecaster = (curve, patience, maxTrees, minDelta) => {
  if (patience <= 0) return maxTrees;
  if (curve.length === 0) return undefined;
  if (stopsBy(curve, patience, minDelta)) return curve.length;
  if (curve.length < 12) return undefined;
  const model = fitCurve(curve, Math.floor(curve.length / 4), [0]);
  if (!model) return undefined;
  const offset = curve[curve.length - 1] - curveValue(model, curve.length);
  return stopOn(curve, (t) => curveValue(model, t) + offset, patience, maxTrees, minDelta, minDelta > 0 ? 0 : 2e-5 * Math.abs(curve[curve.length - 1]));
};

/** The power law with shift fitted from tree `from(n)` of n on. */
function shiftedFrom(from: (n: number) => number): TreeForecaster {
  return (curve, patience, maxTrees, minDelta) => {
    if (patience <= 0) return maxTrees;
    if (curve.length === 0) return undefined;
    if (stopsBy(curve, patience, minDelta)) return curve.length;
    if (curve.length < 12) return undefined;
    const model = fitCurve(curve, from(curve.length));
    if (!model) return undefined;
    const offset = curve[curve.length - 1] - curveValue(model, curve.length);
    return stopOn(curve, (t) => curveValue(model, t) + offset, patience, maxTrees, minDelta, minDelta > 0 ? 0 : 2e-5 * Math.abs(curve[curve.length - 1]));
  };
}
const fits = [shiftedFrom(() => 2), shiftedFrom((n) => Math.floor(n / 4)), shiftedFrom((n) => Math.floor(n / 2))];
const medianTrees: TreeForecaster = (curve, patience, maxTrees, minDelta) => {
  const all = fits.map((f) => f(curve, patience, maxTrees, minDelta));
  if (all.some((v) => v === undefined)) return undefined;
  return (all as number[]).sort((a, b) => a - b)[1];
};

const capTrees: TreeForecaster = (curve, patience, maxTrees, minDelta) =>
  curve.length === 0 ? undefined : stopsBy(curve, patience, minDelta) ? curve.length : maxTrees;

const flatTrees: TreeForecaster = (curve, patience, maxTrees, minDelta) => {
  if (curve.length === 0) return undefined;
  let best = 0;
  for (let i = 1; i < curve.length; i++) if (beatsBest(curve[i], curve[best], minDelta)) best = i;
  return Math.min(maxTrees, Math.max(curve.length, best + 1 + patience));
};

const ESTIMATORS: [string, TreeForecaster][] = [
  ["power law + shift (in use)", expectedTrees],
  ["shift, from tree 3", fits[0]],
  ["shift, from half", fits[2]],
  ["median of 3 windows", medianTrees],
  ["pure power law", pureTrees],
  ["geometric (before)", (c, p, m, d) => geometricTrees(c, p, m, d)],
  ["cap until stopped", capTrees],
  ["best + patience", flatTrees],
];

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const files = argv.filter((a) => !a.startsWith("--"));
  if (files.length === 0)
    throw new Error("usage: node dist/bench/eta-replay.js TRACE.jsonl... [--json] (traces from bench/catalogue.js --trace-progress FILE)");
  const results: {
    trace: string;
    seconds: number;
    trees: number;
    estimator: string;
    errors: Record<string, number>;
    trees_foreseen: Record<string, number | null>;
    trees_left_errors: Record<string, number | null>;
  }[] = [];
  for (const file of files) {
    const trace = await readProgressTrace(file);
    const trees = Math.max(0, ...trace.events.map((e) => (e.event.part?.kind === "trees" ? e.event.part.done : 0)));
    for (const [name, foresee] of ESTIMATORS) {
      const errors = replayProgressTrace(trace, { at: AT, foresee });
      results.push({
        trace: basename(file),
        seconds: trace.total,
        trees,
        estimator: name,
        errors: Object.fromEntries(errors.map((e) => [`at_${Math.round(e.at * 100)}`, e.error])),
        trees_foreseen: Object.fromEntries(errors.map((e) => [`at_${Math.round(e.at * 100)}`, e.trees ?? null])),
        // The trees left foreseen against those really left: the estimator's own error, apart from the machine's speed.
        trees_left_errors: Object.fromEntries(
          errors.map((e) => [
            `at_${Math.round(e.at * 100)}`,
            e.trees !== undefined && e.realTrees !== undefined && e.grownTrees !== undefined && e.realTrees > e.grownTrees
              ? (e.trees - e.realTrees) / (e.realTrees - e.grownTrees)
              : null,
          ]),
        ),
      });
    }
  }
  if (argv.includes("--json")) {
    process.stdout.write(JSON.stringify(results, null, 2) + "\n");
    return;
  }
  const pct = (v: number | undefined) => (v === undefined ? "-" : `${v >= 0 ? "+" : ""}${(v * 100).toFixed(0)}%`);
  process.stdout.write(
    formatTextTable(
      ["trace", "s", "trees", "estimator", ...AT.map((a) => `at ${a * 100}% (trees foreseen)`), "worst"],
      results.map((r) => {
        const values = AT.map((a) => r.errors[`at_${Math.round(a * 100)}`]);
        const worst = Math.max(...values.filter((v) => v !== undefined).map(Math.abs));
        const cells = AT.map((a, i) => {
          const trees = r.trees_foreseen[`at_${Math.round(a * 100)}`];
          return `${pct(values[i])}${trees === null || trees === undefined ? "" : ` (${trees})`}`;
        });
        return [r.trace, r.seconds.toFixed(0), String(r.trees), r.estimator, ...cells, pct(worst)];
      }),
    ) + "\n",
  );
  // Each estimator over every trace: its worst and mean ETA error at 10, 25 and 50% (the issue's
  // moments), and the mean error of the trees left it foresaw then.
  const issue = ["at_10", "at_25", "at_50"];
  const summary = ESTIMATORS.map(([name]) => {
    const mine = results.filter((r) => r.estimator === name);
    const all = mine.flatMap((r) => issue.flatMap((k) => (r.errors[k] === undefined ? [] : [Math.abs(r.errors[k])])));
    const trees = mine.flatMap((r) =>
      issue.flatMap((k) => (r.trees_left_errors[k] === null || r.trees_left_errors[k] === undefined ? [] : [Math.abs(r.trees_left_errors[k]!)])),
    );
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
    return [name, pct(Math.max(...all)), pct(mean(all)), pct(mean(trees)), String(trees.length)];
  });
  process.stdout.write(
    "\n" + formatTextTable(["estimator", "worst |ETA error| at 10-50%", "mean |ETA error|", "mean |trees-left error|", "moments in trees"], summary) + "\n",
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
