// Bin construction (src/engine/gbdt/binning.ts) against hand-worked cases and LightGBM's bin
// counts on the fixture data.
import { describe, expect, it } from "vitest";
import { distinctValues, findBinMapper, findBinMappers, greedyFindBin, nextUp, valueToBin, ZERO_THRESHOLD } from "../../src/engine/gbdt/binning.js";
import { resolveGbdtParams } from "../../src/engine/gbdt/params.js";
import { readLightgbmFixture } from "./gbdt-lightgbm-fixtures.js";

describe("bin boundaries", () => {
  it("gives each of a few distinct values its own bin, cut just above the midpoints, zero alone", () => {
    // Positive values only: the first bin is (-inf, 1e-35] (zero), then one bin per value.
    const m = findBinMapper([1, 1, 2, 3, 3, 3], 255, 1, 0, false);
    expect(Array.from(m.upperBounds)).toEqual([ZERO_THRESHOLD, nextUp(1.5), nextUp(2.5), Infinity]);
    expect(m.numBins).toBe(4);
    expect(m.hasNanBin).toBe(false);
    expect([0, 1, 1.5, 2, 2.9, 3, 100].map((v) => valueToBin(m, v))).toEqual([0, 1, 1, 2, 3, 3, 3]);
  });

  it("merges values until a bin holds min_data_in_bin sampled rows", () => {
    // Counts 1, 1, 1, 3: with min_data_in_bin 2 the first cut waits for two rows.
    const bounds = greedyFindBin([1, 2, 3, 4], [1, 1, 1, 3], 0, 4, 255, 6, 2);
    expect(bounds).toEqual([nextUp(2.5), Infinity]);
  });

  it("cuts many distinct values into bins of about equal counts, a frequent value alone", () => {
    // 100 distinct values once each, and the value 50 another 49 times, into 5 bins.
    const values = Array.from({ length: 100 }, (_, i) => i);
    const counts = values.map((v) => (v === 50 ? 50 : 1));
    const bounds = greedyFindBin(values, counts, 0, 100, 5, 149, 1);
    expect(bounds.length).toBe(5);
    // 50 is "big" (50 >= 149/5): it ends a bin and starts none with others.
    expect(bounds.some((b) => b > 49 && b < 50)).toBe(true);
    expect(bounds.some((b) => b > 50 && b < 51)).toBe(true);
    expect(bounds[bounds.length - 1]).toBe(Infinity);
  });

  it("keeps zero in a bin of its own between negative and positive values", () => {
    const m = findBinMapper([-2, -1, 0, 0, 1, 2], 255, 1, 0, false);
    expect(valueToBin(m, -1e-36)).toBe(valueToBin(m, 0));
    expect(valueToBin(m, -0.5)).not.toBe(valueToBin(m, 0));
    expect(valueToBin(m, 0.5)).not.toBe(valueToBin(m, 0));
    expect(Array.from(m.upperBounds)).toContain(-ZERO_THRESHOLD);
    expect(Array.from(m.upperBounds)).toContain(ZERO_THRESHOLD);
  });

  it("adds a last bin for NaN when the sample has missing values, and sends NaN to 0's bin otherwise", () => {
    const withNan = findBinMapper([1, 2, NaN, 3], 255, 1, 0, false);
    expect(withNan.hasNanBin).toBe(true);
    expect(valueToBin(withNan, NaN)).toBe(withNan.numBins - 1);
    const without = findBinMapper([-1, 1, 2, 3], 255, 1, 0, false);
    expect(without.hasNanBin).toBe(false);
    expect(valueToBin(without, NaN)).toBe(valueToBin(without, 0));
  });

  it("counts zeros and nearly equal values once (distinct values)", () => {
    const { values, counts, nanCount } = distinctValues([3, 0, NaN, 1, 1e-36, 3, -2]);
    expect(Array.from(values)).toEqual([-2, 0, 1, 3]);
    expect(Array.from(counts)).toEqual([1, 2, 1, 2]);
    expect(nanCount).toBe(1);
  });

  it("marks constant features and (feature_pre_filter) features no split could use as trivial", () => {
    expect(findBinMapper([5, 5, 5, 5], 255, 1, 1, false).numBins).toBe(2); // empty zero bin + the value
    expect(findBinMapper([5, 5, 5, 5], 255, 1, 1, true).trivial).toBe(true);
    expect(findBinMapper([0, 0, 0], 255, 1, 1, false).trivial).toBe(true); // one bin
    // 1 row of 2 below min_data_in_leaf = 2 on each side: filtered
    expect(findBinMapper([1, 2], 255, 1, 2, true).trivial).toBe(true);
    expect(findBinMapper([1, 1, 2, 2], 255, 1, 2, true).trivial).toBe(false);
  });
});

describe("bins against LightGBM 4", () => {
  for (const name of ["real", "count", "tweedie"] as const) {
    it(`has LightGBM's number of bins per feature on the ${name} fixture`, () => {
      const fx = readLightgbmFixture(name);
      const rows = fx.train.label.length;
      for (const c of fx.cases.filter((k) => !("max_bin" in k.params))) {
        const params = resolveGbdtParams(c.params);
        const mappers = findBinMappers(fx.train.features, rows, fx.train.cols, "row-major", params);
        expect(
          mappers.map((m) => m.numBins),
          `${name}/${c.name}`,
        ).toEqual(c.featureNumBin);
      }
    });
  }
});
