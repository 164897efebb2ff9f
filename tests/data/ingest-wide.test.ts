import { describe, expect, it } from "vitest";
import { isCalendarPart } from "../../src/data/detect-series.js";
import { loadSales } from "../../src/data/ingest.js";
import { csv, dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

// Like pharma_sales_daily.csv: date, series columns, then calendar parts that are not series.
// B has an empty cell on 01-02 (no reading: filled); 01-03 is missing for every series.
const WIDE = csv("date,A,B,Year,Month,Hour,Weekday Name,Note", [
  "2020-01-01,1,10,2020,1,5,Wednesday,x",
  "2020-01-02,2,,2020,1,5,Thursday,y",
  "2020-01-04,3,30.5,2020,1,5,Saturday,z",
]);

describe("loadSales, wide layout", () => {
  const path = temp.file("wide.csv", WIDE);

  it("detects the numeric series columns, skipping the date, calendar parts and text columns", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide" }));
    expect(data.source.rows).toBe(3);
    expect(data.series.map((s) => [s.category, s.start, [...s.values], s.filledPeriods, s.total])).toEqual([
      ["A", "2020-01-01", [1, 2, 0, 3], 1, 6],
      ["B", "2020-01-01", [10, 0, 0, 30.5], 2, 40.5],
    ]);
  });

  it("treats an empty cell as a missing reading, filled per data.fill", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide", fill: "previous" }));
    expect([...data.series[1].values]).toEqual([10, 10, 10, 30.5]);
  });

  it("uses series_columns when given, even a calendar-like one the user asks for", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide", series_columns: ["B", "Hour"] }));
    expect(data.series.map((s) => s.category)).toEqual(["B", "Hour"]);
    expect([...data.series[1].values]).toEqual([5, 5, 0, 5]);
  });

  it("filters series with available_categories and refuses unknown ones", async () => {
    const data = await loadSales(settings({ csv_path: path, layout: "wide", available_categories: ["B"] }));
    expect(data.series.map((s) => s.category)).toEqual(["B"]);
    const error = await dataError(loadSales(settings({ csv_path: path, layout: "wide", available_categories: ["Year"] })));
    expect(error.message).toContain('"Year"');
    expect(error.message).toContain('Categories found: "A", "B"');
  });

  it("refuses a series column that does not exist, naming data.series_columns and the columns found", async () => {
    const error = await dataError(loadSales(settings({ csv_path: path, layout: "wide", series_columns: ["A", "C"] })));
    expect(error.message).toContain('Column "C" (data.series_columns) not found');
    expect(error.message).toContain('"date", "A", "B", "Year"');
  });

  it("refuses the date column as a series", async () => {
    const error = await dataError(loadSales(settings({ csv_path: path, layout: "wide", series_columns: ["A", "Date"] })));
    expect(error.message).toContain('lists the date column "date"');
  });

  it("reports a non-number in a mostly numeric column with its row, rather than dropping the column", async () => {
    const bad = temp.file("wide-typo.csv", csv("Date,A,C", ["2020-01-01,1,4", "2020-01-02,2,5", "2020-01-03,3,n/a"]));
    const error = await dataError(loadSales(settings({ csv_path: bad, layout: "wide" })));
    expect(error.message).toContain("Data row 3 (line 4)");
    expect(error.message).toContain('"n/a" in column "C" is not a number');
  });

  it("refuses a cell of only spaces (an empty cell is a missing reading, a blank one is a typo)", async () => {
    const blank = temp.file("wide-blank.csv", csv("Date,A", ["2020-01-01,1", "2020-01-02,  "]));
    const error = await dataError(loadSales(settings({ csv_path: blank, layout: "wide" })));
    expect(error.message).toContain('Data row 2 (line 3)');
    expect(error.message).toContain('"  " in column "A" is not a number');
  });

  it("says so when no column is numeric", async () => {
    const none = temp.file("wide-none.csv", csv("Date,Weekday,Note", ["2020-01-01,Wednesday,x"]));
    const error = await dataError(loadSales(settings({ csv_path: none, layout: "wide" })));
    expect(error.message).toContain("No numeric series column");
    expect(error.hint).toContain("data.series_columns");
  });
});

describe("calendar-part columns", () => {
  it("are recognised whatever their spelling", () => {
    for (const name of ["Year", "month", "Hour", "Weekday Name", "day_of_week", "WEEK", "Quarter", "dayofyear"]) {
      expect(isCalendarPart(name), name).toBe(true);
    }
    for (const name of ["M01AB", "Sales", "Weekly_Sales", "R06"]) {
      expect(isCalendarPart(name), name).toBe(false);
    }
  });
});
