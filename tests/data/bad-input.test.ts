// Every way a user's data file can be wrong, and what the error tells them.

import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/errors.js";
import { loadSales } from "../../src/data/ingest.js";
import { csv, dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();
const HEADER = "Transaction ID,Date,Product Category,Total Amount";

function withRows(name: string, rows: string[]): string {
  return temp.file(name, csv(HEADER, rows));
}

describe("the file itself", () => {
  it("missing file: names the path and how to fix it", async () => {
    const path = temp.path("nowhere/sales.csv");
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(`Data file not found: ${path}`);
    expect(error.hint).toContain("data.csv_path");
    expect(error.hint).toContain("salescast demo-data");
    expect(error.message).toContain(error.hint!); // printing message alone still shows the fix
  });

  it("a folder instead of a file", async () => {
    const folder = temp.path("a-folder");
    mkdirSync(folder);
    const error = await dataError(loadSales(settings({ csv_path: folder })));
    expect(error.message).toContain("not a file");
  });

  it("empty file (0 bytes)", async () => {
    const error = await dataError(loadSales(settings({ csv_path: temp.file("empty.csv", "") })));
    expect(error.message).toContain("empty");
  });

  it("header only", async () => {
    const error = await dataError(loadSales(settings({ csv_path: temp.file("header.csv", HEADER + "\n") })));
    expect(error.message).toContain("has a header but no data rows");
  });

  it.each([
    ["too many", "2,2023-01-02,A,5,extra,fields", "more fields than"],
    ["too few", "2,2023-01-02,A", "3 fields but"],
  ])("a line with %s fields: names the line, never guesses another layout", async (_, line, fields) => {
    const path = withRows(`ragged-${fields.length}.csv`, ["1,2023-01-01,A,5", line, "3,2023-01-03,A,5"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain(`Cannot read ${path} as CSV: line 3 has ${fields} the header (4): ${line}`);
  });

  it.each([
    ["gzip", Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0])],
    ["xlsx", Buffer.from("PK\x03\x04rest of a zip", "latin1")],
    ["binary", Buffer.from([0x44, 0x61, 0x74, 0x65, 0, 1, 2])],
  ])("a %s file that is not CSV text", async (kind, bytes) => {
    const error = await dataError(loadSales(settings({ csv_path: temp.file(`not-text-${kind}.csv`, bytes) })));
    expect(error.message).toContain("not a CSV text file");
  });

  it("an empty first line", async () => {
    const error = await dataError(loadSales(settings({ csv_path: temp.file("blank-first.csv", "\n" + HEADER + "\n") })));
    expect(error.message).toContain("first line");
  });

  it("duplicate column names, also differing only in case", async () => {
    const twice = await dataError(loadSales(settings({ csv_path: temp.file("dup.csv", "Date,A,A\n2023-01-01,1,2\n") })));
    expect(twice.message).toContain('Column "A" appears twice');
    const cased = await dataError(loadSales(settings({ csv_path: temp.file("dup-case.csv", "date,Date,A\n2023-01-01,1,2\n") })));
    expect(cased.message).toContain('Columns "date" and "Date"');
  });
});

describe("columns", () => {
  const path = withRows("ok.csv", ["1,2023-01-01,A,5"]);

  it.each([
    ["date_column", { date_column: "Day" }, "Day"],
    ["category_column", { category_column: "Category" }, "Category"],
    ["value_column", { value_column: "Amount" }, "Amount"],
  ])("missing %s: names the column asked for, the columns found and the key to set", async (key, override, wanted) => {
    const error = await dataError(loadSales(settings({ csv_path: path, ...override })));
    expect(error.message).toContain(`Column "${wanted}" (data.${key}) not found in ${path}`);
    expect(error.message).toContain('Columns found: "Transaction ID", "Date", "Product Category", "Total Amount"');
    expect(error.hint).toContain(`Set data.${key}`);
  });
});

describe("dates", () => {
  it("unparseable date: row number, line and value", async () => {
    const path = withRows("bad-date.csv", ["1,2023-01-01,A,5", "2,2023-01-02,A,5", "3,2023-13-01,A,5", "4,2023-01-04,A,5"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain(`Data row 3 (line 4) of ${path}: "2023-13-01" in column "Date" is not a date`);
    expect(error.hint).toContain("YYYY-MM-DD");
  });

  it.each([
    ["US format", "01/05/2023"],
    ["day that does not exist", "2023-02-30"],
    ["no zero padding", "2023-1-5"],
    ["time without date separator", "20230105"],
    ["bad time", "2023-01-05 25h"],
  ])("refuses %s (%s)", async (_, value) => {
    const path = withRows(`date-${value.replace(/\W/g, "_")}.csv`, ["1,2023-01-01,A,5", `2,${value},A,5`]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain(`Data row 2 (line 3)`);
    expect(error.message).toContain(`"${value}"`);
  });

  it("empty date", async () => {
    const path = withRows("no-date.csv", ["1,2023-01-01,A,5", "2,,A,5"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain('Data row 2 (line 3)');
    expect(error.message).toContain('has no date in column "Date"');
  });

  it("counts the bad rows and reports the first in file order, also deep in a larger file", async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `${i + 1},2023-01-0${(i % 9) + 1},A,1`);
    rows[17_320] = "17321,someday,A,1";
    rows[25_000] = "25001,2023-99-99,A,1";
    const error = await dataError(loadSales(settings({ csv_path: withRows("deep.csv", rows) })));
    expect(error.message).toContain('Data row 17321 (line 17322)');
    expect(error.message).toContain('"someday"');
    expect(error.message).toContain("2 rows have a missing or invalid date");
  });

  it("suspects the column when no row holds a date", async () => {
    const path = withRows("wrong-date-column.csv", ["1,2023-01-01,A,5", "2,2023-01-02,B,5"]);
    const error = await dataError(loadSales(settings({ csv_path: path, date_column: "Product Category" })));
    expect(error.hint).toContain("is data.date_column the right column?");
  });
});

describe("amounts and categories", () => {
  it("unparseable amount: row number, line and value", async () => {
    const path = withRows("bad-amount.csv", ["1,2023-01-01,A,5", "2,2023-01-02,A,5", "3,2023-01-03,A,7", "4,2023-01-04,A,abc"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain(`Data row 4 (line 5) of ${path}: "abc" in column "Total Amount" is not a number`);
    expect(error.hint).toContain("plain numbers");
  });

  it.each([["1,000"], ["$12"], ["inf"], ["nan"], ["12 EUR"]])("refuses the amount %s", async (value) => {
    const path = withRows(`amount-${value.replace(/\W/g, "_")}.csv`, ["1,2023-01-01,A,5", `2,2023-01-02,A,"${value}"`]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain(`Data row 2 (line 3)`);
    expect(error.message).toContain(`"${value}" in column "Total Amount" is not a number`);
  });

  it("accepts negative, decimal and exponent amounts (returns, cents)", async () => {
    const path = withRows("amount-ok.csv", ["1,2023-01-01,A,-5", "2,2023-01-01,A,10.25", "3,2023-01-01,A,1e2", "4,2023-01-01,A, 3 "]);
    const data = await loadSales(settings({ csv_path: path }));
    expect([...data.series[0].values]).toEqual([108.25]);
  });

  it("empty amount in the long layout is an error (a transaction needs an amount)", async () => {
    const path = withRows("no-amount.csv", ["1,2023-01-01,A,5", "2,2023-01-02,A,"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain('Data row 2 (line 3)');
    expect(error.message).toContain('has no value in column "Total Amount"');
  });

  it("a category column with more than 10,000 distinct values (an id column by mistake)", async () => {
    const rows = Array.from({ length: 10_001 }, (_, i) => `${i + 1},2023-01-01,A,5`);
    const error = await dataError(loadSales(settings({ csv_path: withRows("ids.csv", rows), category_column: "Transaction ID" })));
    expect(error.message).toContain('Column "Transaction ID"');
    expect(error.message).toContain("10001 distinct values");
    expect(error.hint).toContain("data.category_column");
  });

  it("empty category", async () => {
    const path = withRows("no-category.csv", ["1,2023-01-01,A,5", "2,2023-01-02, ,5"]);
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain('Data row 2 (line 3)');
    expect(error.message).toContain('has no category in column "Product Category"');
  });
});
