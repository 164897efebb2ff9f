// The summing structure of a hierarchy: which bottom series add up to which aggregate.
import { describe, expect, it } from "vitest";
import { buildHierarchy, HierarchyError, sumAggregates } from "../../src/data/hierarchy.js";

// Four store x item series in two states.
const columns = ["store_id", "item_id", "state_id"];
const bottom = [
  ["CA_1", "A", "CA"],
  ["CA_1", "B", "CA"],
  ["CA_2", "A", "CA"],
  ["TX_1", "B", "TX"],
];
const key = ["store_id", "item_id"];

describe("buildHierarchy", () => {
  it("gives each level's aggregates with the indices of the bottom series that sum to them", () => {
    const h = buildHierarchy(columns, bottom, [[], ["state_id"], ["item_id"], ["state_id", "item_id"], ["store_id", "item_id"]], key);
    expect(h.levels.map((level) => [level.label, level.bottom])).toEqual([
      ["total", false],
      ["state_id", false],
      ["item_id", false],
      ["state_id/item_id", false],
      ["store_id/item_id", true],
    ]);
    const rows = h.aggregates.map((a) => [a.level, a.name, a.bottom]);
    expect(rows).toEqual([
      [0, "total", [0, 1, 2, 3]],
      [1, "CA", [0, 1, 2]],
      [1, "TX", [3]],
      [2, "A", [0, 2]],
      [2, "B", [1, 3]],
      [3, "CA/A", [0, 2]],
      [3, "CA/B", [1]],
      [3, "TX/B", [3]],
      // The bottom level: identity rows, as in hierarchicalforecast's S.
      [4, "CA_1/A", [0]],
      [4, "CA_1/B", [1]],
      [4, "CA_2/A", [2]],
      [4, "TX_1/B", [3]],
    ]);
    // Every bottom series is in exactly one aggregate of each level.
    for (let level = 0; level < h.levels.length; level++) {
      const members = h.aggregates.filter((a) => a.level === level).flatMap((a) => a.bottom);
      expect(members.sort()).toEqual([0, 1, 2, 3]);
    }
    expect(h.aggregates[5].parts).toEqual(["CA", "A"]);
  });

  it("a level naming a column the series have no value of is refused, naming it", () => {
    expect(() => buildHierarchy(columns, bottom, [["region"]], key)).toThrow(HierarchyError);
    expect(() => buildHierarchy(columns, bottom, [["region"]], key)).toThrow(/names column "region".*known: store_id, item_id, state_id/);
  });

  it("names aggregates safely when values hold / or %", () => {
    const h = buildHierarchy(["s", "i"], [["A/B", "x%"], ["A/B", "y"]], [["s"], ["s", "i"]], ["s", "i"]);
    expect(h.aggregates.map((a) => a.name)).toEqual(["A/B", "A%2FB/x%25", "A%2FB/y"]);
  });
});

describe("sumAggregates", () => {
  it("adds the bottom series on a common calendar, 0 outside each one's own periods", () => {
    const h = buildHierarchy(columns, bottom, [[], ["state_id"]], key);
    const series = [
      { firstPeriod: 0, values: [1, 2, 3] },
      { firstPeriod: 1, values: [10, 20] }, // started selling a period later
      { firstPeriod: 0, values: [100] }, // stopped after one period
      { firstPeriod: 2, values: [1000] },
    ];
    const sums = sumAggregates(h.aggregates, series, 3);
    expect(Array.from(sums[0])).toEqual([101, 12, 1023]);
    expect(Array.from(sums[1])).toEqual([101, 12, 23]); // CA
    expect(Array.from(sums[2])).toEqual([0, 0, 1000]); // TX
  });
});
