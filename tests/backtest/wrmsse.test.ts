// The M5 metric against the plain numpy loops of tools/hierarchicalforecast_fixtures.py (a
// seeded 3-store × 4-item catalogue with late-starting items and a price change), plus the
// guide's rules one at a time and bad input.
import { describe, expect, it } from "vitest";
import { dollarSales, wrmsse } from "../../src/backtest/wrmsse.js";
import { ModelInputError } from "../../src/models/errors.js";
import { maxRelativeDifference, readFixture } from "../models/fixtures.js";

interface WrmsseCase {
  bottom_count: number;
  aggregates: number[][];
  level_of: number[];
  h: number;
  train_units: number[][];
  prices: number[][];
  actual_units: number[][];
  forecasts: number[][];
  rmsse: number[];
  wrmsse_by_level: number[];
  wrmsse: number;
}

const fixture = readFixture<WrmsseCase>("reconcile", "hierarchicalforecast.json") as unknown as { wrmsse: WrmsseCase[] };
const c = fixture.wrmsse[0];
const flat = (rows: number[][]) => Float64Array.from(rows.flat());
const levelNames = ["total", "state", "store", "cat", "item", "store_item"];
const input = () => ({
  structure: { bottom_count: c.bottom_count, aggregates: c.aggregates },
  series_levels: c.level_of,
  level_names: levelNames,
  train_units: flat(c.train_units),
  dollar_sales: dollarSales(flat(c.train_units), flat(c.prices), c.bottom_count),
  actual_units: flat(c.actual_units),
  forecasts: flat(c.forecasts),
});

describe("WRMSSE", () => {
  it("matches the reference per series, per level and overall", () => {
    const result = wrmsse(input());
    expect(maxRelativeDifference(result.rmsse, c.rmsse)).toBeLessThan(1e-12);
    expect(
      maxRelativeDifference(
        result.levels.map((l) => l.wrmsse),
        c.wrmsse_by_level,
      ),
    ).toBeLessThan(1e-12);
    expect(Math.abs(result.wrmsse - c.wrmsse)).toBeLessThan(1e-12);
    expect(result.levels.map((l) => l.series)).toEqual([1, 2, 3, 2, 4, 12]);
  });

  it("each level's weights add to 1", () => {
    const result = wrmsse(input());
    const sums = new Float64Array(levelNames.length);
    result.weights.forEach((w, i) => (sums[c.level_of[i]] += w));
    for (const sum of sums) expect(sum).toBeCloseTo(1, 12);
  });

  it("the scale starts at the first sale: leading zeros change nothing, a zero inside the history does", () => {
    const one = { bottom_count: 1, aggregates: [[0]] };
    const base = {
      structure: one,
      series_levels: [0, 1],
      level_names: ["total", "item"],
      dollar_sales: Float64Array.of(10),
      actual_units: Float64Array.of(3, 3),
      forecasts: Float64Array.of(2, 2, 2, 2),
    };
    const history = [2, 4, 2, 4];
    const plain = wrmsse({ ...base, train_units: Float64Array.from(history) }).rmsse[1];
    const late = wrmsse({ ...base, train_units: Float64Array.from([0, 0, 0, ...history]) }).rmsse[1];
    const gap = wrmsse({ ...base, train_units: Float64Array.from([2, 0, 4, 2, 4]) }).rmsse[1];
    expect(plain).toBeCloseTo(Math.sqrt(1 / 4), 12); // errors of 1, squared steps of 4
    expect(late).toBe(plain);
    expect(gap).not.toBeCloseTo(plain, 3);
  });

  it("a series with no scale is NaN, counted, and adds nothing to its level", () => {
    const result = wrmsse({
      structure: { bottom_count: 2, aggregates: [[0, 1]] },
      series_levels: [0, 1, 1],
      level_names: ["total", "item"],
      train_units: Float64Array.from([1, 2, 1, 2, 0, 0, 0, 5]),
      dollar_sales: Float64Array.of(6, 5),
      actual_units: Float64Array.of(1, 5),
      forecasts: Float64Array.of(7, 1, 4),
    });
    expect(Number.isNaN(result.rmsse[2])).toBe(true);
    expect(result.levels[1].unscaled_series).toBe(1);
    expect(result.levels[1].wrmsse).toBeCloseTo((6 / 11) * result.rmsse[1], 12);
  });

  it("refuses bad input with messages that say what is wrong", () => {
    expect(() => wrmsse({ ...input(), forecasts: new Float64Array(5) })).toThrow(/not a multiple of the 24 series/);
    expect(() => wrmsse({ ...input(), actual_units: new Float64Array(3) })).toThrow(/actual units has 3 values, expected 336/);
    const nan = input();
    nan.forecasts[4] = Number.NaN;
    expect(() => wrmsse(nan)).toThrow(ModelInputError);
    expect(() => wrmsse({ ...input(), series_levels: c.level_of.map((l) => (l === 5 ? 9 : l)) })).toThrow(/level 9, not an index/);
    expect(() => wrmsse({ ...input(), dollar_sales: new Float64Array(12) })).toThrow(/sold nothing over the weighting days/);
    expect(() => dollarSales(Float64Array.of(1, 1), Float64Array.of(1, Number.NaN), 1, 2)).toThrow(/needs a finite price/);
    expect(() => dollarSales(new Float64Array(10), new Float64Array(10), 1, 28)).toThrow(/need 28 training periods/);
  });
});
