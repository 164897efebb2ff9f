import { existsSync, readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { weekdayOfEpochDay, epochDayFromIso } from "../../src/data/dates.js";
import { DEMO_COLUMNS, demoCsvChunks, generateDemoTransactions, writeDemoData } from "../../src/data/demo.js";
import { DataError } from "../../src/data/errors.js";
import { loadSales, periodDates } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

describe("demo data", () => {
  let path: string;
  let rows: number;
  let data: SalesData;

  beforeAll(async () => {
    ({ path, rows } = await writeDemoData(temp.path("nested/folder/sales.csv"))); // default options
    data = await loadSales(settings({ csv_path: path }));
  });

  it("is written atomically into a created folder, with no temporary file left", () => {
    expect(existsSync(path)).toBe(true);
    expect(readdirSync(temp.path("nested/folder"))).toEqual(["sales.csv"]);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n").length - 2).toBe(rows); // header + rows + final newline
  });

  it("has the columns of the reference sample and consistent rows", () => {
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe(DEMO_COLUMNS.join(","));
    expect(lines[0]).toBe("Transaction ID,Date,Customer ID,Gender,Age,Product Category,Quantity,Price per Unit,Total Amount");
    for (const line of lines.slice(1, 200)) {
      const [id, date, customer, gender, age, , quantity, price, total] = line.split(",");
      expect(Number(id)).toBeGreaterThan(0);
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(customer).toMatch(/^CUST\d{6}$/);
      expect(["Male", "Female"]).toContain(gender);
      expect(Number(age)).toBeGreaterThanOrEqual(18);
      expect(Number(total)).toBe(Number(quantity) * Number(price));
    }
  });

  it("covers 2022-01-01 .. 2024-12-31 for Beauty, Clothing and Electronics, under 10 MB", () => {
    expect(data.series.map((s) => s.category)).toEqual(["Beauty", "Clothing", "Electronics"]);
    for (const series of data.series) {
      const dates = periodDates(series, "D");
      expect(dates[0]).toBe("2022-01-01");
      expect(dates[dates.length - 1]).toBe("2024-12-31");
      expect(series.values.length).toBe(1096);
    }
    expect(readFileSync(path).length).toBeLessThan(10 * 2 ** 20);
    expect(rows).toBeGreaterThan(30_000);
  });

  it("has days without sales, so gap filling matters", () => {
    for (const series of data.series) expect(series.filledPeriods).toBeGreaterThan(3);
  });

  it("has weekly seasonality: weekend days sell more than weekdays", () => {
    for (const series of data.series) {
      const first = epochDayFromIso(series.start)!;
      let weekend = 0, weekendDays = 0, weekday = 0, weekdays = 0;
      series.values.forEach((value, i) => {
        const dow = weekdayOfEpochDay(first + i);
        if (dow === 0 || dow === 6) {
          weekend += value;
          weekendDays++;
        } else {
          weekday += value;
          weekdays++;
        }
      });
      expect(weekend / weekendDays, series.category).toBeGreaterThan(1.3 * (weekday / weekdays));
    }
  });

  it("has structure to learn: a seasonal naive forecast (lag 7) beats a naive one (lag 1)", () => {
    for (const series of data.series) {
      const v = series.values;
      let naive = 0, seasonal = 0;
      for (let i = 7; i < v.length; i++) {
        naive += Math.abs(v[i] - v[i - 1]);
        seasonal += Math.abs(v[i] - v[i - 7]);
      }
      expect(seasonal, series.category).toBeLessThan(0.95 * naive);
    }
  });

  it("has a trend and holiday peaks: the last year sells more, and Black Friday beats its month", () => {
    const all = new Float64Array(1096);
    for (const series of data.series) series.values.forEach((value, i) => (all[i] += value));
    const yearSum = (from: number) => all.slice(from, from + 365).reduce((a, b) => a + b, 0);
    expect(yearSum(731)).toBeGreaterThan(yearSum(0));
    const day = (iso: string) => epochDayFromIso(iso)! - epochDayFromIso("2022-01-01")!;
    const november = all.slice(day("2023-11-01"), day("2023-11-20"));
    const novemberMean = november.reduce((a, b) => a + b, 0) / november.length;
    expect(all[day("2023-11-24")]).toBeGreaterThan(1.8 * novemberMean); // Black Friday 2023
    expect(all[day("2023-12-25")]).toBe(0); // closed
  });
});

describe("demo generator", () => {
  const small = { seed: 3, start: "2023-06-01", days: 60 };

  it("is deterministic: same seed, same bytes; another seed, other bytes", () => {
    const a = generateDemoTransactions(small);
    expect(generateDemoTransactions(small)).toBe(a);
    expect(generateDemoTransactions({ ...small, seed: 4 })).not.toBe(a);
  });

  it("writes the same bytes as it generates", async () => {
    const { path } = await writeDemoData(temp.path("small.csv"), small);
    expect(readFileSync(path, "utf8")).toBe(generateDemoTransactions(small));
  });

  it("takes custom categories (quoted when needed) and stops at maxRows", async () => {
    const text = generateDemoTransactions({ ...small, categories: ["Toys", "Home, Garden"], maxRows: 500 });
    const lines = text.trimEnd().split("\n");
    expect(lines.length).toBe(501);
    expect(text).toContain(',"Home, Garden",');
    const { path } = await writeDemoData(temp.path("custom.csv"), { ...small, categories: ["Toys", "Home, Garden"] });
    const data = await loadSales(settings({ csv_path: path }));
    expect(data.series.map((s) => s.category)).toEqual(["Home, Garden", "Toys"]);
  });

  it("streams one day per chunk after the header", () => {
    const chunks = [...demoCsvChunks(small)];
    expect(chunks[0].rows).toBe(0);
    expect(chunks.length).toBe(61);
  });

  it.each([
    [{ seed: 1.5 }, "seed"],
    [{ start: "June 1st" }, "start"],
    [{ days: 0 }, "days"],
    [{ categories: [] }, "category"],
    [{ volumeScale: -1 }, "volumeScale"],
  ])("refuses bad options %j", (options, word) => {
    expect(() => generateDemoTransactions(options)).toThrow(DataError);
    expect(() => generateDemoTransactions(options)).toThrow(word);
  });

  it("leaves nothing behind when the options are bad", async () => {
    await expect(writeDemoData(temp.path("bad/out.csv"), { days: -1 })).rejects.toThrow(DataError);
    expect(existsSync(temp.path("bad"))).toBe(false);
  });
});
