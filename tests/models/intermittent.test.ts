// Croston, SBA, optimised Croston and TSB against statsforecast (CrostonClassic, CrostonSBA,
// CrostonOptimized, TSB) and R's forecast::croston, and the ADI/CV² classification by hand.
import { describe, expect, it } from "vitest";
import { ModelInputError } from "../../src/models/errors.js";
import { classifyDemand, fitIntermittent, forecastIntermittent, type IntermittentOptions } from "../../src/models/intermittent/index.js";
import { maxRelativeDifference, readFixture } from "./fixtures.js";

interface StatsforecastCase {
  name: string;
  h: number;
  y: number[];
  forecasts: Record<string, number[]>;
}
interface RCase {
  name: string;
  h: number;
  croston: number[];
  "croston_alpha_0.2": number[];
}

const statsforecast = readFixture<StatsforecastCase>("intermittent", "statsforecast.json");
const r = readFixture<RCase>("intermittent", "r.json");
const seriesNamed = (name: string) => Float64Array.from(statsforecast.cases.find((c) => c.name === name)!.y);

// statsforecast stores the sizes and intervals in float64 and runs the same recursions and
// golden-section search: only rounding differs.
const TOLERANCE = 1e-10;

const STATSFORECAST_MODELS: Record<string, IntermittentOptions> = {
  croston: { method: "croston" },
  sba: { method: "sba" },
  croston_optimized: { method: "croston_optimized" },
  "tsb_0.1_0.1": { method: "tsb", alphaDemand: 0.1, alphaProbability: 0.1 },
  "tsb_0.3_0.05": { method: "tsb", alphaDemand: 0.3, alphaProbability: 0.05 },
};

