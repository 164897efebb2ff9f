// The shared numeric pieces of the statistical families: SES, its α searches, Nelder-Mead.
import { describe, expect, it } from "vitest";
import { SeededRandom } from "../../src/data/random.js";
import { nelderMead } from "../../src/models/numeric/nelder-mead.js";
import { optimiseSesAlpha, optimiseSesAlphaPair, sesForecast, sesSse } from "../../src/models/numeric/ses.js";

describe("simple exponential smoothing", () => {
  it("forecasts and sums errors by hand: x = 2, 4, 8, α = 0.5", () => {
    // ŷ1 = 2, ŷ2 = 0.5·4 + 0.5·2 = 3 (errors 2 and 5), next = 0.5·8 + 0.5·3 = 5.5.
    expect(sesForecast(Float64Array.of(2, 4, 8), 0.5)).toBe(5.5);
    expect(sesSse(Float64Array.of(2, 4, 8), 0.5)).toBe(4 + 25);
  });

  it("the paired α search gives the two single searches' answers, also for series of different lengths", () => {
    const random = new SeededRandom(11);
    const sizes = Float64Array.from({ length: 90 }, () => 5 + 2 * random.normal());
    const occurrence = Float64Array.from({ length: 200 }, () => (random.next() < 0.4 ? 1 : 0));
    const paired = optimiseSesAlphaPair(sizes, occurrence, [0.1, 0.3], [0.01, 0.3]);
    expect(paired.x).toBe(optimiseSesAlpha(sizes, 0.1, 0.3));
    expect(paired.y).toBe(optimiseSesAlpha(occurrence, 0.01, 0.3));
    const swapped = optimiseSesAlphaPair(occurrence, sizes, [0.01, 0.3], [0.1, 0.3]);
    expect(swapped).toEqual({ x: paired.y, y: paired.x });
  });

  it("the α search finds the least-squares α inside the box, or stops at its edge", () => {
    // A random walk wants α near 1: the box [0.1, 0.3] stops it at 0.3.
    const random = new SeededRandom(5);
    let level = 0;
    const walk = Float64Array.from({ length: 300 }, () => (level += random.normal()));
    expect(optimiseSesAlpha(walk, 0.1, 0.3)).toBeCloseTo(0.3, 9);
    const alpha = optimiseSesAlpha(walk, 0.01, 1);
    for (const other of [alpha - 0.01, alpha + 0.01]) expect(sesSse(walk, alpha)).toBeLessThanOrEqual(sesSse(walk, Math.min(1, other)));
  });
});

describe("nelderMead", () => {
  it("finds the minimum of the Rosenbrock function and keeps to the box", () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
    const free = nelderMead(rosenbrock, [-1.2, 1], [-5, -5], [5, 5], { tolerance: 1e-12, maxIterations: 5000 });
    expect(free.x[0]).toBeCloseTo(1, 4);
    expect(free.x[1]).toBeCloseTo(1, 4);
    const boxed = nelderMead(rosenbrock, [-1.2, 1], [-5, -5], [0.5, 5], { tolerance: 1e-12, maxIterations: 5000 });
    expect(boxed.x[0]).toBeLessThanOrEqual(0.5);
    expect(boxed.x[0]).toBeCloseTo(0.5, 3);
  });

  it("treats NaN as worse than anything", () => {
    const result = nelderMead((x) => (x[0] < 0 ? Number.NaN : (x[0] - 2) ** 2), [1], [-10], [10], { tolerance: 1e-14 });
    expect(result.x[0]).toBeCloseTo(2, 5);
  });
});
