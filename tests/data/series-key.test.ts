// Names of series keyed by several columns: readable for ordinary ids, and reversible and
// unambiguous for any text (slashes, percent signs, spaces, unicode).
import { describe, expect, it } from "vitest";
import { seriesKeyName, splitSeriesKey } from "../../src/data/series-key.js";

describe("seriesKeyName", () => {
  it("joins the parts with / and leaves ordinary ids as they are", () => {
    expect(seriesKeyName(["CA_1", "FOODS_3_090"])).toBe("CA_1/FOODS_3_090");
    expect(seriesKeyName(["CA", "CA_1", "HOBBIES_1_001"])).toBe("CA/CA_1/HOBBIES_1_001");
  });

  it("leaves a single-column key unencoded, as category names always were", () => {
    expect(seriesKeyName([" Beauty/Care 50% "])).toBe("Beauty/Care 50%");
  });

  it("escapes / and % inside a part, so two different keys never share a name", () => {
    const a = seriesKeyName(["A/B", "C"]);
    const b = seriesKeyName(["A", "B/C"]);
    expect(a).toBe("A%2FB/C");
    expect(b).toBe("A/B%2FC");
    expect(a).not.toBe(b);
    // A part that already looks escaped stays distinct from the one it looks like.
    expect(seriesKeyName(["A%2FB", "C"])).toBe("A%252FB/C");
    expect(seriesKeyName(["A%2FB", "C"])).not.toBe(a);
  });

  it("round-trips any parts: slashes, percent signs, spaces, unicode, emoji", () => {
    const keys = [
      ["Zürich Hbf", "Crème brûlée 200 g"],
      ["a/b/c", "%%2F%25"],
      ["店舗 1", "🍎/🍐"],
      ["  padded  ", "x"],
    ];
    for (const parts of keys) {
      const name = seriesKeyName(parts);
      expect(splitSeriesKey(name, parts.length)).toEqual(parts.map((part) => part.trim()));
    }
  });

  it("writes a part in Unicode NFC: é as one code point and as e + accent name one series", () => {
    expect(seriesKeyName(["Caf\u0065\u0301", "1"])).toBe(seriesKeyName(["Caf\u00e9", "1"]));
  });

  it("splitSeriesKey refuses a name with another number of parts", () => {
    expect(splitSeriesKey("CA_1/FOODS_1_001", 3)).toBeUndefined();
    expect(splitSeriesKey("CA_1", 2)).toBeUndefined();
  });
});
