import { describe, expect, it } from "vitest";
import { formatTextTable } from "../../src/util/text-table.js";

describe("formatTextTable", () => {
  it("left-aligns the text columns, right-aligns the rest, with a rule under the header", () => {
    expect(
      formatTextTable(
        ["name", "kind", "mase"],
        [
          ["Beauty", "net", 0.8],
          ["N05C", "naive", "1.285"],
        ],
        { textColumns: 2 },
      ).split("\n"),
    ).toEqual(["name    kind    mase", "------  -----  -----", "Beauty  net      0.8", "N05C    naive  1.285"]);
  });
  it("leaves out the rule on request and never ends a line with spaces", () => {
    const text = formatTextTable(
      ["id", "status"],
      [
        ["a", "ok"],
        ["bbbb", "x"],
      ],
      { textColumns: 2, rule: false },
    );
    expect(text.split("\n")).toEqual(["id    status", "a     ok", "bbbb  x"]);
  });
});
