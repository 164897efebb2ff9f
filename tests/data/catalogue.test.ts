// The demo catalogue (demo-data --shape catalogue) and reading it with data.series_key and
// data.hierarchy: the generator's structure, and level series that are the sums of the rows.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOGUE_COLUMNS, writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadSales } from "../../src/data/ingest.js";
import { summarize, formatSummary } from "../../src/data/summary.js";
import { covariatePeriods, loadCovariates } from "../../src/data/covariates.js";
import { settings, useTempDir } from "./helpers.js";

const temp = useTempDir();
const SHAPE = { stores: 3, items: 40, days: 400, seed: 7 };
const KEYED = { date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"] };

function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const names = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i], cell])));
}

describe("writeCatalogue", () => {
  it("writes the same bytes for the same seed, other rows for another", async () => {
    const a = await writeCatalogue(temp.path("a.csv"), SHAPE);
    await writeCatalogue(temp.path("b.csv"), SHAPE);
    await writeCatalogue(temp.path("c.csv"), { ...SHAPE, seed: 8 });
    expect(a.series).toBe(120);
    // Compared as hashes: toEqual on megabyte Buffers walks them byte by byte for a minute.
    const digest = (name: string) => createHash("sha256").update(readFileSync(temp.path(name))).digest("hex");
    expect(digest("a.csv")).toBe(digest("b.csv"));
    expect(digest("a.csv")).not.toBe(digest("c.csv"));
  });

  it("has M5's columns, stores in states, items in departments, intermittent sales, prices, promotions, events and SNAP days", async () => {
    const written = await writeCatalogue(temp.path("shape.csv"), SHAPE);
    const rows = readCsv(temp.path("shape.csv"));
    expect(Object.keys(rows[0])).toEqual([...CATALOGUE_COLUMNS]);
    expect(rows.length).toBe(written.rows);
    expect(new Set(rows.map((r) => r.store_id))).toEqual(new Set(["CA_1", "CA_2", "TX_1"]));
    expect(new Set(rows.map((r) => r.state_id))).toEqual(new Set(["CA", "TX"]));
    expect(new Set(rows.map((r) => r.cat_id))).toEqual(new Set(["HOBBIES", "HOUSEHOLD", "FOODS"]));
    expect(new Set(rows.map((r) => r.dept_id)).size).toBe(7);
    for (const r of rows) expect(r.item_id.startsWith(r.dept_id + "_")).toBe(true);
    // Intermittent: many zero days, yet fast movers exist.
    const sales = rows.map((r) => Number(r.sales));
    const zeros = sales.filter((v) => v === 0).length / sales.length;
    expect(zeros).toBeGreaterThan(0.3);
    expect(Math.max(...sales)).toBeGreaterThan(10);
    // Prices change over time and promotions cut them.
    const prices = new Set(rows.filter((r) => r.store_id === "CA_1" && r.item_id === rows[0].item_id).map((r) => r.sell_price));
    expect(prices.size).toBeGreaterThan(1);
    const promo = rows.filter((r) => r.promo === "1").length / rows.length;
    expect(promo).toBeGreaterThan(0.01);
    expect(promo).toBeLessThan(0.1);
    // Events on some days; SNAP days differ by state.
    expect(rows.some((r) => r.event === "1")).toBe(true);
    const snapDays = (state: string) => new Set(rows.filter((r) => r.state_id === state && r.snap === "1").map((r) => r.date.slice(8)));
    expect(snapDays("CA")).not.toEqual(snapDays("TX"));
    // Christmas Day: every store closed, as in M5.
    const christmas = rows.filter((r) => r.date === "2011-12-25");
    expect(christmas.length).toBeGreaterThan(0);
    expect(christmas.every((r) => r.sales === "0")).toBe(true);
  });

  it("weekly and yearly seasonality: weekends sell more than midweek", async () => {
    await writeCatalogue(temp.path("season.csv"), { ...SHAPE, items: 60, days: 730 });
    const rows = readCsv(temp.path("season.csv"));
    const byWeekday = new Array(7).fill(0);
    for (const r of rows) byWeekday[new Date(r.date).getUTCDay()] += Number(r.sales);
    expect(byWeekday[6]).toBeGreaterThan(byWeekday[2] * 1.2); // Saturday vs Tuesday
  });

  it("refuses a shape out of range with the option's name", async () => {
    await expect(writeCatalogue(temp.path("x.csv"), { stores: 0 })).rejects.toThrow(/--stores 0 is out of range/);
    await expect(writeCatalogue(temp.path("x.csv"), { start: "2011-02-30" })).rejects.toThrow(/--start "2011-02-30" is not a date/);
  });
});

