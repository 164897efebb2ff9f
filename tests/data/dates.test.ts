import { describe, expect, it } from "vitest";
import { epochDayFromIso, isoFromEpochDay } from "../../src/data/dates.js";

describe("epochDayFromIso", () => {
  it("counts days from 1970-01-01 and round-trips through isoFromEpochDay", () => {
    expect(epochDayFromIso("1970-01-01")).toBe(0);
    expect(epochDayFromIso("1970-01-02")).toBe(1);
    expect(epochDayFromIso("1969-12-31")).toBe(-1);
    expect(epochDayFromIso("2024-02-29")).toBe(19_782);
    for (const iso of ["2024-02-29", "1999-12-31", "2100-03-01"]) expect(isoFromEpochDay(epochDayFromIso(iso)!)).toBe(iso);
  });

  it("reads years 0001-0099 as themselves, not as 1901-1999 (what Date.UTC would do)", () => {
    const year50 = epochDayFromIso("0050-06-15");
    expect(year50).toBeDefined();
    expect(year50).toBeLessThan(epochDayFromIso("1000-01-01")!);
    expect(isoFromEpochDay(year50!)).toBe("0050-06-15");
    expect(epochDayFromIso("0001-01-01")).toBe(-719_162);
  });

  it("refuses impossible dates and other forms", () => {
    for (const bad of ["2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31", "0000-00-00", "2023-1-5", "23-01-05", "2023/01/05", ""]) {
      expect(epochDayFromIso(bad), bad).toBeUndefined();
    }
  });
});
