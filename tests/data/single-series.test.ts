// Files a field test found salescast could not read or read wrongly (issue 15): a long file of
// one series without a category column, a store's daily file whose 0/1 flag columns were taken
// for sales series, and category names that look identical but are encoded two ways (issue 14).
import { describe, expect, it } from "vitest";
import { formatSummary, loadSales, summarize } from "../../src/data/ingest.js";
import { csv, dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

// One store's days, like Rossmann's train.csv for one store: sales, customers and flags.
const STORE = csv("Date,Sales,Customers,Promo,SchoolHoliday,Open", [
  "2015-07-01,5263,555,1,1,1",
  "2015-07-02,6064,625,1,0,1",
  "2015-07-03,8314,821,0,0,1",
  "2015-07-04,0,0,0,1,0",
  "2015-07-05,4822,559,1,0,1",
]);

describe("a long file without a category column (data.category_column null)", () => {
  const path = temp.file("store.csv", STORE);

  it("is one series named after the value column", async () => {
    const data = await loadSales(settings({ csv_path: path, category_column: null, value_column: "Sales" }));
    expect(data.series.map((s) => [s.category, s.start, [...s.values]])).toEqual([["Sales", "2015-07-01", [5263, 6064, 8314, 0, 4822]]]);
    expect(data.source.rows).toBe(5);
  });

  it("still refuses a bad amount with its row, and names what available_categories can hold", async () => {
    const bad = temp.file("store-bad.csv", csv("Date,Sales", ["2015-07-01,5", "2015-07-02,n/a"]));
    const error = await dataError(loadSales(settings({ csv_path: bad, category_column: null, value_column: "Sales" })));
    expect(error.message).toContain('Data row 2 (line 3)');
    expect(error.message).toContain('"n/a" in column "Sales" is not a number');
    const other = await dataError(loadSales(settings({ csv_path: path, category_column: null, value_column: "Sales", available_categories: ["Beauty"] })));
    expect(other.message).toContain("no category column: its one series is named after data.value_column");
    expect(other.message).toContain('Categories found: "Sales"');
  });

  it("a missing category column says the file can be read as a single series", async () => {
    const error = await dataError(loadSales(settings({ csv_path: path, value_column: "Sales" })));
    expect(error.message).toContain('Column "Product Category" (data.category_column) not found');
    expect(error.hint).toContain("leave it empty (data.category_column=) if the file holds a single series");
  });
});

describe("wide layout, detected series (data.series_columns [])", () => {
  const path = temp.file("store-wide.csv", STORE);

  it("takes 0/1 columns as flags, not series, and says which columns it took", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide" }));
    expect(data.series.map((s) => s.category)).toEqual(["Customers", "Sales"]);
    expect(data.columns).toEqual({
      detected: true,
      series: ["Sales", "Customers"],
      flags: ["Promo", "SchoolHoliday", "Open"],
      text: [],
      calendar: ["Date"],
    });
    const printed = formatSummary(summarize(data));
    expect(printed).toContain("series columns (detected, data.series_columns is []): Sales, Customers");
    expect(printed).toContain("not series: Promo, SchoolHoliday, Open (only 0 and 1: flags); Date (date and calendar parts)");
    expect(printed).toContain("data.series_columns=[A, B]");
  });

  it("lists the given columns when series_columns names them", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide", series_columns: ["Sales", "Promo"] }));
    expect(data.columns).toEqual({ detected: false, series: ["Sales", "Promo"] });
    expect(formatSummary(summarize(data))).toContain("series columns (data.series_columns): Sales, Promo");
  });

  it("a column of only zeros or only ones stays a series (a product that never sold is not a flag)", async () => {
    const zeros = temp.file("zeros.csv", csv("Date,A,B", ["2020-01-01,0,1", "2020-01-02,0,1", "2020-01-03,0,1"]));
    const data = await loadSales(settings({ csv_path: zeros, layout: "wide" }));
    expect(data.series.map((s) => s.category)).toEqual(["A", "B"]);
  });

  it("a non-number in a detected column points at data.series_columns, not only at the row", async () => {
    // StateHoliday: "0" on most days, "a" on a public holiday: mostly a number, so detected as a series.
    const holidays = temp.file("state-holiday.csv", csv("Date,Sales,StateHoliday", ["2015-07-01,5,0", "2015-07-02,6,0", "2015-07-03,7,a"]));
    const error = await dataError(loadSales(settings({ csv_path: holidays, layout: "wide" })));
    expect(error.message).toContain('Data row 3 (line 4)');
    expect(error.message).toContain('"a" in column "StateHoliday" is not a number');
    expect(error.hint).toContain('Or, if "StateHoliday" is not a sales series, list the series in data.series_columns');
    expect(error.hint).toContain('every mostly numeric column was taken: "Sales", "StateHoliday"');
    // Listed by the user, the column is the user's choice: the hint stays about the value.
    const listed = await dataError(loadSales(settings({ csv_path: holidays, layout: "wide", series_columns: ["Sales", "StateHoliday"] })));
    expect(listed.hint).not.toContain("data.series_columns");
  });

  it("says which columns were flags when no series is left", async () => {
    const flags = temp.file("flags.csv", csv("Date,Promo,Note", ["2020-01-01,0,x", "2020-01-02,1,y"]));
    const error = await dataError(loadSales(settings({ csv_path: flags, layout: "wide" })));
    expect(error.message).toContain('"Promo" (only 0 and 1: read as flags)');
    expect(error.message).toContain('"Note" (not numbers)');
    expect(error.hint).toContain("data.series_columns=[Sales]");
  });
});

describe("category names in Unicode NFC (issue 14, item 12)", () => {
  const nfc = "Caf\u00e9";
  const nfd = "Cafe\u0301";

  it("the two encodings of one name are one category, in NFC", async () => {
    const path = temp.file("nfc.csv", csv("Date,Product Category,Total Amount", [`2023-01-01,${nfc},1`, `2023-01-01,${nfd},2`, `2023-01-02,${nfd},4`]));
    const data = await loadSales(settings({ csv_path: path }));
    expect(data.series.map((s) => [s.category, [...s.values]])).toEqual([[nfc, [3, 4]]]);
    // available_categories written either way selects it.
    const chosen = await loadSales(settings({ csv_path: path, available_categories: [nfd] }));
    expect(chosen.series.map((s) => s.category)).toEqual([nfc]);
  });

  it("two wide columns whose names differ only in encoding are refused", async () => {
    const path = temp.file("nfc-wide.csv", csv(`Date,${nfc},${nfd}`, ["2023-01-01,1,2"]));
    const error = await dataError(loadSales(settings({ csv_path: path, layout: "wide" })));
    expect(error.message).toContain("differ only in case or in how their accents are encoded (Unicode NFC and NFD)");
  });

  it("a wide column named in NFD becomes a series named in NFC", async () => {
    const path = temp.file("nfd-wide.csv", csv(`Date,${nfd}`, ["2023-01-01,1", "2023-01-02,2"]));
    const data = await loadSales(settings({ csv_path: path, layout: "wide" }));
    expect(data.series.map((s) => s.category)).toEqual([nfc]);
  });
});
