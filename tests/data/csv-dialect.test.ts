// CSV files as they come from spreadsheets and other tools: the dialect is read from the
// header line, not guessed by a sniffer.

import { describe, expect, it } from "vitest";
import { splitCsvLine } from "../../src/data/csv-header.js";
import { loadSales } from "../../src/data/ingest.js";
import { settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

describe("CSV dialects", () => {
  it.each([
    ["semicolons", "Date;Product Category;Total Amount\n2023-01-01;A;5\n2023-01-02;A;7\n"],
    ["tabs", "Date\tProduct Category\tTotal Amount\n2023-01-01\tA\t5\n2023-01-02\tA\t7\n"],
    ["CRLF line ends", "Date,Product Category,Total Amount\r\n2023-01-01,A,5\r\n2023-01-02,A,7\r\n"],
    ["a UTF-8 byte order mark", "\uFEFFDate,Product Category,Total Amount\n2023-01-01,A,5\n2023-01-02,A,7\n"],
    ["quoted names and values, blank lines, no final newline", '"Date","Product Category","Total Amount"\n"2023-01-01","A","5"\n\n2023-01-02,A,7'],
  ])("reads a file with %s", async (name, content) => {
    const path = temp.file(`${name.replace(/\W/g, "_")}.csv`, content);
    const data = await loadSales(settings({ csv_path: path }));
    expect(data.source.rows).toBe(2);
    expect(data.series.map((s) => [s.category, s.start, [...s.values]])).toEqual([["A", "2023-01-01", [5, 7]]]);
  });

  it("splits a record with quotes, escaped quotes and delimiters inside quotes", () => {
    expect(splitCsvLine('a,"b, c","say ""hi""",', ",")).toEqual(["a", "b, c", 'say "hi"', ""]);
  });
});