describe("intermittent methods against statsforecast", () => {
  for (const fixture of statsforecast.cases) {
    for (const [key, options] of Object.entries(STATSFORECAST_MODELS)) {
      it(`${fixture.name}: ${key} (within ${TOLERANCE})`, () => {
        const y = Float64Array.from(fixture.y);
        const forecast = forecastIntermittent(fitIntermittent(y, options), y, fixture.h);
        expect(maxRelativeDifference(forecast, fixture.forecasts[key])).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  }
});

describe("Croston against R's forecast::croston", () => {
  for (const fixture of r.cases) {
    it(`${fixture.name}: α 0.1 and 0.2`, () => {
      const y = seriesNamed(fixture.name);
      expect(maxRelativeDifference(forecastIntermittent(fitIntermittent(y, { method: "croston" }), y, fixture.h), fixture.croston)).toBeLessThan(TOLERANCE);
      const fit = fitIntermittent(y, { method: "croston", alpha: 0.2 });
      expect(maxRelativeDifference(forecastIntermittent(fit, y, fixture.h), fixture["croston_alpha_0.2"])).toBeLessThan(TOLERANCE);
    });
  }
});

describe("intermittent methods by hand", () => {
  // Demands 4 at t=1 and 6 at t=4: sizes [4, 6], intervals [2, 3].
  const y = Float64Array.of(0, 4, 0, 0, 6, 0);

  it("Croston: ẑ = 0.1·6 + 0.9·4 = 4.2, p̂ = 0.1·3 + 0.9·2 = 2.1, rate 2; SBA multiplies by 0.95", () => {
    expect(fitIntermittent(y, { method: "croston" }).rate).toBeCloseTo(2, 12);
    expect(fitIntermittent(y, { method: "sba" }).rate).toBeCloseTo(1.9, 12);
  });

  it("TSB: d̂ runs over 0,1,0,0,1,0 from 0 with α 0.5 to 0.28125; ẑ = 5 with α 0.5", () => {
    // d̂: 0 -> 0.5 -> 0.25 -> 0.125 -> 0.5625 -> 0.28125 (started at the first value, 0).
    const fit = fitIntermittent(y, { method: "tsb", alphaDemand: 0.5, alphaProbability: 0.5 });
    expect(fit.rate).toBeCloseTo(0.28125 * 5, 12);
  });

  it("TSB decays through a run of zeros, Croston does not", () => {
    const base = seriesNamed("obsolescent").subarray(0, 80);
    const withZeros = seriesNamed("obsolescent");
    const tsb = fitIntermittent(base, { method: "tsb" });
    const croston = fitIntermittent(base, { method: "croston" });
    expect(forecastIntermittent(tsb, withZeros, 1)[0]).toBeLessThan(0.5 * tsb.rate);
    expect(forecastIntermittent(croston, withZeros, 1)[0]).toBeCloseTo(croston.rate, 12);
  });

  it("optimised TSB α's stay in their boxes and the fit survives JSON", () => {
    const fit = fitIntermittent(seriesNamed("lumpy"), { method: "tsb" });
    expect(fit.alpha_demand).toBeGreaterThanOrEqual(0.1);
    expect(fit.alpha_demand).toBeLessThanOrEqual(0.3);
    expect(fit.alpha_second).toBeGreaterThanOrEqual(0.01);
    expect(fit.alpha_second).toBeLessThanOrEqual(0.3);
    const restored = JSON.parse(JSON.stringify(fit));
    expect(forecastIntermittent(restored, seriesNamed("lumpy"), 2)[0]).toBe(fit.rate);
  });

  it("an all-zero series forecasts 0 with every method", () => {
    for (const method of ["croston", "sba", "croston_optimized", "tsb"] as const) {
      expect(Array.from(forecastIntermittent(fitIntermittent(new Float64Array(10), { method }), new Float64Array(10), 2))).toEqual([0, 0]);
    }
  });

  it("refuses negative values, non-finite values, a bad α, an unknown method and a bad horizon, saying why", () => {
    expect(() => fitIntermittent(Float64Array.of(1, -2, 0), { method: "croston" })).toThrow(/-2 at period 1 is negative/);
    expect(() => fitIntermittent(Float64Array.of(1, Number.POSITIVE_INFINITY), { method: "croston" })).toThrow(ModelInputError);
    expect(() => fitIntermittent(Float64Array.of(), { method: "croston" })).toThrow(/at least 1 periods/);
    expect(() => fitIntermittent(y, { method: "croston", alpha: 0 })).toThrow(/alpha must be in \(0, 1\]/);
    expect(() => fitIntermittent(y, { method: "croston_optimized", alphaBox: [0.3, 0.1] })).toThrow(/empty/);
    expect(() => fitIntermittent(y, { method: "holt" as "tsb" })).toThrow(/unknown method "holt"/);
    expect(() => forecastIntermittent(fitIntermittent(y, { method: "tsb" }), y, 1.5)).toThrow(/horizon/);
  });
});

describe("classifyDemand (Syntetos, Boylan & Croston cut-offs ADI 1.32, CV² 0.49)", () => {
  it("computes ADI and CV² by hand", () => {
    // 8 periods, demands 2, 4, 6: ADI 8/3; mean 4, sample variance 4, CV² 0.25.
    const c = classifyDemand(Float64Array.of(0, 2, 0, 0, 4, 0, 6, 0));
    expect(c.adi).toBeCloseTo(8 / 3, 12);
    expect(c.cv2).toBeCloseTo(0.25, 12);
    expect(c.zero_share).toBeCloseTo(5 / 8, 12);
    expect(c.category).toBe("intermittent");
    expect(c.intermittent).toBe(true);
    expect(c.recommended).toBe("sba");
  });

  it("places each quadrant's series where it belongs, on both sides of the cut-offs", () => {
    expect(classifyDemand(seriesNamed("smooth")).category).toBe("smooth");
    expect(classifyDemand(seriesNamed("erratic")).category).toBe("erratic");
    expect(classifyDemand(seriesNamed("intermittent")).category).toBe("intermittent");
    expect(classifyDemand(seriesNamed("lumpy")).category).toBe("lumpy");
    // ADI exactly 1.32 counts as sporadic; just under does not.
    const at = new Float64Array(132).fill(5);
    for (let t = 0; t < 32; t++) at[t * 4] = 0;
    expect(classifyDemand(at).adi).toBeCloseTo(1.32, 12);
    expect(classifyDemand(at).category).toBe("intermittent");
    at[0] = 5;
    expect(classifyDemand(at).category).toBe("smooth");
    expect(classifyDemand(at).recommended).toBe("croston");
  });

  it("a series without demand is its own category", () => {
    const c = classifyDemand(new Float64Array(5));
    expect(c.category).toBe("no_demand");
    expect(c.intermittent).toBe(false);
    expect(c.recommended).toBeNull();
  });
});
