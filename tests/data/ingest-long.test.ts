import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkLongEnough, formatSummary, loadSales, periodDates, summarize } from "../../src/data/ingest.js";
import { csv, dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

// Beauty: 01-01 (two rows), 01-02 missing, 01-03, 01-04 recorded as 0 (not a gap).
// Clothing: 01-02, 01-03 and 01-04 missing, 01-05 (two rows). Rows deliberately out of order.
const TRANSACTIONS = csv("Transaction ID,Date,Customer ID,Product Category,Total Amount", [
  "1,2023-01-01,C1,Beauty,100",
  "2,2023-01-05,C5,Clothing,30",
  "3,2023-01-03,C3,Beauty,20",
  "4,2023-01-02,C4,Clothing,10",
  "5,2023-01-01,C2,Beauty,50.5",
  "6,2023-01-05,C6,Clothing,5",
  "7,2023-01-04,C7,Beauty,0",
]);

describe("loadSales, long layout, daily", () => {
  const path = temp.file("transactions.csv", TRANSACTIONS);

  it("sums per category and day and fills the missing days with zero", async () => {
    const data = await loadSales(settings({ csv_path: path }));
    expect(data.frequency).toBe("D");
    expect(data.source).toEqual({
      path,
      rows: 7,
      sha256: createHash("sha256").update(TRANSACTIONS).digest("hex"),
    });
    expect(data.series.map((s) => s.category)).toEqual(["Beauty", "Clothing"]);
    const [beauty, clothing] = data.series;
    expect(beauty.start).toBe("2023-01-01");
    expect([...beauty.values]).toEqual([150.5, 0, 20, 0]);
    expect(beauty.filledPeriods).toBe(1);
    expect(beauty.total).toBe(170.5);
    expect(clothing.start).toBe("2023-01-02");
    expect([...clothing.values]).toEqual([10, 0, 0, 35]);
    expect(clothing.filledPeriods).toBe(2);
    expect(clothing.total).toBe(45);
    expect(periodDates(clothing, "D")).toEqual(["2023-01-02", "2023-01-03", "2023-01-04", "2023-01-05"]);
  });

  it("fill previous repeats the last recorded value and leaves total at the recorded sum", async () => {
    const data = await loadSales(settings({ csv_path: path, fill: "previous" }));
    const [beauty, clothing] = data.series;
    expect([...beauty.values]).toEqual([150.5, 150.5, 20, 0]);
    expect([...clothing.values]).toEqual([10, 10, 10, 35]);
    expect(clothing.filledPeriods).toBe(2);
    expect(clothing.total).toBe(45);
  });

  it("keeps only available_categories, in the configured order", async () => {
    const only = await loadSales(settings({ csv_path: path, available_categories: ["Clothing"] }));
    expect(only.series.map((s) => s.category)).toEqual(["Clothing"]);
    const ordered = await loadSales(settings({ csv_path: path, available_categories: ["Clothing", "Beauty"] }));
    expect(ordered.series.map((s) => s.category)).toEqual(["Clothing", "Beauty"]);
  });

  it("refuses an unknown category in available_categories and names the ones found", async () => {
    const error = await dataError(loadSales(settings({ csv_path: path, available_categories: ["Beauty", "Toys"] })));
    expect(error.message).toContain('"Toys"');
    expect(error.message).toContain("data.available_categories");
    expect(error.message).toContain('"Beauty", "Clothing"');
    expect(error.hint).toContain("[]");
  });

  it("summarize reports ranges, periods, filled periods and totals per category and overall", async () => {
    const summary = summarize(await loadSales(settings({ csv_path: path })));
    expect(summary.categories).toEqual([
      { category: "Beauty", start: "2023-01-01", end: "2023-01-04", periods: 4, filledPeriods: 1, total: 170.5 },
      { category: "Clothing", start: "2023-01-02", end: "2023-01-05", periods: 4, filledPeriods: 2, total: 45 },
    ]);
    expect(summary.overall).toEqual({ start: "2023-01-01", end: "2023-01-05", periods: 5, filledPeriods: 3, total: 215.5 });
    expect(summary.source.rows).toBe(7);
    const text = formatSummary(summary).split("\n");
    expect(text[0]).toContain(`${path} (7 rows, sha256 `);
    expect(text.at(-2)).toMatch(/^Clothing\s+2023-01-02\s+2023-01-05\s+4\s+2\s+45$/);
    expect(text.at(-1)).toMatch(/^\(all\)\s+2023-01-01\s+2023-01-05\s+5\s+3\s+215\.5$/);
  });

  it("checkLongEnough lists categories shorter than window_size + 2 without failing the load", async () => {
    const data = await loadSales(settings({ csv_path: path, window_size: 14 }));
    expect(checkLongEnough(data, 2)).toEqual([]);
    const problems = checkLongEnough(data, 3);
    expect(problems.map((p) => [p.category, p.periods, p.needed])).toEqual([
      ["Beauty", 4, 5],
      ["Clothing", 4, 5],
    ]);
    expect(problems[0].error.message).toContain('Category "Beauty" has 4 daily periods');
    expect(problems[0].error.message).toContain("at least 5");
    expect(problems[0].error.hint).toContain("data.window_size");
  });
});

describe("loadSales, column names and cell formats", () => {
  it("matches the date column (and others) ignoring case when no exact name exists", async () => {
    const path = temp.file("lower.csv", csv("date,product category,TOTAL AMOUNT", ["2023-01-01,A,1", "2023-01-02,A,2"]));
    const data = await loadSales(settings({ csv_path: path }));
    expect([...data.series[0].values]).toEqual([1, 2]);
  });

  it("accepts a time after the date and counts the row on the date as written", async () => {
    const path = temp.file(
      "times.csv",
      csv("Date,Product Category,Total Amount", [
        "2023-01-01T10:15:00,A,1",
        "2023-01-01 23:59,A,2",
        "2023-01-02 00:30:00.123+05:00,A,4",
        " 2023-01-02 ,A,8",
      ]),
    );
    const data = await loadSales(settings({ csv_path: path }));
    expect([...data.series[0].values]).toEqual([3, 12]);
  });

  it("trims category names, reads quoted fields, and sorts categories naturally", async () => {
    const path = temp.file(
      "names.csv",
      csv("Date,Product Category,Total Amount", [
        '2023-01-01,"Home, Garden",1',
        "2023-01-01, 10 ,1",
        "2023-01-01,2,1",
        "2023-01-02,10,5",
      ]),
    );
    const data = await loadSales(settings({ csv_path: path }));
    expect(data.series.map((s) => s.category)).toEqual(["2", "10", "Home, Garden"]);
    expect([...data.series[1].values]).toEqual([1, 5]);
  });
});

describe("loadSales, weekly frequency", () => {
  it("sums daily rows into 7-day periods anchored on the first date in the file", async () => {
    // A: one row a day from Wednesday 2023-01-04 for 15 days, value = day number (1..15).
    // B starts on Monday 2023-01-09: its first period is still the week starting 2023-01-04.
    const rows = Array.from({ length: 15 }, (_, i) => `2023-01-${String(4 + i).padStart(2, "0")},A,${i + 1}`);
    rows.push("2023-01-09,B,100", "2023-02-01,B,7");
    const path = temp.file("daily-to-weekly.csv", csv("Date,Product Category,Total Amount", rows));
    const data = await loadSales(settings({ csv_path: path, frequency: "W" }));
    const [a, b] = data.series;
    expect(a.start).toBe("2023-01-04");
    expect([...a.values]).toEqual([28, 77, 15]);
    expect(periodDates(a, "W")).toEqual(["2023-01-04", "2023-01-11", "2023-01-18"]);
    expect(a.filledPeriods).toBe(0);
    // B: weeks of 01-04 (100), 01-11 and 01-18 and 01-25 missing, 02-01 (7).
    expect(b.start).toBe("2023-01-04");
    expect([...b.values]).toEqual([100, 0, 0, 0, 7]);
    expect(b.filledPeriods).toBe(3);
  });

  it("keeps Friday-dated weekly data on its Fridays and fills a missing week", async () => {
    const path = temp.file(
      "fridays.csv",
      csv("Store,Date,Weekly_Sales", ["1,2010-02-05,10", "1,2010-02-12,20", "1,2010-02-26,40", "2,2010-02-05,1", "2,2010-02-12,2"]),
    );
    const data = await loadSales(
      settings({ csv_path: path, category_column: "Store", value_column: "Weekly_Sales", frequency: "W", fill: "previous" }),
    );
    expect(data.series.map((s) => [s.category, s.start, [...s.values], s.filledPeriods])).toEqual([
      ["1", "2010-02-05", [10, 20, 20, 40], 1],
      ["2", "2010-02-05", [1, 2], 0],
    ]);
    expect(periodDates(data.series[0], "W")).toEqual(["2010-02-05", "2010-02-12", "2010-02-19", "2010-02-26"]);
  });

  it("refuses daily frequency on data whose dates are all whole weeks apart, suggesting W", async () => {
    const path = temp.file("weekly-as-daily.csv", csv("Date,Product Category,Total Amount", ["2010-02-05,A,1", "2010-02-12,A,2", "2010-02-26,A,3"]));
    const error = await dataError(loadSales(settings({ csv_path: path })));
    expect(error.message).toContain("data.frequency is D");
    expect(error.hint).toContain("data.frequency: W");
  });
});
