// The dashboard's pure helpers (no browser needed): the figures the Explorer shows and the
// cell checks of the Predict page. Here because tests/e2e is this suite's folder; they would
// run as well under `npm test` from tests/web/.
import { describe, expect, it } from "vitest";
import { checkCell, checkValueList, checkWindow, splitValues } from "../../web/src/lib/cells.js";
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
  it("gives total, mean per period and the last span of periods against the span before", () => {
    const values = [...Array(28).fill(1), ...Array(28).fill(2)];
    expect(summarise(values, 28)).toEqual({ total: 84, meanPerPeriod: 1.5, periods: 56, last: 56, previous: 28, change: 1 });
    // Weekly data compares 4 weeks with the 4 before.
    expect(summarise([5, 5, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2], 4)).toEqual({ total: 32, meanPerPeriod: 32 / 12, periods: 12, last: 8, previous: 4, change: 1 });
  });

  it("leaves the comparison out when the range is shorter than two spans or the base is zero", () => {
    expect(summarise([1, 2, 3], 28)).toMatchObject({ total: 6, last: 6, previous: undefined, change: undefined });
    expect(summarise([...Array(28).fill(0), ...Array(28).fill(5)], 28).change).toBeUndefined();
    expect(summarise([], 4)).toMatchObject({ total: 0, meanPerPeriod: 0, periods: 0 });
    expect(() => summarise([1], 0)).toThrow(/whole number >= 1, got 0/);
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

const EN = { decimal: ".", group: "," };
const DE = { decimal: ",", group: "." };
const FR = { decimal: ",", group: "\u202f" };

describe("checkCell", () => {
  it("accepts numbers as analysts type them", () => {
    expect(checkCell(" 1234 ", EN)).toEqual({ ok: true, value: 1234 });
    expect(checkCell("1,234.50", EN)).toEqual({ ok: true, value: 1234.5 });
    expect(checkCell("-3", EN)).toEqual({ ok: true, value: -3 });
    expect(checkCell(".5", EN)).toEqual({ ok: true, value: 0.5 });
    expect(checkCell("1e3", EN)).toEqual({ ok: true, value: 1000 });
  });

  it("reads the page's locale: decimal commas and dot grouping in German, narrow spaces in French", () => {
    expect(checkCell("1234,5", DE)).toEqual({ ok: true, value: 1234.5 });
    expect(checkCell("1.234,50", DE)).toEqual({ ok: true, value: 1234.5 });
    expect(checkCell("1.234", DE)).toEqual({ ok: true, value: 1234 }); // grouping, as a German reads it
    expect(checkCell("-0,25", DE)).toEqual({ ok: true, value: -0.25 });
    expect(checkCell("1234.5", DE)).toEqual({ ok: true, value: 1234.5 }); // a plain number (pasted from JSON) still reads
    expect(checkCell("1\u202f234,5", FR)).toEqual({ ok: true, value: 1234.5 });
    expect(checkCell("1,2,3", DE)).toMatchObject({ ok: false });
    expect(checkCell("1234,5", EN)).toMatchObject({ ok: false }); // an English page takes no decimal comma
  });

  it("names what is wrong with anything else", () => {
    expect(checkCell("", EN)).toEqual({ ok: false, problem: "empty: type a number" });
    expect(checkCell("   ", EN)).toMatchObject({ ok: false, problem: expect.stringContaining("empty") });
    expect(checkCell("12abc", EN)).toEqual({ ok: false, problem: '"12abc" is not a number' });
    expect(checkCell("NaN", EN)).toMatchObject({ ok: false });
    expect(checkCell("Infinity", EN)).toMatchObject({ ok: false });
    expect(checkCell("1,23", EN)).toMatchObject({ ok: false }); // not a thousands separator
    expect(checkCell("0x10", EN)).toMatchObject({ ok: false });
    expect(checkCell("1e400", EN)).toEqual({ ok: false, problem: "too large: sales must be below 1e15" });
  });

  it("reports every bad cell of a window by position", () => {
    const check = checkWindow(["1", "x", "3", ""], EN);
    expect(check.values).toEqual([1, 3]);
    expect([...check.problems.keys()]).toEqual([1, 3]);
  });
});

describe("checkValueList (covariate boxes)", () => {
  it("reads one value per line (or ; or tab) and wants exactly the expected count", () => {
    expect(checkValueList("1\n0\n\n1", 3, EN)).toEqual({ ok: true, values: [1, 0, 1] });
    expect(checkValueList("0,5;1,5\t2", 3, DE)).toEqual({ ok: true, values: [0.5, 1.5, 2] });
    expect(splitValues(" 1 \r\n 2 ;3\t4 ")).toEqual(["1", "2", "3", "4"]);
  });

  it("says how many values to add or remove, and which one does not parse", () => {
    expect(checkValueList("1\n2", 3, EN)).toEqual({ ok: false, problem: "2 of 3 values: add 1 more", count: 2 });
    expect(checkValueList("1\n2\n3\n4", 3, EN)).toEqual({ ok: false, problem: "4 values, 3 expected: remove 1", count: 4 });
    expect(checkValueList("1\nyes\n3", 3, EN)).toEqual({ ok: false, problem: 'value 2: "yes" is not a number', count: 3 });
    expect(checkValueList("", 2, EN)).toMatchObject({ ok: false, problem: "0 of 2 values: add 2 more" });
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
