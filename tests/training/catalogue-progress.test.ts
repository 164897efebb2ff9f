// The catalogue training's progress bar: the fraction done across passes and stages, the ETA
// from it, and one line per stage change (plus one per tenth) off a terminal.
import { describe, expect, it } from "vitest";
import { CatalogueProgressBar } from "../../src/training/catalogue/progress-bar.js";

function stream() {
  const lines: string[] = [];
  return { lines, write: (text: string) => lines.push(text) > 0, isTTY: false };
}

describe("CatalogueProgressBar", () => {
  it("counts the fit as most of a pass and the second pass after the first", () => {
    const bar = new CatalogueProgressBar(stream(), 2, () => 0);
    expect(bar.fraction({ stage: "fit", done: 0, total: 1, text: "" }, 0)).toBe(0);
    expect(bar.fraction({ stage: "fit", done: 0.5, total: 1, text: "" }, 0)).toBeCloseTo(0.2, 10);
    expect(bar.fraction({ stage: "forecast", done: 0, total: 100, text: "" }, 0)).toBeCloseTo(0.4, 10);
    expect(bar.fraction({ stage: "reconcile", done: 1, total: 1, text: "" }, 0)).toBeCloseTo(0.5, 10);
    expect(bar.fraction({ stage: "reconcile", done: 1, total: 1, text: "" }, 1)).toBeCloseTo(1, 10);
  });

  it("prints the ETA as the time so far scaled by what is left", () => {
    let now = 0;
    const out = stream();
    const bar = new CatalogueProgressBar(out, 1, () => now);
    now = 40_000;
    bar.report({ stage: "fit", done: 0.5, total: 1, text: "fitting" }, 0);
    expect(out.lines.at(-1)).toMatch(/ 40% 40s elapsed, ETA 1m00s {2}pass 1\/1: fitting \(0\/1\)/);
    bar.report({ stage: "fit", done: 0.51, total: 1, text: "fitting" }, 0);
    expect(out.lines).toHaveLength(1);
    bar.report({ stage: "forecast", done: 10, total: 100, text: "forecasting" }, 0);
    expect(out.lines).toHaveLength(2);
  });
});