describe("reading a catalogue (data.series_key, data.hierarchy)", () => {
  it("one series per store x item, named by the joined key, the same from CSV and Parquet", async () => {
    await writeCatalogue(temp.path("cat.csv"), SHAPE);
    await writeCatalogue(temp.path("cat.parquet"), SHAPE);
    const fromCsv = await loadSales(settings({ csv_path: temp.path("cat.csv"), ...KEYED }));
    const fromParquet = await loadSales(settings({ csv_path: temp.path("cat.parquet"), ...KEYED }));
    expect(fromCsv.series.length).toBe(120);
    expect(fromCsv.series[0].category).toBe("CA_1/FOODS_1_001");
    expect(fromCsv.catalogue?.parts[0]).toEqual(["CA_1", "FOODS_1_001"]);
    expect(fromParquet.series.map((s) => [s.category, s.start, s.total, Array.from(s.values)])).toEqual(
      fromCsv.series.map((s) => [s.category, s.start, s.total, Array.from(s.values)]),
    );
    // Each series' values are the file's rows, day by day.
    const rows = readCsv(temp.path("cat.csv")).filter((r) => r.store_id === "TX_1" && r.item_id === "HOBBIES_1_002");
    const series = fromCsv.series.find((s) => s.category === "TX_1/HOBBIES_1_002")!;
    expect(series.start).toBe(rows[0].date);
    expect(Array.from(series.values)).toEqual(rows.map((r) => Number(r.sales)));
    // The values are views into the one shared matrix, not copies.
    expect(series.values.buffer).toBe(fromCsv.catalogue!.matrix.values.buffer);
    expect(fromCsv.catalogue!.matrix.values.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("level series are the sums of the rows of their members, per day, for every level", async () => {
    const data = await loadSales(settings({ csv_path: temp.path("cat.csv"), ...KEYED, hierarchy: [[], ["state_id"], ["cat_id"], ["store_id", "dept_id"], ["store_id", "item_id"]] }));
    const h = data.catalogue!.hierarchy!;
    expect(h.levels.map((l) => l.label)).toEqual(["total", "state_id", "cat_id", "store_id/dept_id", "store_id/item_id"]);
    expect(h.aggregates.filter((a) => a.level === 1).map((a) => a.name)).toEqual(["CA", "TX"]);
    expect(h.aggregates.filter((a) => a.level === 3)).toHaveLength(21);
    // Independently of the ingest: sum the CSV rows per level value and date.
    const rows = readCsv(temp.path("cat.csv"));
    const expected = (pick: (r: Record<string, string>) => string) => {
      const sums = new Map<string, Map<string, number>>();
      for (const r of rows) {
        const name = pick(r);
        if (!sums.has(name)) sums.set(name, new Map());
        const byDate = sums.get(name)!;
        byDate.set(r.date, (byDate.get(r.date) ?? 0) + Number(r.sales));
      }
      return sums;
    };
    const check = (level: number, pick: (r: Record<string, string>) => string) => {
      const sums = expected(pick);
      h.aggregates.forEach((aggregate, a) => {
        if (aggregate.level !== level) return;
        const series = h.series[a];
        const byDate = sums.get(aggregate.name)!;
        const first = new Date(series.start).getTime();
        const got = new Map(Array.from(series.values, (v, i) => [new Date(first + i * 86_400_000).toISOString().slice(0, 10), v]));
        for (const [date, value] of byDate) expect(got.get(date), `${aggregate.name} ${date}`).toBe(value);
      });
    };
    check(0, () => "total");
    check(1, (r) => r.state_id);
    check(2, (r) => r.cat_id);
    check(3, (r) => `${r.store_id}/${r.dept_id}`);
    // The bottom level is the bottom series themselves.
    const bottomLevel = h.aggregates.findIndex((a) => a.level === 4);
    expect(h.series[bottomLevel]).toBe(data.series[h.aggregates[bottomLevel].bottom[0]]);
    const total = data.series.reduce((sum, s) => sum + s.total, 0);
    expect(h.series[0].total).toBe(total);
    expect(summarize(data).catalogue?.levels.map((l) => l.series)).toEqual([1, 2, 3, 21, 120]);
  });

  it("reads price, promotion, event and SNAP per series and day as covariates", async () => {
    const file = { csv_path: temp.path("cat.parquet"), ...KEYED };
    const covariates = await loadCovariates(settings(file), ["sell_price", "promo", "event", "snap"]);
    expect(covariates.bySeries?.values).toHaveLength(4);
    const rows = readCsv(temp.path("cat.csv")).filter((r) => r.store_id === "CA_2" && r.item_id === "FOODS_3_002");
    const [price, promo, event, snap] = covariatePeriods(covariates, "CA_2/FOODS_3_002", rows[0].date, rows.length, "D", "zero");
    rows.forEach((r, i) => {
      expect(price[i]).toBeCloseTo(Number(r.sell_price), 4); // stored as float32
      expect(promo[i]).toBe(Number(r.promo));
      expect(event[i]).toBe(Number(r.event));
      expect(snap[i]).toBe(Number(r.snap));
    });
    // Another series of another state has its own SNAP days and prices.
    const other = covariatePeriods(covariates, "TX_1/FOODS_3_002", rows[0].date, rows.length, "D", "zero");
    expect(Array.from(other[3])).not.toEqual(Array.from(snap));
    // Weekly periods: the mean of the week's days.
    const weekly = covariatePeriods(covariates, "CA_2/FOODS_3_002", rows[0].date, 2, "W", "zero");
    expect(weekly[0][0]).toBeCloseTo(rows.slice(0, 7).reduce((s, r) => s + Number(r.sell_price), 0) / 7, 4);
  });

  it("the text summary shows the levels and the first series, not tens of thousands of lines", async () => {
    const data = await loadSales(settings({ csv_path: temp.path("cat.csv"), ...KEYED, hierarchy: [[], ["store_id"]] }));
    const text = formatSummary(summarize(data));
    expect(text).toContain("120 series keyed by store_id + item_id");
    expect(text).toContain("levels: total (1), store_id (3)");
    expect(text).toContain("100 more (--json lists all)");
  });
});
