// The dashboard's pure helpers (no browser needed): the figures the Explorer shows and the
// cell checks of the Predict page. Here because tests/e2e is this suite's folder; they would
// run as well under `npm test` from tests/web/.
import { describe, expect, it } from "vitest";
import { checkCell, checkWindow } from "../../web/src/lib/cells.js";
import { parseHash } from "../../web/src/lib/route.js";
import { addDays, dateRangeIndices, rollingMean, summarise } from "../../web/src/lib/stats.js";

describe("rollingMean", () => {
  it("averages the trailing window, and what exists at the start", () => {
    expect(rollingMean([2, 4, 6, 8, 10], 3)).toEqual([2, 3, 4, 6, 8]);
    expect(rollingMean([5, 7], 1)).toEqual([5, 7]);
    expect(rollingMean([], 7)).toEqual([]);
  });

  it("refuses a window that is not a whole number >= 1", () => {
    expect(() => rollingMean([1], 0)).toThrow(/whole number >= 1, got 0/);
    expect(() => rollingMean([1], 2.5)).toThrow(/got 2.5/);
  });
});

describe("summarise", () => {
  it("gives total, mean per day and the last 28 days against the 28 before", () => {
    const values = [...Array(28).fill(1), ...Array(28).fill(2)];
    expect(summarise(values)).toEqual({ total: 84, meanPerDay: 1.5, days: 56, last28: 56, previous28: 28, change: 1 });
  });

  it("leaves the comparison out when the range is shorter than 56 days or the base is zero", () => {
    expect(summarise([1, 2, 3])).toMatchObject({ total: 6, last28: 6, previous28: undefined, change: undefined });
    expect(summarise([...Array(28).fill(0), ...Array(28).fill(5)]).change).toBeUndefined();
    expect(summarise([])).toMatchObject({ total: 0, meanPerDay: 0, days: 0 });
  });
});

describe("dateRangeIndices", () => {
  const dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"];
  it("keeps the dates within from..to, both inclusive, either open", () => {
    expect(dateRangeIndices(dates, "2024-01-02", "2024-01-03")).toEqual([1, 3]);
    expect(dateRangeIndices(dates, "", "")).toEqual([0, 4]);
    expect(dateRangeIndices(dates, "2023-12-01", "2024-01-01")).toEqual([0, 1]);
    expect(dateRangeIndices(dates, "2024-02-01", "")).toEqual([4, 4]);
    expect(dateRangeIndices(dates, "2024-01-04", "2024-01-01")).toEqual([3, 3]); // reversed: empty
  });

  it("adds days across months and leap days", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(() => addDays("01/02/2024", 1)).toThrow(/not a date/);
  });
});

describe("checkCell", () => {
  it("accepts numbers as analysts type them", () => {
    expect(checkCell(" 1234 ")).toEqual({ ok: true, value: 1234 });
    expect(checkCell("1,234.50")).toEqual({ ok: true, value: 1234.5 });
    expect(checkCell("-3")).toEqual({ ok: true, value: -3 });
    expect(checkCell(".5")).toEqual({ ok: true, value: 0.5 });
    expect(checkCell("1e3")).toEqual({ ok: true, value: 1000 });
  });

  it("names what is wrong with anything else", () => {
    expect(checkCell("")).toEqual({ ok: false, problem: "empty: type a number" });
    expect(checkCell("   ")).toMatchObject({ ok: false, problem: expect.stringContaining("empty") });
    expect(checkCell("12abc")).toEqual({ ok: false, problem: '"12abc" is not a number' });
    expect(checkCell("NaN")).toMatchObject({ ok: false });
    expect(checkCell("Infinity")).toMatchObject({ ok: false });
    expect(checkCell("1,23")).toMatchObject({ ok: false }); // not a thousands separator
    expect(checkCell("0x10")).toMatchObject({ ok: false });
    expect(checkCell("1e400")).toEqual({ ok: false, problem: "too large: sales must be below 1e15" });
  });

  it("reports every bad cell of a window by position", () => {
    const check = checkWindow(["1", "x", "3", ""]);
    expect(check.values).toEqual([1, 3]);
    expect([...check.problems.keys()]).toEqual([1, 3]);
  });
});

describe("parseHash", () => {
  it("reads the page and its parameters, and falls back to the explorer", () => {
    const route = parseHash("#/predict?category=Beauty%20%26%20Care");
    expect(route.page).toBe("predict");
    expect(route.params.get("category")).toBe("Beauty & Care");
    expect(parseHash("").page).toBe("explorer");
    expect(parseHash("#/nowhere").page).toBe("explorer");
  });
});
